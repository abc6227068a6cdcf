use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::conversation::{self as domain, PostScope};

use super::Person;
use super::thread::PostStatus;
use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::html;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{PersonLoader, PostLoader, ReactionsLoader};

/// A thread's opening post or a reply.
#[derive(Clone)]
pub struct Post {
    post: domain::Post,
    /// Which posts of the thread the viewer sees.
    scope: PostScope,
}

impl Post {
    pub fn new(post: domain::Post, scope: PostScope) -> Self {
        Self { post, scope }
    }

    /// The body, unless the post was deleted.
    pub fn visible_body(&self) -> Option<&str> {
        (!self.post.is_deleted()).then_some(self.post.body.as_str())
    }
}

#[Object]
/// A thread's opening post or a reply.
impl Post {
    /// The post's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Post, self.post.id.as_uuid())
    }

    /// The thread's global id.
    async fn thread_id(&self) -> ID {
        id::encode(NodeKind::Thread, self.post.thread.as_uuid())
    }

    /// Who wrote it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.post.author).await?.map(Person))
    }

    /// The body as written (Markdown); null once deleted.
    async fn body(&self) -> Option<&str> {
        self.visible_body()
    }

    /// The body as sanitised HTML, mentions linked to the people; null once deleted.
    async fn body_html(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        match self.visible_body() {
            Some(body) => Ok(Some(html::rendered(ctx, body).await?)),
            None => Ok(None),
        }
    }

    /// 0 for the opening post, then 1, 2, … in the order posted.
    async fn position(&self) -> u64 {
        self.post.position
    }

    /// PENDING while it awaits a facilitator; REJECTED or HIDDEN after one acted.
    async fn status(&self) -> PostStatus {
        self.post.status.into()
    }

    /// Why a facilitator rejected or hid it (or that members' flags hid it); null while it
    /// is shown to readers. Only its author and the facilitators see such a post.
    async fn moderation_reason(&self) -> Option<&str> {
        self.post.moderation.as_ref().map(|m| m.reason.as_str())
    }

    /// Whether it was deleted (it stays in the thread as a tombstone).
    async fn deleted(&self) -> bool {
        self.post.is_deleted()
    }

    /// The post it answers, if the viewer may see it.
    async fn reply_to(&self, ctx: &Context<'_>) -> Result<Option<Post>> {
        let Some(id) = self.post.reply_to else {
            return Ok(None);
        };
        let found = ctx.data::<DataLoader<PostLoader>>()?.load_one(id).await?;
        Ok(found
            .filter(|post| domain::in_scope(post, self.scope))
            .map(|post| Post::new(post, self.scope)))
    }

    /// The people it @mentions.
    async fn mentions(&self, ctx: &Context<'_>) -> Result<Vec<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        let mut found = loader.load_many(self.post.mentions.iter().copied()).await?;
        Ok(self
            .post
            .mentions
            .iter()
            .filter_map(|id| found.remove(id).map(Person))
            .collect())
    }

    /// How many of each reaction it has.
    async fn reactions(&self) -> ReactionCounts {
        ReactionCounts::from(self.post.reactions)
    }

    /// The viewer's own reactions.
    async fn viewer_reactions(&self, ctx: &Context<'_>) -> Result<Vec<ReactionKind>> {
        let Some(viewer) = ctx.data::<Actor>()?.person() else {
            return Ok(Vec::new());
        };
        let loader = ctx.data::<DataLoader<ReactionsLoader>>()?;
        let found = loader.load_one((viewer.id, self.post.id)).await?;
        Ok(found
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// When it was posted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.post.created_at
    }

    /// When it was last edited.
    async fn edited_at(&self) -> Option<DateTime<Utc>> {
        self.post.edited_at
    }

    /// How many times it was edited.
    async fn edit_count(&self) -> u32 {
        self.post.edit_count
    }

    /// Its earlier versions, most recent first; empty once deleted.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn edits(
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
    ) -> Result<Connection<PostEdit>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        if self.post.is_deleted() {
            return Ok(connection::from_page(
                khub_domain::pagination::Page::empty(),
                PostEdit,
            ));
        }
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .conversations()
            .edits(&self.post, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, PostEdit))
    }
}

/// An earlier version of a post.
pub struct PostEdit(pub domain::PostEdit);

#[Object]
/// An earlier version of a post.
impl PostEdit {
    /// 1 for the first edit.
    async fn number(&self) -> u32 {
        self.0.number
    }

    /// The body before this edit (Markdown).
    async fn previous_body(&self) -> &str {
        &self.0.previous_body
    }

    /// Who edited it.
    async fn edited_by(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.0.edited_by).await?.map(Person))
    }

    /// When.
    async fn edited_at(&self) -> DateTime<Utc> {
        self.0.edited_at
    }
}

/// How many of each reaction a post has.
#[derive(SimpleObject)]
pub struct ReactionCounts {
    /// LIKE reactions.
    pub like: u32,
    /// INSIGHTFUL reactions.
    pub insightful: u32,
    /// HELPFUL reactions.
    pub helpful: u32,
    /// SUPPORT reactions.
    pub support: u32,
}

impl From<domain::ReactionCounts> for ReactionCounts {
    fn from(counts: domain::ReactionCounts) -> Self {
        Self {
            like: counts.like,
            insightful: counts.insightful,
            helpful: counts.helpful,
            support: counts.support,
        }
    }
}

/// A reaction to a post.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ReactionKind {
    /// Like it.
    Like,
    /// It taught me something.
    Insightful,
    /// It helped me.
    Helpful,
    /// I support this.
    Support,
}

mirror_enum!(ReactionKind <=> domain::ReactionKind { Like, Insightful, Helpful, Support });
