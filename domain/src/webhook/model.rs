//! Webhooks and their deliveries: what a partner's endpoint is told, and what became of it.

use chrono::{DateTime, Utc};
use url::Url;

use crate::community::CommunityId;
use crate::conversation::PostStatus;
use crate::error::FieldError;
use crate::events::{EventId, HubEvent};
use crate::organisation::OrganisationId;
use crate::person::PersonId;

crate::entity_id!(
    /// Identifies a webhook (never its secret).
    WebhookId
);

crate::entity_id!(
    /// One delivery of one event to one webhook (a redelivery is another).
    DeliveryId
);

/// The longest target address accepted.
const MAX_URL_LEN: usize = 2000;

/// Where a webhook's deliveries go: an absolute http(s) address with a host and no credentials.
/// Whether the hub may call it (https in production, never a private address) is decided when
/// it is set and again at each delivery, as the address may resolve elsewhere by then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(Url);

impl WebhookUrl {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = |message: &str| FieldError::new("url", "INVALID", message);
        let raw = raw.trim();
        if raw.len() > MAX_URL_LEN {
            return Err(FieldError::new(
                "url",
                "TOO_LONG",
                format!("must be at most {MAX_URL_LEN} characters"),
            ));
        }
        let url = Url::parse(raw).map_err(|_| invalid("must be an absolute http or https URL"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("must be an http or https URL"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("must name a host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                "must not carry credentials: verify deliveries by their signature instead",
            ));
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// The host as written (a name or an address literal, IPv6 without brackets).
    pub fn host(&self) -> &str {
        self.0
            .host_str()
            .map(|host| host.trim_start_matches('[').trim_end_matches(']'))
            .unwrap_or_default()
    }

    pub fn port(&self) -> u16 {
        self.0.port_or_known_default().unwrap_or(443)
    }
}

/// The events a webhook may receive: public content events, named as partners see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WebhookEvent {
    ThreadStarted,
    ReplyPosted,
    PostEdited,
    PostDeleted,
    AnswerAccepted,
    PracticePublished,
    PracticeEndorsed,
    PracticePromoted,
    PracticeAdopted,
}

stable_names!(WebhookEvent {
    ThreadStarted => "thread.started",
    ReplyPosted => "reply.posted",
    PostEdited => "post.edited",
    PostDeleted => "post.deleted",
    AnswerAccepted => "answer.accepted",
    PracticePublished => "practice.published",
    PracticeEndorsed => "practice.endorsed",
    PracticePromoted => "practice.promoted",
    PracticeAdopted => "practice.adopted",
});

impl WebhookEvent {
    /// What a webhook hears of `event`, if anything: posts only once readers see them (a
    /// pending post is told when approved), nothing about people alone.
    pub fn of(event: &HubEvent) -> Option<Self> {
        let shown = matches!(event, HubEvent::PostApproved { .. })
            || event
                .post()
                .is_none_or(|post| post.status == PostStatus::Approved);
        let kind = match event {
            HubEvent::ThreadStarted { .. } => Self::ThreadStarted,
            HubEvent::ReplyPosted { .. } => Self::ReplyPosted,
            // An approved opening post raises `ThreadStarted` too.
            HubEvent::PostApproved {
                replied_to: Some(_),
                ..
            } => Self::ReplyPosted,
            HubEvent::PostEdited { .. } => Self::PostEdited,
            HubEvent::PostDeleted { .. } => Self::PostDeleted,
            HubEvent::AnswerAccepted { .. } => Self::AnswerAccepted,
            HubEvent::PracticePublished { .. } => Self::PracticePublished,
            HubEvent::PracticeEndorsed { .. } => Self::PracticeEndorsed,
            HubEvent::PracticePromoted { .. } => Self::PracticePromoted,
            HubEvent::PracticeAdopted { .. } => Self::PracticeAdopted,
            _ => return None,
        };
        shown.then_some(kind)
    }
}

/// The events a webhook subscribes to: at least one, each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSelection(Vec<WebhookEvent>);

impl EventSelection {
    pub fn new(mut events: Vec<WebhookEvent>) -> Result<Self, FieldError> {
        events.sort();
        events.dedup();
        match events.is_empty() {
            true => Err(FieldError::new(
                "events",
                "REQUIRED",
                "name at least one event",
            )),
            false => Ok(Self(events)),
        }
    }

    pub fn contains(&self, event: WebhookEvent) -> bool {
        self.0.contains(&event)
    }

    pub fn as_slice(&self) -> &[WebhookEvent] {
        &self.0
    }
}

/// Why a webhook stopped receiving deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disabled {
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// A partner's endpoint and the events it is told of.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: WebhookId,
    /// Whose reading authority its deliveries have: a person, or an organisation's service
    /// identity.
    pub owner: PersonId,
    /// Set when it was created for an organisation.
    pub organisation: Option<OrganisationId>,
    /// Who created it: told when it is disabled.
    pub created_by: PersonId,
    pub url: WebhookUrl,
    pub events: EventSelection,
    /// Only events in this community, when set.
    pub community: Option<CommunityId>,
    /// When deliveries began failing, with no success since.
    pub failing_since: Option<DateTime<Utc>>,
    pub disabled: Option<Disabled>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Webhook {
    /// Whether it is told of `kind` raised in `community`.
    pub fn wants(&self, kind: WebhookEvent, community: Option<CommunityId>) -> bool {
        self.disabled.is_none()
            && self.events.contains(kind)
            && self.community.is_none_or(|only| community == Some(only))
    }
}

/// The secrets deliveries are signed with: the current one, and the one it replaced while it
/// is still honoured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSecrets {
    pub current: String,
    pub previous: Option<(String, DateTime<Utc>)>,
}

impl WebhookSecrets {
    /// Every secret a delivery at `now` is signed with.
    pub fn signing_at(&self, now: DateTime<Utc>) -> Vec<String> {
        let previous = self
            .previous
            .iter()
            .filter(|(_, until)| *until > now)
            .map(|(secret, _)| secret.clone());
        std::iter::once(self.current.clone())
            .chain(previous)
            .collect()
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    /// Waiting for its first attempt or its next retry.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Retries ran out.
    Failed,
    /// Not sent: its owner may no longer read what it is about.
    Skipped,
}

stable_names!(DeliveryStatus {
    Pending => "PENDING",
    Delivered => "DELIVERED",
    Failed => "FAILED",
    Skipped => "SKIPPED",
});

/// One event on its way to one webhook, and how its last attempt went.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub webhook: WebhookId,
    /// The event: its id is the Standard Webhooks message id, the same on every attempt.
    pub event_id: EventId,
    pub kind: WebhookEvent,
    pub event: HubEvent,
    /// The event's place in the outbox: a webhook's deliveries go in this order.
    pub seq: i64,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub response_code: Option<u16>,
    pub latency_ms: Option<u32>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
}

impl Delivery {
    /// A delivery of `event` to `webhook`, due at `now`.
    pub fn queued(
        webhook: WebhookId,
        (event_id, event): (EventId, HubEvent),
        kind: WebhookEvent,
        seq: i64,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: DeliveryId::generate(),
            webhook,
            event_id,
            kind,
            event,
            seq,
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            response_code: None,
            latency_ms: None,
            error: None,
            created_at: now,
            last_attempt_at: None,
        }
    }

    /// The Standard Webhooks `webhook-id`.
    pub fn message_id(&self) -> String {
        format!("msg_{}", self.event_id.as_uuid().simple())
    }
}

/// One attempt at a delivery, as the log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub delivery: DeliveryId,
    /// 1 for the first attempt, then 2, 3, …
    pub number: u32,
    pub at: DateTime<Utc>,
    pub response_code: Option<u16>,
    pub latency_ms: Option<u32>,
    pub error: Option<String>,
}

impl Attempt {
    /// The attempt `delivery` records as its latest.
    pub fn latest_of(delivery: &Delivery) -> Option<Self> {
        Some(Self {
            delivery: delivery.id,
            number: delivery.attempts,
            at: delivery.last_attempt_at?,
            response_code: delivery.response_code,
            latency_ms: delivery.latency_ms,
            error: delivery.error.clone(),
        })
    }
}

/// A delivery that is due, with what sending it needs.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub delivery: Delivery,
    pub webhook: Webhook,
    pub secrets: WebhookSecrets,
}

#[cfg(test)]
mod tests {
    use super::{EventSelection, WebhookEvent, WebhookUrl};

    #[test]
    fn a_target_is_an_absolute_http_address_without_credentials() {
        assert!(WebhookUrl::parse("https://partner.example/hooks?x=1").is_ok());
        assert!(WebhookUrl::parse("http://[::1]:8080/h").is_ok_and(|u| u.host() == "::1"));
        for bad in [
            "partner.example/hooks",
            "ftp://partner.example/",
            "https://user:pw@partner.example/",
            "https://",
        ] {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
        let long = format!("https://a.example/{}", "x".repeat(2000));
        assert_eq!(
            WebhookUrl::parse(&long).map_err(|e| e.code),
            Err("TOO_LONG")
        );
    }

    #[test]
    fn a_selection_names_each_event_once_and_at_least_one() {
        let twice = vec![WebhookEvent::ReplyPosted, WebhookEvent::ReplyPosted];
        assert_eq!(
            EventSelection::new(twice).map(|s| s.as_slice().len()),
            Ok(1)
        );
        assert!(EventSelection::new(Vec::new()).is_err());
    }
}
