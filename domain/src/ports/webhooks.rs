use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::DomainResult;
use crate::events::HubEvent;
use crate::organisation::OrganisationId;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::webhook::{
    Attempt, Delivery, DeliveryId, Disabled, DueDelivery, Webhook, WebhookEvent, WebhookId,
    WebhookUrl,
};

/// Whose webhooks a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOwners {
    /// A person's own (not their organisation's).
    Person(PersonId),
    Organisation(OrganisationId),
}

/// Where webhooks and their deliveries are kept. Deliveries are made by the outbox's webhook
/// consumer, in the transaction that marks their events handled.
#[async_trait]
pub trait WebhookRepository: Send + Sync {
    async fn create(&self, webhook: &Webhook, secret: &str) -> DomainResult<()>;
    async fn find(&self, id: WebhookId) -> DomainResult<Option<Webhook>>;
    /// Newest first.
    async fn list(&self, owners: WebhookOwners, page: &PageRequest) -> DomainResult<Page<Webhook>>;
    /// Stores its address, events, community, failure and disabled state as given.
    async fn update(&self, webhook: &Webhook) -> DomainResult<()>;
    async fn delete(&self, id: WebhookId) -> DomainResult<bool>;
    /// Signs with `secret` from now on, and with the one it replaces until `previous_until`.
    async fn rotate_secret(
        &self,
        id: WebhookId,
        secret: &str,
        previous_until: DateTime<Utc>,
    ) -> DomainResult<()>;
    /// A webhook's deliveries, newest first.
    async fn deliveries(
        &self,
        webhook: WebhookId,
        page: &PageRequest,
    ) -> DomainResult<Page<Delivery>>;
    async fn find_delivery(&self, id: DeliveryId) -> DomainResult<Option<Delivery>>;
    /// Queues a new delivery (a redelivery of an earlier one's event).
    async fn add_delivery(&self, delivery: &Delivery) -> DomainResult<()>;
    /// Claims up to `limit` due deliveries, each the first waiting of an enabled webhook, until
    /// `until`: no other instance attempts them meanwhile.
    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<DueDelivery>>;
    /// Records the delivery's new state, released from its claim, and its latest attempt in
    /// the attempt log when it made one.
    async fn record(&self, delivery: &Delivery, attempt: Option<&Attempt>) -> DomainResult<()>;
    /// The attempts of each of `deliveries`, in order.
    async fn attempts(&self, deliveries: &[DeliveryId]) -> DomainResult<Vec<Attempt>>;
    /// Removes a delivery never attempted: it leaves no trace in the log.
    async fn discard(&self, id: DeliveryId) -> DomainResult<()>;
    /// Marks the webhook failing since `since` (`None`: it succeeded).
    async fn set_failing(&self, id: WebhookId, since: Option<DateTime<Utc>>) -> DomainResult<()>;
    /// Disables the webhook and records `event` (telling its creator) in the same transaction.
    async fn disable(
        &self,
        id: WebhookId,
        disabled: &Disabled,
        event: &HubEvent,
    ) -> DomainResult<()>;
}

/// Why the hub will not call an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRefused {
    /// `INSECURE` (http where https is required), `PRIVATE_ADDRESS` or `UNRESOLVED`.
    pub code: &'static str,
    pub message: String,
}

/// One signed request to a webhook.
#[derive(Debug, Clone)]
pub struct OutgoingMessage {
    pub url: WebhookUrl,
    /// The Standard Webhooks `webhook-id`.
    pub message_id: String,
    pub timestamp: DateTime<Utc>,
    pub body: String,
    /// Signed with each (`webhook-signature` lists every signature).
    pub secrets: Vec<String>,
}

/// What an attempt got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    pub response_code: Option<u16>,
    pub latency: Duration,
    /// Why no answer came (refused address, time-out, connection error).
    pub error: Option<String>,
}

impl AttemptOutcome {
    pub fn succeeded(&self) -> bool {
        self.response_code
            .is_some_and(|code| (200..300).contains(&code))
    }
}

/// Calls webhooks: signs with the Standard Webhooks scheme and refuses addresses the hub must
/// not reach (private networks, plain http in production).
#[async_trait]
pub trait WebhookTransport: Send + Sync {
    /// A fresh signing secret, in the Standard Webhooks form (`whsec_` and base64).
    fn new_secret(&self) -> String;
    /// Whether the hub may call `url`, after resolving its host.
    async fn check_target(&self, url: &WebhookUrl) -> Result<(), TargetRefused>;
    /// Sends one message (checking its target again), within the time-out, no redirects.
    async fn send(&self, message: &OutgoingMessage) -> AttemptOutcome;
}

/// Renders a delivery's body: the hub's API names things (global ids), so the API layer does.
pub trait WebhookPayloads: Send + Sync {
    fn render(&self, kind: WebhookEvent, event: &HubEvent) -> String;
}
