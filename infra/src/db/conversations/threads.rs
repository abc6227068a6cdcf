//! Threads' own changes in SQL: starting one, approving a pending post, accepting an answer,
//! and the counters a reply moves. Community activity is stamped in the same transaction as
//! the write it records.

use chrono::{DateTime, Utc};
use khub_domain::community::CommunityId;
use khub_domain::conversation::{Post, PostId, PostStatus, Thread, ThreadId};
use khub_domain::reputation::Effects;
use khub_domain::search::SearchDocument;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::index::reindex_post;
use super::rows::{post_row, thread_row};
use crate::db::communities::record_activity;
use crate::db::entity::{post, thread};
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::db::search::documents;
use crate::error::ResultExt;

#[tracing::instrument(skip_all, fields(thread = %thread.id))]
pub(super) async fn start(
    db: &DatabaseConnection,
    thread: &Thread,
    opening: &Post,
    effects: &Effects,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin thread")?;
    thread_row(thread)
        .insert(&tx)
        .await
        .context("insert thread")?;
    post_row(opening)?
        .insert(&tx)
        .await
        .context("insert opening post")?;
    if thread.status == PostStatus::Approved {
        record_activity(&tx, thread.community, thread.created_at).await?;
    }
    let document = SearchDocument::of_thread(thread, opening);
    documents::sync(&tx, thread.id.as_uuid(), document).await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit thread").await
}

/// Approves a pending post and stamps its community's activity, in one transaction.
#[tracing::instrument(skip_all, fields(post = %id))]
pub(super) async fn approve(
    db: &DatabaseConnection,
    id: PostId,
    community: CommunityId,
    now: DateTime<Utc>,
    effects: &Effects,
) -> DomainResult<bool> {
    let tx = db.begin().await.context("begin approval")?;
    let approved = post::Entity::update_many()
        .col_expr(
            post::Column::Status,
            Expr::value(PostStatus::Approved.as_str()),
        )
        .filter(post::Column::Id.eq(id.as_uuid()))
        .filter(post::Column::Status.eq(PostStatus::Pending.as_str()))
        .exec(&tx)
        .await
        .context("approve post")?;
    if approved.rows_affected == 0 {
        return Ok(false);
    }
    let post = post::Entity::find_by_id(id.as_uuid())
        .one(&tx)
        .await
        .context("read post")?
        .ok_or(DomainError::NotFound)?;
    let thread = ThreadId::from_uuid(post.thread_id);
    if post.position == 0 {
        update_thread(&tx, thread, |update| {
            update
                .col_expr(
                    thread::Column::Status,
                    Expr::value(PostStatus::Approved.as_str()),
                )
                .col_expr(thread::Column::LastActivityAt, Expr::value(now))
        })
        .await?;
    } else {
        count_approved_reply(&tx, thread, PostId::from_uuid(post.id), now).await?;
    }
    record_activity(&tx, community, now).await?;
    reindex_post(&tx, id).await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit approval").await?;
    Ok(true)
}

/// Sets the accepted answer if it is still `previous` (what `effects` were worked out from),
/// with those effects, in one transaction; false when another acceptance came first.
pub(super) async fn accept(
    db: &DatabaseConnection,
    id: ThreadId,
    post: PostId,
    previous: Option<PostId>,
    effects: &Effects,
) -> DomainResult<bool> {
    let tx = db.begin().await.context("begin accepting")?;
    let still = match previous {
        Some(previous) => thread::Column::AcceptedAnswerId.eq(previous.as_uuid()),
        None => thread::Column::AcceptedAnswerId.is_null(),
    };
    let updated = thread::Entity::update_many()
        .col_expr(
            thread::Column::AcceptedAnswerId,
            Expr::value(post.as_uuid()),
        )
        .filter(thread::Column::Id.eq(id.as_uuid()))
        .filter(still)
        .exec(&tx)
        .await
        .context("accept answer")?;
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit accepting").await?;
    Ok(true)
}

pub(super) type ThreadUpdate = sea_orm::UpdateMany<thread::Entity>;

pub(super) async fn update_thread(
    db: &impl ConnectionTrait,
    id: ThreadId,
    set: impl FnOnce(ThreadUpdate) -> ThreadUpdate,
) -> DomainResult<()> {
    let updated = set(thread::Entity::update_many())
        .filter(thread::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await
        .context("update thread")?;
    match updated.rows_affected {
        0 => Err(DomainError::NotFound),
        _ => Ok(()),
    }
}

/// Hands a new reply the thread's next position, counting it in the same update; it takes the
/// thread's row lock, so positions are handed out one at a time. An approved reply is the
/// newest, so it is also the latest reply.
pub(super) async fn claim_position(
    db: &impl ConnectionTrait,
    reply: &Post,
    now: DateTime<Utc>,
) -> DomainResult<u64> {
    let updated = claim_update(reply, now)
        .exec_with_returning(db)
        .await
        .context("claim a position")?;
    updated
        .first()
        .and_then(|thread| u64::try_from(thread.post_count).ok())
        .ok_or(DomainError::NotFound)
}

/// The update behind [`claim_position`].
pub(super) fn claim_update(reply: &Post, now: DateTime<Utc>) -> ThreadUpdate {
    let mut update = thread::Entity::update_many().col_expr(
        thread::Column::PostCount,
        Expr::col(thread::Column::PostCount).add(1),
    );
    if reply.status == PostStatus::Approved {
        update = one_more_reply(update, reply.id.as_uuid(), now);
    }
    update.filter(thread::Column::Id.eq(reply.thread.as_uuid()))
}

/// Counts an approved reply: one more reply, the latest one, the thread's latest activity.
pub(super) async fn count_approved_reply(
    db: &impl ConnectionTrait,
    id: ThreadId,
    reply: PostId,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    // An older post approved late is not the latest reply.
    let latest = latest_reply(db, id).await?.unwrap_or(reply.as_uuid());
    update_thread(db, id, |update| one_more_reply(update, latest, now)).await
}

/// The thread's latest approved reply, if any.
pub(super) async fn latest_reply(
    db: &impl ConnectionTrait,
    id: ThreadId,
) -> DomainResult<Option<Uuid>> {
    post::Entity::find()
        .select_only()
        .column(post::Column::Id)
        .filter(post::Column::ThreadId.eq(id.as_uuid()))
        .filter(post::Column::Position.gt(0))
        .filter(post::Column::Status.eq(PostStatus::Approved.as_str()))
        .order_by_desc(post::Column::Position)
        .into_tuple()
        .one(db)
        .await
        .context("find latest reply")
}

/// One more approved reply: `latest` is the thread's latest reply and `now` its latest activity.
pub(super) fn one_more_reply(
    update: ThreadUpdate,
    latest: Uuid,
    now: DateTime<Utc>,
) -> ThreadUpdate {
    update
        .col_expr(
            thread::Column::ReplyCount,
            Expr::col(thread::Column::ReplyCount).add(1),
        )
        .col_expr(thread::Column::LastReplyId, Expr::value(latest))
        .col_expr(thread::Column::LastActivityAt, Expr::value(now))
}
