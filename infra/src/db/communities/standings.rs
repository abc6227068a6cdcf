//! Where a person stands with communities: a member (with a role), asking to join, or invited.

use std::collections::HashMap;

use khub_domain::DomainResult;
use khub_domain::community::{Community, CommunityId, PendingKind, Role, Standing};
use khub_domain::person::PersonId;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, FromQueryResult, IdenStatic, Iterable, QueryResult,
};
use uuid::Uuid;

use super::to_community;
use crate::db::entity::{community, community_member as member, community_pending as pending};
use crate::db::one_of::one_of;
use crate::error::ResultExt;

/// The columns the joined read names the membership's role and the pending kind by.
const ROLE: &str = "member_role";
const PENDING: &str = "pending_kind";

/// The prefix joined reads put before each community column's name, so the columns of the
/// table a community is joined to keep theirs.
const COMMUNITY: &str = "c_";

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
    let mut select = Query::select();
    select.from(community::Entity).and_where(one_of(
        db.get_database_backend(),
        community::Column::Id,
        uuids,
    ));
    add_community_and_standing(&mut select, Some(person));
    let rows = db
        .query_all(&select)
        .await
        .context("find communities with standings")?;
    rows.iter().map(read_community_and_standing).collect()
}

/// The community with `slug`, with where `reader` stands with it: one statement.
pub(super) async fn by_slug_with_standing(
    db: &DatabaseConnection,
    slug: &str,
    reader: Option<PersonId>,
) -> DomainResult<Option<(Community, Standing)>> {
    let mut select = Query::select();
    select
        .from(community::Entity)
        .and_where(Expr::col((community::Entity, community::Column::Slug)).eq(slug));
    add_community_and_standing(&mut select, reader);
    let row = db
        .query_one(&select)
        .await
        .context("find community by slug with standing")?;
    row.as_ref().map(read_community_and_standing).transpose()
}

/// Adds to `select`, which reads from (or joins) the communities table, each community's columns
/// and `reader`'s membership role and pending kind there (NULLs when there is none, or no
/// reader).
pub(in crate::db) fn add_community_and_standing(
    select: &mut SelectStatement,
    reader: Option<PersonId>,
) {
    add_community_and_standing_of(select, Expr::val(reader.map(|p| p.as_uuid())));
}

/// As [`add_community_and_standing`], for the reader `reader` names: an SQL expression, such as
/// a column of a table joined for many readers at once.
pub(in crate::db) fn add_community_and_standing_of(
    select: &mut SelectStatement,
    reader: SimpleExpr,
) {
    let id = (community::Entity, community::Column::Id);
    for column in community::Column::iter() {
        select.expr_as(
            Expr::col((community::Entity, column)),
            Alias::new(format!("{COMMUNITY}{}", column.as_str())),
        );
    }
    select
        .expr_as(
            Expr::col((member::Entity, member::Column::Role)),
            Alias::new(ROLE),
        )
        .expr_as(
            Expr::col((pending::Entity, pending::Column::Kind)),
            Alias::new(PENDING),
        )
        .left_join(
            member::Entity,
            Expr::col((member::Entity, member::Column::CommunityId))
                .equals(id)
                .and(Expr::col((member::Entity, member::Column::PersonId)).eq(reader.clone())),
        )
        .left_join(
            pending::Entity,
            Expr::col((pending::Entity, pending::Column::CommunityId))
                .equals(id)
                .and(Expr::col((pending::Entity, pending::Column::PersonId)).eq(reader)),
        );
}

/// The community and standing [`add_community_and_standing`] added to a row.
pub(in crate::db) fn read_community_and_standing(
    row: &QueryResult,
) -> DomainResult<(Community, Standing)> {
    let model = community::Model::from_query_result(row, COMMUNITY).context("read community")?;
    let role: Option<String> = row.try_get("", ROLE).context("read membership")?;
    let kind: Option<String> = row.try_get("", PENDING).context("read request")?;
    Ok((
        to_community(model)?,
        standing(role.as_deref(), kind.as_deref()),
    ))
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
