//! Hands recorded events on: one pass marks the oldest events not yet relayed, writes the
//! notifications each makes, publishes each to its topics in order, and commits; then tells the
//! live sessions of the people notified. A pass that cannot
//! publish rolls back and is retried with back-off; one that published but could not mark
//! publishes again (at least once: consumers recognise an event by its id).
//!
//! On PostgreSQL every instance runs a relay, and a pass holds a transaction-scoped advisory lock,
//! so one instance relays at a time and events keep their order. SQLite serves one process.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use khub_domain::events::{Envelope, EventId, HubEvent, notifications_topic};
use khub_domain::person::PersonId;
use khub_domain::ports::EventBus;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QuerySelect, Statement, TransactionTrait,
};
use tokio_util::sync::CancellationToken;

use super::COMMITTED;
use crate::db::entity::outbox_event as row;
use crate::db::notifications::fanout::{self, Told};
use crate::error::ResultExt;

/// Events relayed per pass: one transaction's worth, short enough not to hold the lock long.
const BATCH: u64 = 200;
/// How often the outbox is read without a wake: events committed by other instances.
const POLL: Duration = Duration::from_millis(250);
/// How soon a pass is tried again when another instance held the lock.
const BUSY: Duration = Duration::from_millis(20);
/// Back-off after a failed pass, doubling up to the ceiling.
const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(10);
/// Relayed events are kept this long, then trimmed (checked this often).
const KEEP: chrono::Duration = chrono::Duration::days(7);
const TRIM_EVERY: Duration = Duration::from_secs(600);
/// The advisory lock a pass holds on PostgreSQL ("khub" in ASCII, then "outbox").
const LOCK: i64 = 0x6b68_7562_6f75_7462;

/// What a pass found.
#[derive(Debug, PartialEq, Eq)]
enum Pass {
    /// Everything committed so far is relayed.
    Drained,
    /// A full batch was relayed: more may be waiting.
    More,
    /// Another instance is relaying.
    Busy,
}

/// Relays the outbox to the event bus until shut down.
pub struct Relay {
    db: DatabaseConnection,
    bus: Arc<dyn EventBus>,
}

impl Relay {
    pub fn new(db: DatabaseConnection, bus: Arc<dyn EventBus>) -> Self {
        Self { db, bus }
    }

    /// Relays in the background until `shutdown`; events left over are relayed by the next
    /// start (of this or any instance).
    pub fn start(self, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move { self.run(shutdown).await })
    }

    async fn run(self, shutdown: CancellationToken) {
        let mut retry = FIRST_RETRY;
        let mut trimmed = Instant::now();
        loop {
            // Listening before the pass: a commit during it wakes the next one.
            let committed = COMMITTED.notified();
            tokio::pin!(committed);
            committed.as_mut().enable();
            let wait = match self.pass().await {
                Ok(Pass::More) => Duration::ZERO,
                Ok(Pass::Busy) => BUSY,
                Ok(Pass::Drained) => {
                    retry = FIRST_RETRY;
                    if trimmed.elapsed() >= TRIM_EVERY {
                        self.trim().await;
                        trimmed = Instant::now();
                    }
                    POLL
                }
                Err(error) => {
                    tracing::warn!(%error, retry_in = ?retry, "events wait to be relayed");
                    let wait = retry;
                    retry = (retry * 2).min(LAST_RETRY);
                    tokio::select! {
                        () = shutdown.cancelled() => return,
                        () = tokio::time::sleep(wait) => continue,
                    }
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = &mut committed => {}
                () = tokio::time::sleep(wait) => {}
            }
        }
    }

    #[tracing::instrument(skip_all, level = "debug")]
    async fn pass(&self) -> DomainResult<Pass> {
        // A read first: an idle relay takes no write lock (on SQLite one writer at a time).
        if !waiting(&self.db).await? {
            return Ok(Pass::Drained);
        }
        let tx = self.db.begin().await.context("begin relay")?;
        if !locked(&tx).await? {
            return Ok(Pass::Busy);
        }
        let waiting = claim(&tx).await?;
        if waiting.is_empty() {
            return Ok(Pass::Drained);
        }
        let relayed: Vec<(Vec<String>, Envelope)> = waiting.iter().filter_map(envelope).collect();
        let events: Vec<(EventId, &HubEvent)> = relayed
            .iter()
            .map(|(_, envelope)| (envelope.id, &envelope.event))
            .collect();
        let told = fanout::notify(&tx, &events, Utc::now()).await?;
        for (topics, envelope) in &relayed {
            self.bus
                .publish(topics, &envelope.encode().context("encode an event")?)
                .await?;
        }
        tx.commit().await.context("commit relay")?;
        self.tell_live(told).await;
        Ok(match waiting.len() as u64 {
            BATCH => Pass::More,
            _ => Pass::Drained,
        })
    }

    /// Tells the live sessions of everyone notified, once their notifications are committed.
    /// At most once: a notification whose push is lost is still in the list when next read.
    async fn tell_live(&self, told: Vec<(EventId, Vec<Told>)>) {
        for (event, people) in told {
            let topics: Vec<String> = people
                .iter()
                .map(|(person, _)| notifications_topic(PersonId::from_uuid(*person)))
                .collect();
            let pushed = self
                .bus
                .publish(&topics, event.to_string().as_bytes())
                .await;
            if let Err(error) = pushed {
                tracing::warn!(%error, %event, "live sessions were not told of notifications");
            }
        }
    }

    /// Deletes events relayed longer ago than they are kept.
    async fn trim(&self) {
        let before = Utc::now() - KEEP;
        let trimmed = row::Entity::delete_many()
            .filter(row::Column::RelayedAt.lt(before))
            .exec(&self.db)
            .await;
        if let Err(error) = trimmed {
            tracing::warn!(%error, "cannot trim relayed events");
        }
    }
}

/// Whether any event waits to be relayed (an index-only look at the waiting ones).
async fn waiting(db: &DatabaseConnection) -> DomainResult<bool> {
    let first = row::Entity::find()
        .select_only()
        .column(row::Column::Seq)
        .filter(row::Column::RelayedAt.is_null())
        .into_tuple::<i64>()
        .one(db)
        .await
        .context("look at the outbox")?;
    Ok(first.is_some())
}

/// Whether this pass may relay: on PostgreSQL, when it holds the outbox's advisory lock until
/// the transaction ends.
async fn locked(tx: &DatabaseTransaction) -> DomainResult<bool> {
    if tx.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(true);
    }
    let statement = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_try_advisory_xact_lock($1) AS locked",
        [LOCK.into()],
    );
    let row = tx
        .query_one_raw(statement)
        .await
        .context("lock the outbox")?
        .ok_or_else(|| DomainError::unavailable("lock the outbox", "no answer"))?;
    row.try_get::<bool>("", "locked").context("lock the outbox")
}

/// Marks the oldest waiting events relayed, and reads them in order. Written first, so on SQLite
/// the pass takes the write lock at once (a read upgraded to a write after another writer
/// committed fails there); the mark stands only if the pass commits after publishing.
async fn claim(tx: &DatabaseTransaction) -> DomainResult<Vec<row::Model>> {
    let oldest = Query::select()
        .column(row::Column::Seq)
        .from(row::Entity)
        .and_where(row::Column::RelayedAt.is_null())
        .order_by(row::Column::Seq, Order::Asc)
        .limit(BATCH)
        .to_owned();
    let mut claimed = row::Entity::update_many()
        .col_expr(row::Column::RelayedAt, Expr::value(Utc::now()))
        .filter(row::Column::Seq.in_subquery(oldest))
        .exec_with_returning(tx)
        .await
        .context("claim waiting events")?;
    claimed.sort_by_key(|event| event.seq);
    Ok(claimed)
}

/// A stored event as the bus carries it, with its topics; `None` (logged) for one written by
/// an older hub in a shape this one cannot read, which must not hold back every event after it.
fn envelope(stored: &row::Model) -> Option<(Vec<String>, Envelope)> {
    let read = serde_json::from_str::<HubEvent>(&stored.payload)
        .and_then(|event| Ok((serde_json::from_str(&stored.topics)?, event)));
    match read {
        Ok((topics, event)) => {
            let id = EventId::from_uuid(stored.id);
            Some((topics, Envelope { id, event }))
        }
        Err(error) => {
            tracing::error!(%error, seq = stored.seq, "an event is skipped");
            None
        }
    }
}
