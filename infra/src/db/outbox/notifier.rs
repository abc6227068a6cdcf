//! Writes the notifications recorded events make, in its own passes: one marks the oldest
//! events not yet notified, writes their notifications (watchers' deliveries of one group merged
//! across the pass) and commits, so each event notifies exactly once; then it tells the live
//! sessions of the people notified. Paced: after a pass during which more events were committed
//! it rests three times as long as the pass took, so under a burst a thread thousands watch costs one write per pass, not one per
//! reply, and the notifier takes at most a quarter of one database connection's time from the
//! writes people are waiting for. A pass's cost follows its groups, not its events, so bigger
//! batches under a burst keep it abreast. Apart from the relay, so a slow fan-out never
//! delays live discussion, and notifications do not wait for the bus.

use chrono::Utc;
use khub_domain::DomainResult;
use khub_domain::events::{Envelope, EventId, HubEvent, notifications_topic};
use khub_domain::person::PersonId;
use khub_domain::ports::{BusMessage, EventBus};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

use super::consumer::{self, Claimed, Consumer, Pass, Stage, envelope};
use crate::db::notifications::fanout::{self, Told};
use crate::error::ResultExt;

pub(super) static NOTIFIER: Stage = Stage {
    name: "notifier",
    // "khub" in ASCII, then "noti".
    lock: 0x6b68_7562_6e6f_7469,
    batch: 5000,
    rest: 3,
};

pub(super) struct Notifier {
    db: DatabaseConnection,
    bus: Arc<dyn EventBus>,
}

impl Notifier {
    pub(super) fn new(db: DatabaseConnection, bus: Arc<dyn EventBus>) -> Self {
        Self { db, bus }
    }

    /// Tells the live sessions of everyone notified, once their notifications are committed.
    /// At most once: a notification whose push is lost is still in the list when next read.
    async fn tell_live(&self, told: Vec<(EventId, Vec<Told>)>) {
        let messages: Vec<BusMessage> = told
            .into_iter()
            .map(|(event, people)| BusMessage {
                topics: people
                    .iter()
                    .map(|(person, _)| notifications_topic(PersonId::from_uuid(*person)))
                    .collect(),
                payload: event.to_string().into_bytes(),
            })
            .collect();
        if let Err(error) = self.bus.publish_all(&messages).await {
            tracing::warn!(%error, events = messages.len(), "live sessions were not told of notifications");
        }
    }
}

impl Consumer for Notifier {
    fn stage(&self) -> &'static Stage {
        &NOTIFIER
    }

    #[tracing::instrument(skip_all, level = "debug")]
    async fn pass(&self) -> DomainResult<Pass> {
        let (tx, waiting) = match consumer::claim(&self.db, &NOTIFIER).await? {
            Claimed::Nothing => return Ok(Pass::Idle),
            Claimed::Busy => return Ok(Pass::Busy),
            Claimed::Events(tx, waiting) => (tx, waiting),
        };
        let envelopes: Vec<Envelope> = waiting
            .iter()
            .filter_map(envelope)
            .map(|(_, envelope)| envelope)
            .collect();
        let events: Vec<(EventId, &HubEvent)> = envelopes
            .iter()
            .map(|envelope| (envelope.id, &envelope.event))
            .collect();
        let told = fanout::notify(&tx, &events, Utc::now()).await?;
        tx.commit().await.context("commit notifications")?;
        self.tell_live(told).await;
        Ok(Pass::handled(&NOTIFIER, waiting.len()))
    }
}
