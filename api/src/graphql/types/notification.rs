//! Notifications and watch levels, as their recipient sees them.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::community::{CommunityId, Standing};
use khub_domain::conversation::{PostScope, ThreadId};
use khub_domain::notification as domain;
use khub_domain::person::PersonId;

use super::reputation::BadgeKind;
use super::{Community, Person, Post, Practice, SavedSearch, Thread};
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{PersonLoader, PostLoader, PracticeLoader};
use crate::graphql::subject_loaders::{
    CommunityLoader, CommunityWatchLoader, SavedSearchLoader, ThreadLoader, ThreadWatchLoader,
};

/// Why someone was told.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum NotificationKind {
    /// Someone @mentioned them in a post.
    Mentioned,
    /// Someone replied to their post, or in their thread.
    Replied,
    /// New posts in a thread they watch.
    ThreadActivity,
    /// New threads or practices in a community they watch.
    CommunityActivity,
    /// Their reply was accepted as the answer.
    AnswerAccepted,
    /// Someone endorsed their practice.
    PracticeEndorsed,
    /// Their practice became practice worth repeating.
    PracticePromoted,
    /// Another organisation adopted their practice.
    PracticeAdopted,
    /// A facilitator invited them into a community (`community`).
    Invited,
    /// Their request to join `community` was decided (`approved`).
    MembershipDecided,
    /// They were awarded a badge (`badge`).
    BadgeAwarded,
    /// One of their saved searches found something new (`savedSearch`; `count` new matches).
    SavedSearchMatch,
    /// A webhook they created failed for days and was disabled (`webhookId`).
    WebhookDisabled,
}

mirror_enum!(NotificationKind <=> domain::NotificationKind {
    Mentioned, Replied, ThreadActivity, CommunityActivity, AnswerAccepted, PracticeEndorsed,
    PracticePromoted, PracticeAdopted, Invited, MembershipDecided, BadgeAwarded, SavedSearchMatch,
    WebhookDisabled
});

/// How closely someone follows a thread or community.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum WatchLevel {
    /// Told of every new post (in a thread), or new thread and practice (in a community).
    Watching,
    /// Counted, not told.
    Tracking,
    /// Told only when mentioned or replied to.
    Normal,
    /// Told of nothing there, mentions and replies included.
    Muted,
}

mirror_enum!(WatchLevel <=> domain::WatchLevel { Watching, Tracking, Normal, Muted });

/// How often someone is e-mailed about their notifications. Every message has a one-click
/// unsubscribe link, which sets NEVER.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum EmailFrequency {
    /// Mentions and replies at once, each in a mail of its own (the default).
    Immediately,
    /// A digest of what is unread, once a day.
    Daily,
    /// A digest of what is unread, once a week.
    Weekly,
    /// No notification mail.
    Never,
}

mirror_enum!(EmailFrequency <=> domain::EmailFrequency { Immediately, Daily, Weekly, Never });

/// Something the viewer was told. Repeated activity of one kind in one thread (or on one
/// practice) collapses into one unread notification, counting the events, until it is read.
#[derive(Clone)]
pub struct Notification(pub domain::Notification);

/// Something the viewer was told. Repeated activity of one kind in one thread (or on one
/// practice) collapses into one unread notification, counting the events, until it is read.
#[Object]
impl Notification {
    /// The notification's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Notification, self.0.id.as_uuid())
    }

    /// Why the viewer was told.
    async fn kind(&self) -> NotificationKind {
        self.0.kind.into()
    }

    /// How many events it stands for (more than one when activity collapsed into it).
    async fn count(&self) -> u64 {
        self.0.count
    }

    /// Who caused the latest of them (none for a promotion by endorsements).
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let Some(actor) = self.0.actor else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(actor).await?.map(Person))
    }

    /// The community it happened in.
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        let Some(community) = self.0.subject.community else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<CommunityLoader>>()?;
        let found = loader.load_one((reader(ctx)?, community)).await?;
        Ok(found.map(|(community, standing)| Community {
            community,
            standing,
        }))
    }

    /// The thread it happened in.
    async fn thread(&self, ctx: &Context<'_>) -> Result<Option<Thread>> {
        let Some(thread) = self.0.subject.thread else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<ThreadLoader>>()?;
        Ok(loader
            .load_one((reader(ctx)?, thread))
            .await?
            .map(Thread::new))
    }

    /// The latest post it is about.
    async fn post(&self, ctx: &Context<'_>) -> Result<Option<Post>> {
        let Some(post) = self.0.subject.post else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<PostLoader>>()?;
        let scope = PostScope::ApprovedOr(reader(ctx)?);
        Ok(loader.load_one(post).await?.map(|p| Post::new(p, scope)))
    }

    /// The practice it is about.
    async fn practice(&self, ctx: &Context<'_>) -> Result<Option<Practice>> {
        let Some(practice) = self.0.subject.practice else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<PracticeLoader>>()?;
        let found = loader.load_one((reader(ctx)?, practice)).await?;
        Ok(found.map(Practice::new))
    }

    /// For SAVED_SEARCH_MATCH: the saved search that found something new.
    async fn saved_search(&self, ctx: &Context<'_>) -> Result<Option<SavedSearch>> {
        let (Some(search), Some(reader)) = (self.0.subject.saved_search, reader(ctx)?) else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<SavedSearchLoader>>()?;
        Ok(loader.load_one((reader, search)).await?.map(SavedSearch))
    }

    /// For BADGE_AWARDED: which badge.
    async fn badge(&self) -> Option<BadgeKind> {
        self.0.subject.badge.map(Into::into)
    }

    /// For WEBHOOK_DISABLED: the webhook (`node` finds it for those who manage it).
    async fn webhook_id(&self) -> Option<ID> {
        let webhook = self.0.subject.webhook?;
        Some(id::encode(NodeKind::Webhook, webhook.as_uuid()))
    }

    /// For MEMBERSHIP_DECIDED: whether the request to join was approved.
    async fn approved(&self) -> Option<bool> {
        self.0.subject.approved
    }

    /// Whether the viewer has read it.
    async fn read(&self) -> bool {
        self.0.read_at.is_some()
    }

    /// When it was read.
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }

    /// When the first of its events happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the latest of its events happened.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

fn reader(ctx: &Context<'_>) -> Result<Option<PersonId>> {
    Ok(ctx.data::<Actor>()?.person().map(|p| p.id))
}

/// How closely the viewer watches `thread`; null for anonymous readers.
pub(crate) async fn viewer_thread_level(
    ctx: &Context<'_>,
    thread: ThreadId,
) -> Result<Option<WatchLevel>> {
    let Some(person) = reader(ctx)? else {
        return Ok(None);
    };
    let loader = ctx.data::<DataLoader<ThreadWatchLoader>>()?;
    let chosen = loader.load_one((person, thread)).await?;
    Ok(Some(
        chosen.unwrap_or(domain::WatchLevel::THREAD_DEFAULT).into(),
    ))
}

/// How closely the viewer, standing as `standing`, watches `community`; null for anonymous
/// readers.
pub(crate) async fn viewer_community_level(
    ctx: &Context<'_>,
    community: CommunityId,
    standing: &Standing,
) -> Result<Option<WatchLevel>> {
    let Some(person) = reader(ctx)? else {
        return Ok(None);
    };
    let loader = ctx.data::<DataLoader<CommunityWatchLoader>>()?;
    let chosen = loader.load_one((person, community)).await?;
    let level = chosen.unwrap_or_else(|| domain::WatchLevel::community_default(standing));
    Ok(Some(level.into()))
}
