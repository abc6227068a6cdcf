use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::conversation::{self as domain, PostScope};
use khub_domain::pagination::Page;

use super::notification::viewer_thread_level;
use super::post::Post;
use super::{Community, Person, Practice, WatchLevel};
use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::html;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{PersonLoader, PostLoader, PracticeLoader, RepliesLoader};

/// A conversation in a community, optionally about a practice.
#[derive(Clone)]
pub struct Thread(Arc<domain::ThreadView>);

impl Thread {
    pub fn new(view: domain::ThreadView) -> Self {
        Self(Arc::new(view))
    }

    fn thread(&self) -> &domain::Thread {
        &self.0.thread
    }

    /// Which posts the viewer sees in this thread.
    fn scope(&self, ctx: &Context<'_>) -> Result<PostScope> {
        let reader = ctx.data::<Actor>()?.person().map(|p| p.id);
        Ok(domain::post_scope(reader, &self.0.standing))
    }

    async fn post(&self, ctx: &Context<'_>, id: Option<domain::PostId>) -> Result<Option<Post>> {
        let Some(id) = id else {
            return Ok(None);
        };
        let scope = self.scope(ctx)?;
        let found = ctx.data::<DataLoader<PostLoader>>()?.load_one(id).await?;
        Ok(found
            .filter(|post| domain::in_scope(post, scope))
            .map(|post| Post::new(post, scope)))
    }
}

#[Object]
/// A conversation in a community, optionally about a practice.
impl Thread {
    /// The thread's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Thread, self.thread().id.as_uuid())
    }

    /// The title.
    async fn title(&self) -> &str {
        &self.thread().title
    }

    /// DISCUSSION, QUESTION or DEBATE.
    async fn kind(&self) -> ThreadKind {
        self.thread().kind.into()
    }

    /// PENDING while a facilitated thread awaits approval (seen by its author and facilitators).
    async fn status(&self) -> PostStatus {
        self.thread().status.into()
    }

    /// Pinned threads come first.
    async fn pinned(&self) -> bool {
        self.thread().pinned
    }

    /// A locked thread takes no new replies.
    async fn locked(&self) -> bool {
        self.thread().locked
    }

    /// Who started it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.thread().author).await?.map(Person))
    }

    /// The community it is in.
    async fn community(&self) -> Community {
        Community {
            community: self.0.community.clone(),
            standing: self.0.standing,
        }
    }

    /// The practice it is about, if any and if the viewer may read it.
    async fn practice(&self, ctx: &Context<'_>) -> Result<Option<Practice>> {
        let Some(id) = self.thread().practice else {
            return Ok(None);
        };
        let reader = ctx.data::<Actor>()?.person().map(|p| p.id);
        let loader = ctx.data::<DataLoader<PracticeLoader>>()?;
        Ok(loader.load_one((reader, id)).await?.map(Practice::new))
    }

    /// The opening post.
    async fn opening_post(&self, ctx: &Context<'_>) -> Result<Option<Post>> {
        self.post(ctx, Some(self.thread().opening_post)).await
    }

    /// The opening post's body (Markdown); null once deleted.
    async fn body(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let opening = self.post(ctx, Some(self.thread().opening_post)).await?;
        Ok(opening.and_then(|post| post.visible_body().map(str::to_owned)))
    }

    /// The opening post's body as sanitised HTML, mentions linked to the people; null once
    /// deleted.
    async fn body_html(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let opening = self.post(ctx, Some(self.thread().opening_post)).await?;
        match opening.as_ref().and_then(|post| post.visible_body()) {
            Some(body) => Ok(Some(html::rendered(ctx, body).await?)),
            None => Ok(None),
        }
    }

    /// How many approved replies it has.
    async fn reply_count(&self) -> u64 {
        self.thread().reply_count
    }

    /// The latest approved reply.
    async fn last_reply(&self, ctx: &Context<'_>) -> Result<Option<Post>> {
        self.post(ctx, self.thread().last_reply).await
    }

    /// For QUESTION threads: the accepted answer.
    async fn accepted_answer(&self, ctx: &Context<'_>) -> Result<Option<Post>> {
        self.post(ctx, self.thread().accepted_answer).await
    }

    /// When it was started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.thread().created_at
    }

    /// When it last had an approved post.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.thread().last_activity_at
    }

    /// How closely the viewer follows it (null when anonymous): WATCHING for a thread they
    /// started, TRACKING for one they replied in, else NORMAL, until they choose.
    async fn viewer_watch_level(&self, ctx: &Context<'_>) -> Result<Option<WatchLevel>> {
        viewer_thread_level(ctx, self.thread().id).await
    }

    /// Whether the viewer facilitates it (approves, pins, locks).
    async fn viewer_can_moderate(&self) -> bool {
        self.0
            .standing
            .at_least(khub_domain::community::Role::Facilitator)
    }

    /// The replies the viewer may see, in the order posted (pending ones only to their author
    /// and facilitators).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn replies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many items from the start (at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Items after this cursor (a `pageInfo.endCursor`).")] after: Option<
            String,
        >,
        #[graphql(desc = "At most this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Items before this cursor (a `pageInfo.startCursor`).")] before: Option<
            String,
        >,
    ) -> Result<Connection<Post>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let scope = self.scope(ctx)?;
        let opening = request.after.is_none() && request.before.is_none() && !request.with_total;
        let page = if opening {
            // The usual case in a list of threads: every thread's page in one query.
            let key = (self.thread().id, scope, request.direction, request.limit);
            let loader = ctx.data::<DataLoader<RepliesLoader>>()?;
            loader.load_one(key).await?.unwrap_or_else(Page::empty)
        } else {
            hub.conversations()
                .replies(actor, &self.0, &request)
                .await
                .map_err(ApiError)?
        };
        Ok(connection::from_page(page, |post| Post::new(post, scope)))
    }
}

/// What kind of conversation a thread is.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ThreadKind {
    /// An open discussion.
    Discussion,
    /// A question: its author or a facilitator accepts an answer.
    Question,
    /// A facilitated debate: members' posts wait for approval.
    Debate,
}

/// Whether a post (or thread) is visible to everyone who may read it.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PostStatus {
    /// Visible to every reader.
    Approved,
    /// Awaiting a facilitator: visible to its author and the facilitators.
    Pending,
    /// Turned down by a facilitator (see `moderationReason`): visible to its author and the
    /// facilitators.
    Rejected,
    /// Taken down by a facilitator or by members' flags, pending review (see
    /// `moderationReason`): visible to its author and the facilitators.
    Hidden,
}

mirror_enum!(ThreadKind <=> domain::ThreadKind { Discussion, Question, Debate });
mirror_enum!(PostStatus <=> domain::PostStatus { Approved, Pending, Rejected, Hidden });
