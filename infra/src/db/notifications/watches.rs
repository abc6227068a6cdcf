//! Watch levels: one per person and thread or community.

use std::collections::HashMap;

use khub_domain::DomainResult;
use khub_domain::community::CommunityId;
use khub_domain::conversation::ThreadId;
use khub_domain::notification::{DefaultWatch, WatchLevel};
use khub_domain::person::PersonId;
use sea_orm::sea_query::{Alias, Expr, InsertStatement, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::entity::{community_watch, thread_watch};
use crate::error::ResultExt;

pub(crate) async fn set_thread(
    db: &impl ConnectionTrait,
    person: PersonId,
    thread: ThreadId,
    level: WatchLevel,
) -> DomainResult<()> {
    thread_watch::Entity::insert(thread_row(person, thread, level))
        .on_conflict(
            OnConflict::columns([
                thread_watch::Column::PersonId,
                thread_watch::Column::ThreadId,
            ])
            .update_column(thread_watch::Column::Level)
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .context("watch thread")?;
    Ok(())
}

pub(crate) async fn set_community(
    db: &impl ConnectionTrait,
    person: PersonId,
    community: CommunityId,
    level: WatchLevel,
) -> DomainResult<()> {
    let row = community_watch::ActiveModel {
        person_id: Set(person.as_uuid()),
        community_id: Set(community.as_uuid()),
        level: Set(level.as_str().to_owned()),
    };
    community_watch::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                community_watch::Column::PersonId,
                community_watch::Column::CommunityId,
            ])
            .update_column(community_watch::Column::Level)
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .context("watch community")?;
    Ok(())
}

/// Sets each level unless the person already has one on that thread.
pub(crate) async fn set_defaults(
    db: &impl ConnectionTrait,
    watches: &[DefaultWatch],
) -> DomainResult<()> {
    if watches.is_empty() {
        return Ok(());
    }
    let rows = watches
        .iter()
        .map(|w| thread_row(w.person, w.thread, w.level));
    thread_watch::Entity::insert_many(rows)
        .on_conflict(keep_chosen())
        .exec_without_returning(db)
        .await
        .context("set default watch levels")?;
    Ok(())
}

/// For a change written as one statement: each default as `INSERT … SELECT … FROM source`
/// (a CTE of the change), set only if `source` has a row.
pub(crate) fn defaults_from(
    watches: &[DefaultWatch],
    source: &str,
) -> DomainResult<Vec<InsertStatement>> {
    watches
        .iter()
        .map(|w| {
            let select = Query::select()
                .exprs([
                    Expr::val(w.person.as_uuid()),
                    Expr::val(w.thread.as_uuid()),
                    Expr::val(w.level.as_str()),
                ])
                .from(Alias::new(source))
                .to_owned();
            Ok(Query::insert()
                .into_table(thread_watch::Entity)
                .columns([
                    thread_watch::Column::PersonId,
                    thread_watch::Column::ThreadId,
                    thread_watch::Column::Level,
                ])
                .select_from(select)
                .context("build a default watch")?
                .on_conflict(keep_chosen())
                .to_owned())
        })
        .collect()
}

/// A level the person chose stands.
fn keep_chosen() -> OnConflict {
    OnConflict::columns([
        thread_watch::Column::PersonId,
        thread_watch::Column::ThreadId,
    ])
    .do_nothing()
    .to_owned()
}

pub(crate) async fn on_threads(
    db: &impl ConnectionTrait,
    person: PersonId,
    threads: &[ThreadId],
) -> DomainResult<HashMap<ThreadId, WatchLevel>> {
    let ids: Vec<Uuid> = threads.iter().map(ThreadId::as_uuid).collect();
    let rows = thread_watch::Entity::find()
        .filter(thread_watch::Column::PersonId.eq(person.as_uuid()))
        .filter(thread_watch::Column::ThreadId.is_in(ids))
        .all(db)
        .await
        .context("read thread watches")?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some((
                ThreadId::from_uuid(r.thread_id),
                WatchLevel::parse(&r.level)?,
            ))
        })
        .collect())
}

pub(crate) async fn on_communities(
    db: &impl ConnectionTrait,
    person: PersonId,
    communities: &[CommunityId],
) -> DomainResult<HashMap<CommunityId, WatchLevel>> {
    let ids: Vec<Uuid> = communities.iter().map(CommunityId::as_uuid).collect();
    let rows = community_watch::Entity::find()
        .filter(community_watch::Column::PersonId.eq(person.as_uuid()))
        .filter(community_watch::Column::CommunityId.is_in(ids))
        .all(db)
        .await
        .context("read community watches")?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some((
                CommunityId::from_uuid(r.community_id),
                WatchLevel::parse(&r.level)?,
            ))
        })
        .collect())
}

fn thread_row(person: PersonId, thread: ThreadId, level: WatchLevel) -> thread_watch::ActiveModel {
    thread_watch::ActiveModel {
        person_id: Set(person.as_uuid()),
        thread_id: Set(thread.as_uuid()),
        level: Set(level.as_str().to_owned()),
    }
}
