//! Marking notifications read, and choosing how closely to watch threads and communities.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::conversation::ThreadId;
use khub_domain::notification::NotificationId;
use khub_domain::{DomainError, DomainResult};

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{Community, EmailFrequency, Thread, WatchLevel};

/// The notifications to mark read.
#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// Up to 100 of the viewer's notifications (others' are ignored).
    pub notification_ids: Vec<ID>,
}

/// How many notifications were marked read, and how many remain unread.
#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    /// How many of them were unread and now are read.
    pub marked_count: Option<u64>,
    /// The viewer's unread notifications left.
    pub unread_notification_count: Option<u64>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// A thread to watch, and how closely.
#[derive(InputObject)]
pub struct WatchThreadInput {
    /// The thread.
    pub thread_id: ID,
    /// WATCHING: every new post; TRACKING: counted, not told; NORMAL: mentions and replies to
    /// the viewer only; MUTED: nothing.
    pub level: WatchLevel,
}

/// The thread as the viewer now watches it.
#[derive(SimpleObject)]
pub struct WatchThreadPayload {
    /// The thread, with its `viewerWatchLevel`.
    pub thread: Option<Thread>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// A community to watch, and how closely.
#[derive(InputObject)]
pub struct WatchCommunityInput {
    /// The community.
    pub community_id: ID,
    /// WATCHING: every new thread and practice; TRACKING: counted, not told; NORMAL: mentions
    /// and replies to the viewer only; MUTED: nothing, mentions and replies included.
    pub level: WatchLevel,
}

/// The community as the viewer now watches it.
#[derive(SimpleObject)]
pub struct WatchCommunityPayload {
    /// The community, with its `viewerWatchLevel`.
    pub community: Option<Community>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// How often to be e-mailed.
#[derive(InputObject)]
pub struct SetNotificationEmailInput {
    /// IMMEDIATELY (mentions and replies at once), DAILY or WEEKLY (a digest of what is
    /// unread), or NEVER.
    pub frequency: EmailFrequency,
}

/// The frequency now chosen.
#[derive(SimpleObject)]
pub struct SetNotificationEmailPayload {
    /// How often the viewer is now mailed.
    pub frequency: Option<EmailFrequency>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Marks some of the viewer's notifications read.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The notifications to mark read.")] input: MarkNotificationsReadInput,
    ) -> Result<MarkNotificationsReadPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match notification_ids(&input.notification_ids) {
            Ok(ids) => hub.notifications().mark_read(actor, &ids).await,
            Err(invalid) => Err(invalid),
        };
        marked(ctx, result).await
    }

    /// Marks every one of the viewer's notifications read.
    async fn mark_all_notifications_read(
        &self,
        ctx: &Context<'_>,
    ) -> Result<MarkNotificationsReadPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = hub.notifications().mark_all_read(actor).await;
        marked(ctx, result).await
    }

    /// Chooses how often the viewer is e-mailed about their notifications; a digest chosen now
    /// covers what happens from now on.
    async fn set_notification_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The frequency.")] input: SetNotificationEmailInput,
    ) -> Result<SetNotificationEmailPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let chosen = hub
            .notifications()
            .set_email_frequency(actor, input.frequency.into())
            .await;
        let (frequency, user_errors) = Outcome::of(chosen)?.split();
        Ok(SetNotificationEmailPayload {
            frequency: frequency.map(Into::into),
            user_errors,
        })
    }

    /// Chooses how closely the viewer follows a thread they may read.
    async fn watch_thread(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The thread and the level.")] input: WatchThreadInput,
    ) -> Result<WatchThreadPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match id::expect(NodeKind::Thread, "threadId", &input.thread_id) {
            Ok(thread) => {
                let thread = ThreadId::from_uuid(thread);
                let level = input.level.into();
                hub.notifications().watch_thread(actor, thread, level).await
            }
            Err(invalid) => Err(invalid),
        };
        let (thread, user_errors) = Outcome::of(result)?.split();
        Ok(WatchThreadPayload {
            thread: thread.map(Thread::new),
            user_errors,
        })
    }

    /// Chooses how closely the viewer follows a community whose content they may read.
    async fn watch_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The community and the level.")] input: WatchCommunityInput,
    ) -> Result<WatchCommunityPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match id::expect(NodeKind::Community, "communityId", &input.community_id) {
            Ok(community) => {
                let community = CommunityId::from_uuid(community);
                let level = input.level.into();
                hub.notifications()
                    .watch_community(actor, community, level)
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (seen, user_errors) = Outcome::of(result)?.split();
        Ok(WatchCommunityPayload {
            community: seen.map(|(community, standing)| Community {
                community,
                standing,
            }),
            user_errors,
        })
    }
}

/// The payload of a marking, with the unread count after it.
async fn marked(
    ctx: &Context<'_>,
    result: DomainResult<u64>,
) -> Result<MarkNotificationsReadPayload> {
    let (marked_count, user_errors) = Outcome::of(result)?.split();
    let unread_notification_count = match marked_count {
        Some(_) => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let unread = hub.notifications().unread_count(actor).await;
            Some(unread.map_err(ApiError)?)
        }
        None => None,
    };
    Ok(MarkNotificationsReadPayload {
        marked_count,
        unread_notification_count,
        user_errors,
    })
}

fn notification_ids(raw: &[ID]) -> Result<Vec<NotificationId>, DomainError> {
    raw.iter()
        .map(|id| {
            id::expect(NodeKind::Notification, "notificationIds", id).map(NotificationId::from_uuid)
        })
        .collect()
}
