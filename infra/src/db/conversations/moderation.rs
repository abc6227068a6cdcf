//! Facilitators' changes to conversations in SQL: a post's status moved (rejected, hidden,
//! restored) with its thread's counters and search document kept in step; pinning; locking.
//! Each applies its effects (log entry, events, reputation) in the same transaction.

use khub_domain::DomainResult;
use khub_domain::conversation::{PostStatus, ThreadId};
use khub_domain::ports::PostChange;
use khub_domain::reputation::Effects;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};

use super::index::reindex_post;
use super::threads::{latest_reply, update_thread};
use crate::db::entity::{post, thread};
use crate::db::moderation::flags;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::error::ResultExt;

/// Moves a post to `change.to` if it is in one of `change.from`; an opening post carries its
/// thread with it, a reply its thread's count and latest reply.
pub(super) async fn change_status(
    db: &DatabaseConnection,
    change: &PostChange,
    effects: &Effects,
) -> DomainResult<bool> {
    let tx = db.begin().await.context("begin moderation")?;
    let from: Vec<&str> = change.from.iter().map(|s| s.as_str()).collect();
    let moderation = change.moderation.as_ref();
    let moved = post::Entity::update_many()
        .col_expr(post::Column::Status, Expr::value(change.to.as_str()))
        .col_expr(
            post::Column::ModerationReason,
            Expr::value(moderation.map(|m| m.reason.clone())),
        )
        .col_expr(
            post::Column::ModeratedAt,
            Expr::value(moderation.map(|m| m.at)),
        )
        .filter(post::Column::Id.eq(change.post.as_uuid()))
        .filter(post::Column::Status.is_in(from))
        .exec_with_returning(&tx)
        .await
        .context("change post status")?;
    let Some(moved) = moved.first() else {
        return Ok(false);
    };
    let thread = ThreadId::from_uuid(moved.thread_id);
    if moved.position == 0 {
        update_thread(&tx, thread, |update| {
            update.col_expr(thread::Column::Status, Expr::value(change.to.as_str()))
        })
        .await?;
    } else {
        recount_replies(&tx, thread).await?;
    }
    reindex_post(&tx, change.post).await?;
    if change.resolves_flags {
        flags::resolve(&tx, change.content, change.at).await?;
    }
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit moderation").await?;
    Ok(true)
}

/// The thread's reply count and latest reply, counted again from its approved replies.
async fn recount_replies(db: &impl ConnectionTrait, id: ThreadId) -> DomainResult<()> {
    // Counted in the update itself, so a reply posted meanwhile is not lost from the count.
    let approved = Query::select()
        .expr(Expr::col((post::Entity, post::Column::Id)).count())
        .from(post::Entity)
        .and_where(post::Column::ThreadId.eq(id.as_uuid()))
        .and_where(post::Column::Position.gt(0))
        .and_where(post::Column::Status.eq(PostStatus::Approved.as_str()))
        .to_owned();
    let count = Expr::SubQuery(None, Box::new(approved.into()));
    let latest = latest_reply(db, id).await?;
    update_thread(db, id, |update| {
        update
            .col_expr(thread::Column::ReplyCount, count)
            .col_expr(thread::Column::LastReplyId, Expr::value(latest))
    })
    .await
}

pub(super) async fn set_pinned(
    db: &DatabaseConnection,
    id: ThreadId,
    pinned: bool,
    effects: &Effects,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin pinning")?;
    update_thread(&tx, id, |update| {
        update.col_expr(thread::Column::Pinned, Expr::value(i32::from(pinned)))
    })
    .await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit pinning").await
}

pub(super) async fn set_locked(
    db: &DatabaseConnection,
    id: ThreadId,
    locked: bool,
    effects: &Effects,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin locking")?;
    update_thread(&tx, id, |update| {
        update.col_expr(thread::Column::Locked, Expr::value(locked))
    })
    .await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit locking").await
}
