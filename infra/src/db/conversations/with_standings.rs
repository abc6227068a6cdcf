//! Threads read with their community and where the reader stands with it: what every check on
//! a thread needs, in one statement.

use khub_domain::DomainResult;
use khub_domain::community::{Community, Standing};
use khub_domain::conversation::{Thread, ThreadId};
use khub_domain::person::PersonId;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Iterable};
use uuid::Uuid;

use super::rows::to_thread;
use crate::db::communities::{add_community_and_standing, read_community_and_standing};
use crate::db::entity::{community, thread};
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
