//! Hands recorded events to the event bus: one pass marks the oldest events not yet relayed,
//! publishes each to its topics in order, and commits, so live subscribers hear of a change as
//! soon as it commits. A pass that cannot publish rolls back and is retried with back-off; one
//! that published but could not mark publishes again (at least once: consumers recognise an
//! event by its id). Notifications are the [`Notifier`](super::notifier::Notifier)'s.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use khub_domain::DomainResult;
use khub_domain::ports::{BusMessage, Clock, EventBus};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use super::consumer::{self, Claimed, Consumer, Pass, Stage, envelope};
use super::notifier::Notifier;
use super::webhooks::WebhookQueue;
use crate::db::entity::outbox_event as row;
use crate::db::in_background;
use crate::error::ResultExt;

pub(super) static RELAY: Stage = Stage {
    name: "relay",
    // "khub" in ASCII, then "outb".
    lock: 0x6b68_7562_6f75_7462,
    batch: 200,
    rest: 0,
};

/// Handled events are kept this long, then trimmed (checked this often).
const KEEP: chrono::Duration = chrono::Duration::days(7);
const TRIM_EVERY: Duration = Duration::from_secs(600);
/// The first event some consumer has still to handle (or past every `seq` when none is).
const OLDEST_PENDING: &str = "(SELECT COALESCE(MIN(seq), 9223372036854775807) FROM outbox_pending)";

/// The outbox's consumers: the relay to the event bus, the notifier and the webhook queue.
pub struct Relay {
    db: DatabaseConnection,
    bus: Arc<dyn EventBus>,
    /// The hub's clock, which deliveries are scheduled by.
    clock: Arc<dyn Clock>,
}

impl Relay {
    pub fn new(db: DatabaseConnection, bus: Arc<dyn EventBus>, clock: Arc<dyn Clock>) -> Self {
        Self { db, bus, clock }
    }

    /// Relays and notifies in the background until `shutdown`; events left over are handled
    /// by the next start (of this or any instance).
    pub fn start(self, shutdown: CancellationToken) {
        let notifier = Notifier::new(self.db.clone(), Arc::clone(&self.bus));
        tokio::spawn(in_background(consumer::run(notifier, shutdown.clone())));
        let webhooks = WebhookQueue::new(self.db.clone(), self.clock);
        tokio::spawn(in_background(consumer::run(webhooks, shutdown.clone())));
        let relay = BusRelay {
            db: self.db,
            bus: self.bus,
            trimmed: Mutex::new(Instant::now()),
        };
        tokio::spawn(in_background(consumer::run(relay, shutdown)));
    }
}

struct BusRelay {
    db: DatabaseConnection,
    bus: Arc<dyn EventBus>,
    trimmed: Mutex<Instant>,
}

impl Consumer for BusRelay {
    fn stage(&self) -> &'static Stage {
        &RELAY
    }

    #[tracing::instrument(skip_all, level = "debug")]
    async fn pass(&self) -> DomainResult<Pass> {
        let (tx, waiting) = match consumer::claim(&self.db, &RELAY).await? {
            Claimed::Nothing => return Ok(Pass::Idle),
            Claimed::Busy => return Ok(Pass::Busy),
            Claimed::Events(tx, waiting) => (tx, waiting),
        };
        let messages = waiting
            .iter()
            .filter_map(envelope)
            .map(|(topics, envelope)| {
                let payload = envelope.encode().context("encode an event")?;
                Ok(BusMessage { topics, payload })
            })
            .collect::<DomainResult<Vec<_>>>()?;
        self.bus.publish_all(&messages).await?;
        tx.commit().await.context("commit relay")?;
        Ok(Pass::handled(&RELAY, waiting.len()))
    }

    async fn idle(&self) {
        let mut trimmed = self.trimmed.lock().await;
        if trimmed.elapsed() >= TRIM_EVERY {
            self.trim().await;
            *trimmed = Instant::now();
        }
    }
}

impl BusRelay {
    /// Deletes events older than they are kept that every consumer has handled, as has it
    /// every event before them.
    async fn trim(&self) {
        let before = Utc::now() - KEEP;
        let trimmed = row::Entity::delete_many()
            .filter(row::Column::CreatedAt.lt(before))
            .filter(Expr::col(row::Column::Seq).lt(Expr::cust(OLDEST_PENDING)))
            .exec(&self.db)
            .await;
        if let Err(error) = trimmed {
            tracing::warn!(%error, "cannot trim handled events");
        }
    }
}
