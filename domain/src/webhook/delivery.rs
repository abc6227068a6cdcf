//! Delivering: each due delivery is sent (webhooks in parallel, each webhook's deliveries one
//! after another, in order), as its owner may read at that moment: what they may no longer
//! read — hidden, deleted, or in a community they left — is never sent.

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;

use crate::access::Actor;
use crate::conversation::PostStatus;
use crate::error::DomainResult;
use crate::events::HubEvent;
use crate::person::PersonId;
use crate::ports::OutgoingMessage;
use crate::practice::PracticeId;
use crate::webhook::model::{Attempt, DeliveryStatus, Disabled, DueDelivery};
use crate::webhook::schedule::{gives_up, next_attempt};
use crate::webhook::service::Webhooks;

/// Deliveries attempted per round.
const PER_ROUND: u64 = 32;
/// How long an instance holds the deliveries it claimed: longer than the longest time-out an
/// attempt may be given (60 s), so a slow attempt is never sent twice at once.
const CLAIM: Duration = Duration::seconds(120);

impl Webhooks {
    /// Sends the deliveries that are due; how many were attempted or skipped.
    pub async fn deliver_due(&self) -> DomainResult<usize> {
        let now = self.clock.now();
        let due = self.repo.claim_due(now, now + CLAIM, PER_ROUND).await?;
        let count = due.len();
        let results = join_all(due.into_iter().map(|due| self.deliver(due, now))).await;
        for result in results {
            if let Err(error) = result {
                tracing::warn!(%error, "a webhook delivery waits for its claim to lapse");
            }
        }
        Ok(count)
    }

    async fn deliver(&self, due: DueDelivery, now: DateTime<Utc>) -> DomainResult<()> {
        let DueDelivery {
            mut delivery,
            webhook,
            secrets,
        } = due;
        if !self.may_read(webhook.owner, &delivery.event).await? {
            // Never sent: it leaves no trace, so the log does not tell the owner that something
            // they may not read happened. Once tried, the log says why the retries stopped.
            if delivery.attempts == 0 {
                return self.repo.discard(delivery.id).await;
            }
            delivery.status = DeliveryStatus::Skipped;
            return self.repo.record(&delivery, None).await;
        }
        let message = OutgoingMessage {
            url: webhook.url.clone(),
            message_id: delivery.message_id(),
            timestamp: now,
            body: self.payloads.render(delivery.kind, &delivery.event),
            secrets: secrets.signing_at(now),
        };
        let outcome = self.transport.send(&message).await;
        delivery.attempts += 1;
        delivery.last_attempt_at = Some(now);
        delivery.response_code = outcome.response_code;
        delivery.latency_ms = Some(u32::try_from(outcome.latency.as_millis()).unwrap_or(u32::MAX));
        delivery.error = outcome.error.clone();
        let attempt = Attempt::latest_of(&delivery);
        if outcome.succeeded() {
            delivery.status = DeliveryStatus::Delivered;
            self.repo.record(&delivery, attempt.as_ref()).await?;
            if webhook.failing_since.is_some() {
                self.repo.set_failing(webhook.id, None).await?;
            }
            return Ok(());
        }
        match next_attempt(&delivery, now) {
            Some(next) => delivery.next_attempt_at = next,
            None => delivery.status = DeliveryStatus::Failed,
        }
        self.repo.record(&delivery, attempt.as_ref()).await?;
        let since = webhook.failing_since.unwrap_or(now);
        match gives_up(since, now) {
            false if webhook.failing_since.is_none() => {
                self.repo.set_failing(webhook.id, Some(now)).await
            }
            false => Ok(()),
            true => {
                let disabled = Disabled {
                    at: now,
                    reason: format!("deliveries failed for 3 days, since {}", since.to_rfc3339()),
                };
                let told = HubEvent::WebhookDisabled {
                    webhook: webhook.id,
                    told: webhook.created_by,
                    at: now,
                };
                self.repo.disable(webhook.id, &disabled, &told).await
            }
        }
    }

    /// Whether `owner` may read what `event` is about now. Posts must still be shown to
    /// readers: a facilitator's webhook is not sent hidden or pending posts either.
    async fn may_read(&self, owner: PersonId, event: &HubEvent) -> DomainResult<bool> {
        let Some(reader) = self.reader(owner).await? else {
            return Ok(false);
        };
        if let Some(post) = event.post() {
            let found = self.conversations.posts(&reader, &[post.post]).await?;
            let deleted = matches!(event, HubEvent::PostDeleted { .. });
            return Ok(found.first().is_some_and(|(post, _)| {
                post.status == PostStatus::Approved && (deleted || post.deleted_at.is_none())
            }));
        }
        let Some(practice) = practice_of(event) else {
            return Ok(false);
        };
        let found = self.practices.find(&reader, practice).await?;
        Ok(found.is_some_and(|view| view.practice.hidden.is_none()))
    }

    /// `owner` as a reader: their reading authority and no more.
    pub(super) async fn reader(&self, owner: PersonId) -> DomainResult<Option<Actor>> {
        let found = self.people.find_by_ids(&[owner]).await?.pop();
        Ok(found.map(Actor::reading_as))
    }
}

/// The practice a practice event is about.
fn practice_of(event: &HubEvent) -> Option<PracticeId> {
    match event {
        HubEvent::PracticePublished { practice, .. }
        | HubEvent::PracticeEndorsed { practice, .. }
        | HubEvent::PracticePromoted { practice, .. }
        | HubEvent::PracticeAdopted { practice, .. } => Some(*practice),
        _ => None,
    }
}
