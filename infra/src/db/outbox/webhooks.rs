//! Turns recorded events into webhook deliveries, in its own passes: one marks the oldest events
//! not yet handled, queues a delivery for each webhook that wants each, and commits, so each
//! event is queued exactly once. Sending is the delivery worker's, so a slow endpoint never
//! holds back the outbox.

use std::sync::Arc;

use khub_domain::DomainResult;
use khub_domain::ports::Clock;
use sea_orm::DatabaseConnection;

use super::consumer::{self, Claimed, Consumer, Pass, Stage, envelope};
use crate::db::webhooks::enqueue;
use crate::error::ResultExt;

pub(super) static WEBHOOKS: Stage = Stage {
    name: "webhooks",
    // "khub" in ASCII, then "hook".
    lock: 0x6b68_7562_686f_6f6b,
    batch: 1000,
    rest: 1,
};

pub(super) struct WebhookQueue {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
}

impl WebhookQueue {
    pub(super) fn new(db: DatabaseConnection, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }
}

impl Consumer for WebhookQueue {
    fn stage(&self) -> &'static Stage {
        &WEBHOOKS
    }

    #[tracing::instrument(skip_all, level = "debug")]
    async fn pass(&self) -> DomainResult<Pass> {
        let (tx, waiting) = match consumer::claim(&self.db, &WEBHOOKS).await? {
            Claimed::Nothing => return Ok(Pass::Idle),
            Claimed::Busy => return Ok(Pass::Busy),
            Claimed::Events(tx, waiting) => (tx, waiting),
        };
        let events: Vec<_> = waiting
            .iter()
            .filter_map(|stored| Some((stored.seq, envelope(stored)?.1)))
            .collect();
        enqueue::deliveries_for(&tx, &events, self.clock.now()).await?;
        tx.commit().await.context("commit webhook deliveries")?;
        Ok(Pass::handled(&WEBHOOKS, waiting.len()))
    }
}
