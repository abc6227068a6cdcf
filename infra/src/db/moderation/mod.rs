//! The moderation log and the facilitators' queues in SQL. Log entries are appended by the
//! ledger, inside the transaction of the action they record.

pub(crate) mod flags;
mod log;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::community::CommunityId;
use khub_domain::conversation::{Post, PostStatus};
use khub_domain::moderation::{ContentRef, Flag, FlaggedItem, LogEntry};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::ports::ModerationRepository;
use khub_domain::reputation::Effects;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use crate::db::conversations::to_post;
use crate::db::entity::{post, thread};
use crate::db::keyset;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::error::ResultExt;
pub(crate) use log::append;

/// The moderation log and queues over the hub's database.
#[derive(Clone)]
pub struct SqlModeration {
    db: DatabaseConnection,
}

impl SqlModeration {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl ModerationRepository for SqlModeration {
    async fn add_flag(&self, flag: &Flag) -> DomainResult<u32> {
        flags::add(&self.db, flag).await
    }

    async fn resolve_flags(
        &self,
        content: ContentRef,
        at: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<bool> {
        let tx = self.db.begin().await.context("begin closing flags")?;
        if !flags::resolve(&tx, content, at).await? {
            return Ok(false);
        }
        ledger::apply(&tx, effects).await?;
        outbox::commit(tx, "commit closing flags").await?;
        Ok(true)
    }

    async fn flagged(
        &self,
        community: Option<CommunityId>,
        page: &PageRequest,
    ) -> DomainResult<Page<FlaggedItem>> {
        flags::queue(&self.db, community, page).await
    }

    async fn log(
        &self,
        community: Option<CommunityId>,
        page: &PageRequest,
    ) -> DomainResult<Page<LogEntry>> {
        log::page(&self.db, community, page).await
    }

    async fn pending(
        &self,
        community: CommunityId,
        page: &PageRequest,
    ) -> DomainResult<Page<Post>> {
        let threads_here = Query::select()
            .column(thread::Column::Id)
            .from(thread::Entity)
            .and_where(thread::Column::CommunityId.eq(community.as_uuid()))
            .to_owned();
        // The partial index `posts_pending` holds only pending posts, oldest first.
        let select = post::Entity::find()
            .filter(post::Column::Status.eq(PostStatus::Pending.as_str()))
            .filter(post::Column::ThreadId.in_subquery(threads_here));
        keyset::page(
            &self.db,
            select,
            (post::Column::CreatedAt, post::Column::Id),
            false,
            page,
            keyset::read_time_and_id,
            |row| Ok((keyset::time_and_id(row.created_at, row.id), to_post(row)?)),
        )
        .await
    }
}
