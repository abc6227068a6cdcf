//! Threads, posts, reactions and edit history in SQL.

mod index;
mod list;
mod moderation;
mod pages;
mod reply;
mod rows;
mod threads;
mod with_standings;

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::community::{Community, CommunityId, Standing};
use khub_domain::conversation::{
    Post, PostEdit, PostId, PostScope, ReactionCounts, ReactionKind, Thread, ThreadId, ThreadQuery,
};
use khub_domain::pagination::{Direction, Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::{ConversationRepository, NewReply, PostChange};
use khub_domain::reputation::Effects;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{post, post_edit, post_reaction as reaction, thread};
use super::keyset;
use super::reputation::ledger;
use crate::db::one_of::one_of;
use crate::db::outbox;
use crate::error::ResultExt;
use rows::to_edit;
pub(crate) use rows::{to_post, to_thread};

/// The conversation repository over sea-orm.
#[derive(Clone)]
pub struct SqlConversations {
    db: DatabaseConnection,
}

impl SqlConversations {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl ConversationRepository for SqlConversations {
    async fn start_thread(
        &self,
        thread: &Thread,
        opening: &Post,
        effects: &Effects,
    ) -> DomainResult<()> {
        threads::start(&self.db, thread, opening, effects).await
    }

    async fn find_threads_with_standings(
        &self,
        ids: &[ThreadId],
        reader: Option<PersonId>,
    ) -> DomainResult<Vec<(Thread, Community, Standing)>> {
        with_standings::threads_with_standings(&self.db, ids, reader).await
    }

    async fn find_thread_with_standings_of(
        &self,
        id: ThreadId,
        readers: &[PersonId],
    ) -> DomainResult<Vec<(PersonId, Thread, Community, Standing)>> {
        with_standings::thread_with_standings_of(&self.db, id, readers).await
    }

    async fn find_posts(&self, ids: &[PostId]) -> DomainResult<Vec<Post>> {
        let uuids: Vec<Uuid> = ids.iter().map(PostId::as_uuid).collect();
        post::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                post::Column::Id,
                uuids,
            ))
            .all(&self.db)
            .await
            .context("find posts")?
            .into_iter()
            .map(to_post)
            .collect()
    }

    async fn threads(&self, query: &ThreadQuery, page: &PageRequest) -> DomainResult<Page<Thread>> {
        let select = thread::Entity::find().filter(list::threads(query));
        let order = (
            thread::Column::Pinned,
            thread::Column::LastActivityAt,
            thread::Column::Id,
        );
        keyset::page(
            &self.db,
            select,
            order,
            true,
            page,
            keyset::read_int_time_and_id,
            |row| {
                let cursor =
                    keyset::int_time_and_id(i64::from(row.pinned), row.last_activity_at, row.id);
                Ok((cursor, to_thread(row)?))
            },
        )
        .await
    }

    #[tracing::instrument(skip_all, fields(thread = %reply.post.thread))]
    async fn add_reply(&self, reply: NewReply) -> DomainResult<Post> {
        reply::add(&self.db, reply).await
    }

    async fn replies(
        &self,
        thread: ThreadId,
        scope: PostScope,
        page: &PageRequest,
    ) -> DomainResult<Page<Post>> {
        let select = post::Entity::find()
            .filter(post::Column::ThreadId.eq(thread.as_uuid()))
            .filter(list::replies(scope));
        keyset::page(
            &self.db,
            select,
            post::Column::Position,
            false,
            page,
            keyset::read_int,
            |row| Ok((keyset::int(row.position), to_post(row)?)),
        )
        .await
    }

    async fn reply_pages(
        &self,
        threads: &[ThreadId],
        scope: PostScope,
        direction: Direction,
        limit: usize,
    ) -> DomainResult<HashMap<ThreadId, Vec<Post>>> {
        pages::reply_pages(&self.db, threads, scope, direction, limit).await
    }

    #[tracing::instrument(skip_all, fields(post = %id))]
    async fn edit_post(
        &self,
        id: PostId,
        body: &str,
        mentions: &[PersonId],
        editor: PersonId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<Post> {
        let tx = self.db.begin().await.context("begin edit")?;
        let mentions: Vec<Uuid> = mentions.iter().map(PersonId::as_uuid).collect();
        // The update takes the post's row lock before its current text is read.
        post::Entity::update_many()
            .col_expr(
                post::Column::EditCount,
                Expr::col(post::Column::EditCount).add(1),
            )
            .filter(post::Column::Id.eq(id.as_uuid()))
            .exec(&tx)
            .await
            .context("count edit")?;
        let current = post::Entity::find_by_id(id.as_uuid())
            .one(&tx)
            .await
            .context("read post")?
            .ok_or(DomainError::NotFound)?;
        post_edit::ActiveModel {
            post_id: Set(id.as_uuid()),
            number: Set(current.edit_count),
            previous_body: Set(current.body.clone()),
            edited_by: Set(editor.as_uuid()),
            edited_at: Set(now),
        }
        .insert(&tx)
        .await
        .context("keep previous text")?;
        let mut update: post::ActiveModel = current.into();
        update.body = Set(body.to_owned());
        update.mentions = Set(serde_json::to_string(&mentions).context("encode mentions")?);
        update.edited_at = Set(Some(now));
        let row = update.update(&tx).await.context("update post")?;
        index::reindex_post(&tx, id).await?;
        ledger::apply(&tx, effects).await?;
        outbox::commit(tx, "commit edit").await?;
        to_post(row)
    }

    async fn edits(&self, id: PostId, page: &PageRequest) -> DomainResult<Page<PostEdit>> {
        let select = post_edit::Entity::find().filter(post_edit::Column::PostId.eq(id.as_uuid()));
        keyset::page(
            &self.db,
            select,
            post_edit::Column::Number,
            true,
            page,
            |c| keyset::read_int(c).and_then(|n| i32::try_from(n).ok()),
            |row| Ok((keyset::int(i64::from(row.number)), to_edit(row))),
        )
        .await
    }

    async fn delete_post(
        &self,
        id: PostId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<bool> {
        let tx = self.db.begin().await.context("begin deletion")?;
        let deleted = post::Entity::update_many()
            .col_expr(post::Column::DeletedAt, Expr::value(now))
            .filter(post::Column::Id.eq(id.as_uuid()))
            .filter(post::Column::DeletedAt.is_null())
            .exec(&tx)
            .await
            .context("delete post")?;
        if deleted.rows_affected == 0 {
            return Ok(false);
        }
        index::reindex_post(&tx, id).await?;
        ledger::apply(&tx, effects).await?;
        outbox::commit(tx, "commit deletion").await?;
        Ok(true)
    }

    async fn approve_post(
        &self,
        id: PostId,
        community: CommunityId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<bool> {
        threads::approve(&self.db, id, community, now, effects).await
    }

    #[tracing::instrument(skip_all, fields(post = %id))]
    async fn toggle_reaction(
        &self,
        id: PostId,
        person: PersonId,
        kind: ReactionKind,
        now: DateTime<Utc>,
        if_added: &Effects,
        if_removed: &Effects,
    ) -> DomainResult<(bool, ReactionCounts)> {
        let tx = self.db.begin().await.context("begin reaction")?;
        let key = (id.as_uuid(), person.as_uuid(), kind.as_str().to_owned());
        let removed = reaction::Entity::delete_by_id(key)
            .exec(&tx)
            .await
            .context("remove reaction")?;
        let (active, effects) = if removed.rows_affected == 1 {
            bump_reaction(&tx, id, kind, -1).await?;
            (false, Some(if_removed))
        } else {
            let row = reaction::ActiveModel {
                post_id: Set(id.as_uuid()),
                person_id: Set(person.as_uuid()),
                kind: Set(kind.as_str().to_owned()),
                created_at: Set(now),
            };
            let keys = [
                reaction::Column::PostId,
                reaction::Column::PersonId,
                reaction::Column::Kind,
            ];
            let added = reaction::Entity::insert(row)
                .on_conflict(OnConflict::columns(keys).do_nothing().to_owned())
                .exec_without_returning(&tx)
                .await
                .context("add reaction")?;
            // Zero rows: the same person's concurrent request added it first.
            if added == 1 {
                bump_reaction(&tx, id, kind, 1).await?;
            }
            (true, (added == 1).then_some(if_added))
        };
        let post = post::Entity::find_by_id(id.as_uuid())
            .one(&tx)
            .await
            .context("read reactions")?
            .ok_or(DomainError::NotFound)?;
        let counts = to_post(post)?.reactions;
        if let Some(effects) = effects {
            ledger::apply(&tx, &effects.with_reaction_counts(counts)).await?;
        }
        outbox::commit(tx, "commit reaction").await?;
        Ok((active, counts))
    }

    async fn reactions_by(
        &self,
        person: PersonId,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<ReactionKind>>> {
        let uuids: Vec<Uuid> = posts.iter().map(PostId::as_uuid).collect();
        let rows = reaction::Entity::find()
            .filter(reaction::Column::PersonId.eq(person.as_uuid()))
            .filter(one_of(
                self.db.get_database_backend(),
                reaction::Column::PostId,
                uuids,
            ))
            .all(&self.db)
            .await
            .context("read own reactions")?;
        let mut found: HashMap<PostId, Vec<ReactionKind>> = HashMap::new();
        for row in rows {
            if let Some(kind) = ReactionKind::parse(&row.kind) {
                found
                    .entry(PostId::from_uuid(row.post_id))
                    .or_default()
                    .push(kind);
            }
        }
        // In the reactions' own order: LIKE, INSIGHTFUL, HELPFUL, SUPPORT.
        found.values_mut().for_each(|kinds| kinds.sort());
        Ok(found)
    }

    async fn set_accepted_answer(
        &self,
        id: ThreadId,
        post: PostId,
        previous: Option<PostId>,
        effects: &Effects,
    ) -> DomainResult<bool> {
        threads::accept(&self.db, id, post, previous, effects).await
    }

    async fn change_post_status(
        &self,
        change: &PostChange,
        effects: &Effects,
    ) -> DomainResult<bool> {
        moderation::change_status(&self.db, change, effects).await
    }

    async fn set_pinned(&self, id: ThreadId, pinned: bool, effects: &Effects) -> DomainResult<()> {
        moderation::set_pinned(&self.db, id, pinned, effects).await
    }

    async fn set_locked(&self, id: ThreadId, locked: bool, effects: &Effects) -> DomainResult<()> {
        moderation::set_locked(&self.db, id, locked, effects).await
    }
}

async fn bump_reaction(
    db: &impl ConnectionTrait,
    id: PostId,
    kind: ReactionKind,
    by: i64,
) -> DomainResult<()> {
    let column = match kind {
        ReactionKind::Like => post::Column::LikeCount,
        ReactionKind::Insightful => post::Column::InsightfulCount,
        ReactionKind::Helpful => post::Column::HelpfulCount,
        ReactionKind::Support => post::Column::SupportCount,
    };
    post::Entity::update_many()
        .col_expr(column, Expr::col(column).add(by))
        .filter(post::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await
        .context("count reaction")?;
    Ok(())
}
