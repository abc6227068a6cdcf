use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::webhook as domain;

use super::{Community, Organisation};
use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{DeliveryAttemptsLoader, OrganisationLoader};
use crate::graphql::subject_loaders::CommunityLoader;

/// An endpoint told of events as they happen. Its signing secret was shown once, when it was
/// created or rotated.
#[derive(Clone)]
pub struct Webhook(pub domain::Webhook);

/// An endpoint told of events as they happen, signed as Standard Webhooks are. Its signing
/// secret was shown once, when it was created or rotated.
#[Object]
impl Webhook {
    /// The webhook's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Webhook, self.0.id.as_uuid())
    }

    /// Where deliveries are POSTed.
    async fn url(&self) -> &str {
        self.0.url.as_str()
    }

    /// The events it is told of.
    async fn events(&self) -> Vec<WebhookEventType> {
        self.0
            .events
            .as_slice()
            .iter()
            .map(|e| (*e).into())
            .collect()
    }

    /// Only events in this community, when set (null if the viewer may no longer see it).
    async fn community(&self, ctx: &Context<'_>) -> Result<Option<Community>> {
        let Some(community) = self.0.community else {
            return Ok(None);
        };
        let reader = ctx.data::<Actor>()?.person().map(|p| p.id);
        let loader = ctx.data::<DataLoader<CommunityLoader>>()?;
        let seen = loader.load_one((reader, community)).await?;
        Ok(seen.map(|(community, standing)| Community {
            community,
            standing,
        }))
    }

    /// The organisation it acts for (its deliveries read as the organisation's service
    /// identity), when created on its behalf.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(org) = self.0.organisation else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<OrganisationLoader>>()?;
        Ok(loader.load_one(org).await?.map(Organisation))
    }

    /// Whether deliveries are being made (false once disabled, by its owner or after days of
    /// failures). Events while it is disabled are not queued for it.
    async fn enabled(&self) -> bool {
        self.0.disabled.is_none()
    }

    /// Why it was disabled, if it is.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled.as_ref().map(|d| d.reason.as_str())
    }

    /// When it was disabled, if it is.
    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.disabled.as_ref().map(|d| d.at)
    }

    /// Since when its deliveries have failed with no success since (disabled after 3 days).
    async fn failing_since(&self) -> Option<DateTime<Utc>> {
        self.0.failing_since
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Its deliveries, newest first: status, response code, latency and attempts of each.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn deliveries(
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
    ) -> Result<Connection<WebhookDelivery>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let page = hub
            .webhooks()
            .deliveries(actor, &self.0, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, WebhookDelivery))
    }
}

/// One event sent (or on its way) to a webhook.
#[derive(Clone)]
pub struct WebhookDelivery(pub domain::Delivery);

/// One event sent (or on its way) to a webhook, and how its latest attempt went.
#[Object]
impl WebhookDelivery {
    /// The delivery's global id (`redeliverWebhook` takes it).
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::WebhookDelivery, self.0.id.as_uuid())
    }

    /// The `webhook-id` header it is sent with: the same on every attempt and redelivery.
    async fn message_id(&self) -> String {
        self.0.message_id()
    }

    /// What happened.
    async fn event(&self) -> WebhookEventType {
        self.0.kind.into()
    }

    /// Where it stands.
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status.into()
    }

    /// How many attempts have been made.
    async fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// The HTTP status of the latest attempt's answer, if one came.
    async fn response_code(&self) -> Option<u16> {
        self.0.response_code
    }

    /// How long the latest attempt took, in milliseconds.
    async fn latency_ms(&self) -> Option<u32> {
        self.0.latency_ms
    }

    /// Why the latest attempt got no answer (refused address, time-out, connection error).
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// When the next attempt is due, while it is pending.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == domain::DeliveryStatus::Pending).then_some(self.0.next_attempt_at)
    }

    /// When the latest attempt was made.
    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }

    /// When it was queued.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Every attempt made, in order: when, the answer's status or why none came, how long.
    async fn attempt_log(&self, ctx: &Context<'_>) -> Result<Vec<WebhookAttempt>> {
        let loader = ctx.data::<DataLoader<DeliveryAttemptsLoader>>()?;
        let attempts = loader.load_one(self.0.id).await?.unwrap_or_default();
        Ok(attempts.into_iter().map(WebhookAttempt).collect())
    }
}

/// One attempt at a delivery.
pub struct WebhookAttempt(domain::Attempt);

/// One attempt at a delivery.
#[Object]
impl WebhookAttempt {
    /// 1 for the first attempt, then 2, 3, …
    async fn number(&self) -> u32 {
        self.0.number
    }

    /// When it was made.
    async fn attempted_at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The HTTP status of the answer, if one came.
    async fn response_code(&self) -> Option<u16> {
        self.0.response_code
    }

    /// How long it took, in milliseconds.
    async fn latency_ms(&self) -> Option<u32> {
        self.0.latency_ms
    }

    /// Why no answer came (refused address, time-out, connection refused).
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
}

/// An event a webhook can be told of.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum WebhookEventType {
    /// `thread.started`: a thread was started (or its opening post approved).
    ThreadStarted,
    /// `reply.posted`: a reply was posted (or approved).
    ReplyPosted,
    /// `post.edited`: a post was edited.
    PostEdited,
    /// `post.deleted`: a post was deleted.
    PostDeleted,
    /// `answer.accepted`: a reply was accepted as a question's answer.
    AnswerAccepted,
    /// `practice.published`: a practice was published.
    PracticePublished,
    /// `practice.endorsed`: a practice was endorsed.
    PracticeEndorsed,
    /// `practice.promoted`: a practice became practice worth repeating.
    PracticePromoted,
    /// `practice.adopted`: an organisation recorded an adoption of a practice.
    PracticeAdopted,
}

mirror_enum!(WebhookEventType <=> domain::WebhookEvent {
    ThreadStarted, ReplyPosted, PostEdited, PostDeleted, AnswerAccepted, PracticePublished,
    PracticeEndorsed, PracticePromoted, PracticeAdopted
});

/// Where a delivery stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first attempt or its next retry.
    Pending,
    /// The endpoint answered with a 2xx status.
    Delivered,
    /// Retries ran out, 24 hours after the event.
    Failed,
    /// Retries stopped: the webhook's owner may no longer read what it is about (hidden,
    /// deleted, or in a community they left). A delivery not yet tried for such content is
    /// dropped instead, leaving no trace.
    Skipped,
}

mirror_enum!(WebhookDeliveryStatus <=> domain::DeliveryStatus {
    Pending, Delivered, Failed, Skipped
});
