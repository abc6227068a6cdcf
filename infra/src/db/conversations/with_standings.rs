//! Threads read with their community and where the reader stands with it: what every check on
//! a thread needs, in one statement.

use khub_domain::DomainResult;
use khub_domain::community::{Community, Standing};
use khub_domain::conversation::{Thread, ThreadId};
use khub_domain::person::PersonId;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Iterable};
use uuid::Uuid;

use super::rows::to_thread;
use crate::db::communities::{
    add_community_and_standing, add_community_and_standing_of, read_community_and_standing,
};
use crate::db::entity::{community, person, thread};
use crate::db::one_of::one_of;
use crate::error::ResultExt;

/// The threads among `ids`, each with its community and `reader`'s standing there.
pub(super) async fn threads_with_standings(
    db: &DatabaseConnection,
    ids: &[ThreadId],
    reader: Option<PersonId>,
) -> DomainResult<Vec<(Thread, Community, Standing)>> {
    let uuids: Vec<Uuid> = ids.iter().map(ThreadId::as_uuid).collect();
    let mut select = Query::select();
    select
        .columns(thread::Column::iter().map(|column| (thread::Entity, column)))
        .from(thread::Entity)
        .inner_join(
            community::Entity,
            Expr::col((community::Entity, community::Column::Id))
                .equals((thread::Entity, thread::Column::CommunityId)),
        )
        .and_where(one_of(db.get_database_backend(), thread::Column::Id, uuids));
    add_community_and_standing(&mut select, reader);
    let rows = db
        .query_all(&select)
        .await
        .context("find threads with standings")?;
    rows.iter()
        .map(|row| {
            let model = thread::Model::from_query_result(row, "").context("read thread")?;
            let (community, standing) = read_community_and_standing(row)?;
            Ok((to_thread(model)?, community, standing))
        })
        .collect()
}

/// The column naming which reader a row of [`thread_with_standings_of`] is for.
const READER: &str = "reader_id";

/// One thread with its community and where each of `readers` stands with it: one statement,
/// the readers joined as rows of `people` (everyone told of one event reads the same thread).
pub(super) async fn thread_with_standings_of(
    db: &DatabaseConnection,
    id: ThreadId,
    readers: &[PersonId],
) -> DomainResult<Vec<(PersonId, Thread, Community, Standing)>> {
    let backend = db.get_database_backend();
    let uuids: Vec<Uuid> = readers.iter().map(PersonId::as_uuid).collect();
    let mut select = Query::select();
    select
        .columns(thread::Column::iter().map(|column| (thread::Entity, column)))
        .expr_as(
            Expr::col((person::Entity, person::Column::Id)),
            Alias::new(READER),
        )
        .from(thread::Entity)
        .inner_join(
            community::Entity,
            Expr::col((community::Entity, community::Column::Id))
                .equals((thread::Entity, thread::Column::CommunityId)),
        )
        .join(
            JoinType::InnerJoin,
            person::Entity,
            one_of(backend, person::Column::Id, uuids),
        )
        .and_where(Expr::col((thread::Entity, thread::Column::Id)).eq(id.as_uuid()));
    add_community_and_standing_of(&mut select, Expr::col((person::Entity, person::Column::Id)));
    let rows = db
        .query_all(&select)
        .await
        .context("find a thread with its readers' standings")?;
    rows.iter()
        .map(|row| {
            let reader: Uuid = row.try_get("", READER).context("read reader")?;
            let model = thread::Model::from_query_result(row, "").context("read thread")?;
            let (community, standing) = read_community_and_standing(row)?;
            Ok((
                PersonId::from_uuid(reader),
                to_thread(model)?,
                community,
                standing,
            ))
        })
        .collect()
}
