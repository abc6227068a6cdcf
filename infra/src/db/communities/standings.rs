//! Where a person stands with communities: a member (with a role), asking to join, or invited.

use std::collections::HashMap;

use khub_domain::DomainResult;
use khub_domain::community::{Community, CommunityId, PendingKind, Role, Standing};
use khub_domain::person::PersonId;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Iterable};
use uuid::Uuid;

use super::to_community;
use crate::db::entity::{community, community_member as member, community_pending as pending};
use crate::db::one_of::one_of;
use crate::error::ResultExt;

/// The columns the joined read names the membership's role and the pending kind by.
const ROLE: &str = "member_role";
const PENDING: &str = "pending_kind";

/// Where `person` stands with each of `communities` they have a relation to: the same joined
/// read, keeping only the standings that say something.
pub(super) async fn standings(
    db: &DatabaseConnection,
    person: PersonId,
    communities: &[CommunityId],
) -> DomainResult<HashMap<CommunityId, Standing>> {
    Ok(with_standings(db, communities, person)
        .await?
        .into_iter()
        .filter(|(_, standing)| *standing != Standing::default())
        .map(|(community, standing)| (community.id, standing))
        .collect())
}

/// The communities among `ids`, each with where `person` stands with it: one statement, the
/// membership and any request or invitation joined by their primary keys.
pub(super) async fn with_standings(
    db: &DatabaseConnection,
    ids: &[CommunityId],
    person: PersonId,
) -> DomainResult<Vec<(Community, Standing)>> {
    let uuids: Vec<Uuid> = ids.iter().map(CommunityId::as_uuid).collect();
    let mut select = joined(person);
    select.and_where(one_of(
        db.get_database_backend(),
        community::Column::Id,
        uuids,
    ));
    let rows = db
        .query_all(&select)
        .await
        .context("find communities with standings")?;
    rows.iter()
        .map(|row| {
            let model = community::Model::from_query_result(row, "").context("read community")?;
            let role: Option<String> = row.try_get("", ROLE).context("read membership")?;
            let kind: Option<String> = row.try_get("", PENDING).context("read request")?;
            Ok((
                to_community(model)?,
                standing(role.as_deref(), kind.as_deref()),
            ))
        })
        .collect()
}

/// Communities with `person`'s membership role and pending kind beside each (or NULLs).
fn joined(person: PersonId) -> SelectStatement {
    let (person, id) = (person.as_uuid(), (community::Entity, community::Column::Id));
    Query::select()
        .columns(community::Column::iter().map(|column| (community::Entity, column)))
        .expr_as(
            Expr::col((member::Entity, member::Column::Role)),
            Alias::new(ROLE),
        )
        .expr_as(
            Expr::col((pending::Entity, pending::Column::Kind)),
            Alias::new(PENDING),
        )
        .from(community::Entity)
        .left_join(
            member::Entity,
            Expr::col((member::Entity, member::Column::CommunityId))
                .equals(id)
                .and(Expr::col((member::Entity, member::Column::PersonId)).eq(person)),
        )
        .left_join(
            pending::Entity,
            Expr::col((pending::Entity, pending::Column::CommunityId))
                .equals(id)
                .and(Expr::col((pending::Entity, pending::Column::PersonId)).eq(person)),
        )
        .to_owned()
}

/// A member's standing is their role; anyone else's, their request or invitation.
fn standing(role: Option<&str>, pending: Option<&str>) -> Standing {
    let role = role.and_then(Role::parse);
    let pending = pending
        .filter(|_| role.is_none())
        .and_then(PendingKind::parse);
    Standing {
        role,
        requested: pending == Some(PendingKind::Request),
        invited: pending == Some(PendingKind::Invitation),
    }
}
