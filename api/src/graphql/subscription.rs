//! Live events over websockets. A subscriber is checked when it subscribes and again for every
//! event, so someone removed from a community stops receiving, and a pending post reaches only
//! its author and the facilitators.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, MergedSubscription, Object, Result, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::conversation::{PostScope, ThreadId, post_scope};
use khub_domain::events::{HubEvent, community_topic, thread_topic};

use super::context::HubContext;
use super::error::ApiError;
use super::id::{self, NodeKind};
use super::live::{Live, Watcher};
use super::live_source::deliveries;
use super::loaders::{PostLoader, PracticeLoader};
use super::notification_live::NotificationSubscription;
use super::types::{Post, Practice, ReactionCounts, ReactionKind, Thread};

/// Everything that can be followed live, over `/graphql/ws`.
#[derive(MergedSubscription, Default)]
pub struct Subscription(DiscussionSubscription, NotificationSubscription);

/// Live discussion: threads and communities.
#[derive(Default)]
pub struct DiscussionSubscription;

#[Subscription]
/// Live discussion: threads and communities.
impl DiscussionSubscription {
    /// What happens in a thread the viewer may read: replies posted, edited, deleted and
    /// approved, reactions, an accepted answer, the thread locked or reopened.
    async fn thread_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread's global id.")] thread_id: ID,
    ) -> Result<impl Stream<Item = ThreadEvent> + use<>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = id::expect(NodeKind::Thread, "threadId", &thread_id)
            .map(ThreadId::from_uuid)
            .map_err(ApiError)?;
        let view = hub
            .conversations()
            .thread(actor, id)
            .await
            .map_err(ApiError)?
            .ok_or(ApiError(DomainError::NotFound))?;
        let deliveries = deliveries(ctx, hub, &thread_topic(id)).await?;
        let watcher = Watcher::new(hub.conversations(), actor, view.community);
        Ok(watcher
            .watch(deliveries, ThreadEvent::kind_of)
            .map(ThreadEvent))
    }

    /// What happens in a community the viewer may read: threads started, practices published
    /// and promoted.
    async fn community_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The community's global id.")] community_id: ID,
    ) -> Result<impl Stream<Item = CommunityEvent> + use<>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = id::expect(NodeKind::Community, "communityId", &community_id)
            .map(CommunityId::from_uuid)
            .map_err(ApiError)?;
        let community = hub
            .conversations()
            .readable_community(actor, id)
            .await
            .map_err(ApiError)?
            .ok_or(ApiError(DomainError::NotFound))?;
        let deliveries = deliveries(ctx, hub, &community_topic(id)).await?;
        let watcher = Watcher::new(hub.conversations(), actor, community);
        Ok(watcher
            .watch(deliveries, CommunityEvent::kind_of)
            .map(CommunityEvent))
    }
}

/// Something that happened in a thread.
pub struct ThreadEvent(Live<ThreadEventKind>);

impl ThreadEvent {
    fn kind_of(event: &HubEvent) -> Option<ThreadEventKind> {
        Some(match event {
            HubEvent::ReplyPosted { .. } => ThreadEventKind::ReplyPosted,
            HubEvent::PostEdited { .. } => ThreadEventKind::PostEdited,
            HubEvent::PostDeleted { .. } => ThreadEventKind::PostDeleted,
            HubEvent::PostApproved { .. } => ThreadEventKind::PostApproved,
            HubEvent::PostHidden { .. } => ThreadEventKind::PostHidden,
            HubEvent::PostRestored { .. } => ThreadEventKind::PostRestored,
            HubEvent::ReactionChanged { .. } => ThreadEventKind::ReactionChanged,
            HubEvent::AnswerAccepted { .. } => ThreadEventKind::AnswerAccepted,
            HubEvent::ThreadLocked { locked: true, .. } => ThreadEventKind::ThreadLocked,
            HubEvent::ThreadLocked { locked: false, .. } => ThreadEventKind::ThreadUnlocked,
            _ => return None,
        })
    }

    fn event(&self) -> Option<&HubEvent> {
        self.0.event()
    }
}

#[Object]
/// Something that happened in a thread.
impl ThreadEvent {
    /// What happened.
    async fn kind(&self) -> ThreadEventKind {
        self.0.kind_or(ThreadEventKind::EventsSkipped)
    }

    /// The thread's global id.
    async fn thread_id(&self) -> Option<ID> {
        let thread = self.event()?.thread()?;
        Some(id::encode(NodeKind::Thread, thread.as_uuid()))
    }

    /// The global id of the post it happened to, even when `post` is not the viewer's to see
    /// (POST_HIDDEN).
    async fn post_id(&self) -> Option<ID> {
        let post = self.event()?.post()?;
        Some(id::encode(NodeKind::Post, post.post.as_uuid()))
    }

    /// The post it happened to, as it now stands.
    async fn post(&self, ctx: &Context<'_>) -> Result<Option<Post>> {
        let Some(post) = self.event().and_then(HubEvent::post) else {
            return Ok(None);
        };
        let actor = ctx.data::<Actor>()?;
        let reader = actor.person().map(|p| p.id);
        if let Some(HubEvent::PostHidden { .. }) = self.event() {
            // Every reader hears of it; only those who may still read it get it.
            let hub = ctx.data::<HubContext>()?;
            let seen = hub.conversations().posts(actor, &[post.post]).await;
            let seen = seen.map_err(ApiError)?.pop();
            return Ok(seen.map(|(p, view)| Post::new(p, post_scope(reader, &view.standing))));
        }
        let found = ctx
            .data::<DataLoader<PostLoader>>()?
            .load_one(post.post)
            .await?;
        // The event was admitted, so the viewer may see this post.
        Ok(found.map(|p| Post::new(p, PostScope::ApprovedOr(reader))))
    }

    /// For REACTION_CHANGED: the reaction, and the post's counts after it.
    async fn reaction(&self) -> Option<ReactionKind> {
        match self.event()? {
            HubEvent::ReactionChanged { reaction, .. } => Some((*reaction).into()),
            _ => None,
        }
    }

    /// For REACTION_CHANGED: the post's reaction counts after the change.
    async fn reaction_counts(&self) -> Option<ReactionCounts> {
        match self.event()? {
            HubEvent::ReactionChanged { counts, .. } => Some((*counts).into()),
            _ => None,
        }
    }

    /// For EVENTS_SKIPPED: how many events this subscriber missed (refetch the thread).
    async fn skipped(&self) -> Option<u64> {
        self.0.skipped()
    }

    /// When it happened.
    async fn occurred_at(&self) -> Option<DateTime<Utc>> {
        self.event().map(HubEvent::occurred_at)
    }
}

/// What happened in a thread.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ThreadEventKind {
    /// A reply was posted (pending ones reach only their author and facilitators).
    ReplyPosted,
    /// A post was edited.
    PostEdited,
    /// A post was deleted; a tombstone remains.
    PostDeleted,
    /// A pending post was approved.
    PostApproved,
    /// A post was hidden: drop it (`postId`); its author and the facilitators get it
    /// as it now stands, marked HIDDEN, others get no `post`.
    PostHidden,
    /// A hidden post is shown to every reader again.
    PostRestored,
    /// A reaction was added or taken back.
    ReactionChanged,
    /// A reply was accepted as the answer.
    AnswerAccepted,
    /// The thread was locked.
    ThreadLocked,
    /// The thread was reopened.
    ThreadUnlocked,
    /// The subscriber fell behind; `skipped` events were dropped for it.
    EventsSkipped,
}

/// Something that happened in a community.
pub struct CommunityEvent(Live<CommunityEventKind>);

impl CommunityEvent {
    fn kind_of(event: &HubEvent) -> Option<CommunityEventKind> {
        Some(match event {
            HubEvent::ThreadStarted { .. } => CommunityEventKind::ThreadStarted,
            HubEvent::PracticePublished { .. } => CommunityEventKind::PracticePublished,
            HubEvent::PracticePromoted { .. } => CommunityEventKind::PracticePromoted,
            _ => return None,
        })
    }

    fn event(&self) -> Option<&HubEvent> {
        self.0.event()
    }
}

#[Object]
/// Something that happened in a community.
impl CommunityEvent {
    /// What happened.
    async fn kind(&self) -> CommunityEventKind {
        self.0.kind_or(CommunityEventKind::EventsSkipped)
    }

    /// For THREAD_STARTED: the thread, as the viewer now sees it.
    async fn thread(&self, ctx: &Context<'_>) -> Result<Option<Thread>> {
        let Some(HubEvent::ThreadStarted { opening, .. }) = self.event() else {
            return Ok(None);
        };
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let found = hub
            .conversations()
            .thread(actor, opening.thread)
            .await
            .map_err(ApiError)?;
        Ok(found.map(Thread::new))
    }

    /// For PRACTICE_PUBLISHED and PRACTICE_PROMOTED: the practice, as the viewer now sees it.
    async fn practice(&self, ctx: &Context<'_>) -> Result<Option<Practice>> {
        let practice = match self.event() {
            Some(
                HubEvent::PracticePublished { practice, .. }
                | HubEvent::PracticePromoted { practice, .. },
            ) => *practice,
            _ => return Ok(None),
        };
        // Shared across subscribers: one batch per reader for an event many receive.
        let reader = ctx.data::<Actor>()?.person().map(|p| p.id);
        let loader = ctx.data::<DataLoader<PracticeLoader>>()?;
        Ok(loader
            .load_one((reader, practice))
            .await?
            .map(Practice::new))
    }

    /// For EVENTS_SKIPPED: how many events this subscriber missed.
    async fn skipped(&self) -> Option<u64> {
        self.0.skipped()
    }

    /// When it happened.
    async fn occurred_at(&self) -> Option<DateTime<Utc>> {
        self.event().map(HubEvent::occurred_at)
    }
}

/// What happened in a community.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum CommunityEventKind {
    /// A thread was started (pending ones reach only their author and facilitators).
    ThreadStarted,
    /// A practice was published.
    PracticePublished,
    /// A practice became practice worth repeating.
    PracticePromoted,
    /// The subscriber fell behind; `skipped` events were dropped for it.
    EventsSkipped,
}
