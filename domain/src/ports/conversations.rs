use crate::community::{Community, CommunityId, Standing};
use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::conversation::{
    Moderated, Post, PostEdit, PostId, PostScope, PostStatus, ReactionCounts, ReactionKind, Thread,
    ThreadId, ThreadQuery,
};
use crate::error::DomainResult;
use crate::moderation::ContentRef;
use crate::pagination::{Direction, Page, PageRequest};
use crate::person::PersonId;
use crate::reputation::Effects;

/// A reply to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReply {
    pub post: Post,
    /// The thread's community: an approved reply is its latest activity too.
    pub community: CommunityId,
    /// When approved, the reply counts at once and is the thread's latest activity.
    pub now: DateTime<Utc>,
    pub effects: Effects,
}

/// A facilitator's change to a post's status, made only if it is in one of `from`.
#[derive(Debug, Clone, PartialEq)]
pub struct PostChange {
    pub post: PostId,
    /// What flags on it are kept against: its thread, for an opening post.
    pub content: ContentRef,
    pub from: &'static [PostStatus],
    pub to: PostStatus,
    /// Why, shown to the author, and since when (so a restore can give back what hiding
    /// took); none clears them.
    pub moderation: Option<Moderated>,
    /// A facilitator reviewed it: its open flags are closed.
    pub resolves_flags: bool,
    pub at: DateTime<Utc>,
}

/// Where threads, posts, reactions and edit history are kept. `effects` (reputation, events) are
/// applied in the same transaction as the change that causes them, and only if it happens. Changes to one thread's counters
/// happen in one transaction holding the thread's row.
#[async_trait]
pub trait ConversationRepository: Send + Sync {
    /// Stores a thread and its opening post.
    async fn start_thread(
        &self,
        thread: &Thread,
        opening: &Post,
        effects: &Effects,
    ) -> DomainResult<()>;
    /// The threads among `ids`, each with its community and where `reader` stands with it
    /// (anonymous: nowhere), in one read.
    async fn find_threads_with_standings(
        &self,
        ids: &[ThreadId],
        reader: Option<PersonId>,
    ) -> DomainResult<Vec<(Thread, Community, Standing)>>;
    /// One thread, with its community and where each of `readers` stands with it, in one
    /// read; none when the thread does not exist.
    async fn find_thread_with_standings_of(
        &self,
        id: ThreadId,
        readers: &[PersonId],
    ) -> DomainResult<Vec<(PersonId, Thread, Community, Standing)>>;
    async fn find_posts(&self, ids: &[PostId]) -> DomainResult<Vec<Post>>;
    /// Threads the query allows, pinned first, then by latest activity.
    async fn threads(&self, query: &ThreadQuery, page: &PageRequest) -> DomainResult<Page<Thread>>;
    /// Stores a reply at the thread's next position; returns it as stored.
    async fn add_reply(&self, reply: NewReply) -> DomainResult<Post>;
    /// The thread's replies in `scope`, in the order posted.
    async fn replies(
        &self,
        thread: ThreadId,
        scope: PostScope,
        page: &PageRequest,
    ) -> DomainResult<Page<Post>>;
    /// The first (`Forward`) or last `limit + 1` replies in `scope` of each thread, in the order
    /// posted: the opening page of many threads' replies in one query.
    async fn reply_pages(
        &self,
        threads: &[ThreadId],
        scope: PostScope,
        direction: Direction,
        limit: usize,
    ) -> DomainResult<HashMap<ThreadId, Vec<Post>>>;
    /// Replaces a post's body, keeping the previous one as an edit.
    async fn edit_post(
        &self,
        post: PostId,
        body: &str,
        mentions: &[PersonId],
        editor: PersonId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<Post>;
    /// A post's earlier versions, most recent first.
    async fn edits(&self, post: PostId, page: &PageRequest) -> DomainResult<Page<PostEdit>>;
    /// Marks a post deleted (its body cleared); false if it already was.
    async fn delete_post(
        &self,
        post: PostId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<bool>;
    /// Approves a pending post (an opening post approves its thread) and stamps its community's
    /// activity, in one transaction; false if it was not pending.
    async fn approve_post(
        &self,
        post: PostId,
        community: CommunityId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<bool>;
    /// Adds the reaction, or removes it if the person had it (applying `if_added` or
    /// `if_removed`, their reaction events given the counts after); returns whether it is now
    /// on, and the post's counts after.
    async fn toggle_reaction(
        &self,
        post: PostId,
        person: PersonId,
        kind: ReactionKind,
        now: DateTime<Utc>,
        if_added: &Effects,
        if_removed: &Effects,
    ) -> DomainResult<(bool, ReactionCounts)>;
    /// The reactions `person` has on each of `posts`.
    async fn reactions_by(
        &self,
        person: PersonId,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<ReactionKind>>>;
    /// Makes `post` the thread's accepted answer, with `effects`, if the accepted answer is
    /// still `previous` (what the effects were worked out from); false when it no longer is.
    async fn set_accepted_answer(
        &self,
        thread: ThreadId,
        post: PostId,
        previous: Option<PostId>,
        effects: &Effects,
    ) -> DomainResult<bool>;
    /// Moves a post (an opening post with its thread) to another status with `effects`, keeping
    /// its counters, latest reply and search document in step; false if it was in none of
    /// `change.from`.
    async fn change_post_status(
        &self,
        change: &PostChange,
        effects: &Effects,
    ) -> DomainResult<bool>;
    async fn set_pinned(
        &self,
        thread: ThreadId,
        pinned: bool,
        effects: &Effects,
    ) -> DomainResult<()>;
    async fn set_locked(
        &self,
        thread: ThreadId,
        locked: bool,
        effects: &Effects,
    ) -> DomainResult<()>;
}
