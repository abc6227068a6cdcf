//! What the outbox's consumers share. Each has its own pending rows, deletes them as it
//! handles their events, and runs passes until shut down: woken by this process's commits,
//! polling for other instances' events, backing off after a failure. A pass claims a batch of
//! the oldest events it has not handled inside a transaction; the deletion stands only if the
//! pass commits. On PostgreSQL a pass holds the consumer's advisory lock, so one instance at a
//! time handles events, in order. SQLite serves one process. Consumers share no rows, so none
//! waits on another's locks.

use std::future::Future;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use khub_domain::events::{Envelope, EventId, HubEvent};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Order, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement, TransactionTrait,
};
use tokio_util::sync::CancellationToken;

use super::{COMMITS, COMMITTED};
use crate::db::entity::outbox_event as row;
use crate::db::entity::outbox_pending as pending;
use crate::error::ResultExt;

/// How often the outbox is read without a wake: events committed by other instances.
const POLL: Duration = Duration::from_millis(250);
/// How soon a pass is tried again when another instance held the lock.
const BUSY: Duration = Duration::from_millis(20);
/// Back-off after a failed pass, doubling up to the ceiling.
const FIRST_RETRY: Duration = Duration::from_millis(100);
const LAST_RETRY: Duration = Duration::from_secs(10);
/// The longest rest after a pass.
const LONGEST_REST: Duration = Duration::from_secs(2);

/// Which events a consumer handles, and how.
pub(super) struct Stage {
    /// Its name, also the `stage` of its pending rows.
    pub name: &'static str,
    /// Its advisory lock on PostgreSQL.
    pub lock: i64,
    /// Events per pass: one transaction's worth.
    pub batch: u64,
    /// After a pass that handled events while more were committed, the consumer rests this many
    /// times as long as the pass took (at most [`LONGEST_REST`]) before the next: under a burst
    /// a slow pass is followed by a bigger batch rather than by another slow pass at once. An
    /// event that arrives alone is handled at once.
    pub rest: u32,
}

/// What a pass did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Pass {
    /// Nothing was waiting.
    Idle,
    /// It handled everything waiting.
    Drained,
    /// It handled a full batch: more may be waiting.
    More,
    /// Another instance is handling events.
    Busy,
}

impl Pass {
    /// What a pass that handled `count` events did.
    pub(super) fn handled(stage: &Stage, count: usize) -> Self {
        match count as u64 {
            n if n >= stage.batch => Self::More,
            _ => Self::Drained,
        }
    }
}

/// A consumer of the outbox.
pub(super) trait Consumer: Send + Sync + 'static {
    fn stage(&self) -> &'static Stage;
    fn pass(&self) -> impl Future<Output = DomainResult<Pass>> + Send;
    /// Housekeeping when nothing is waiting.
    fn idle(&self) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// Runs `consumer`'s passes until `shutdown`; events left over are handled by the next start
/// (of this or any instance).
pub(super) async fn run(consumer: impl Consumer, shutdown: CancellationToken) {
    let stage = consumer.stage();
    let mut retry = FIRST_RETRY;
    loop {
        // Listening before the pass: a commit during it wakes the next one.
        let committed = COMMITTED.notified();
        tokio::pin!(committed);
        committed.as_mut().enable();
        let (began, commits) = (Instant::now(), COMMITS.load(Ordering::Relaxed));
        let pass = consumer.pass().await;
        let burst = COMMITS.load(Ordering::Relaxed) != commits;
        let wait = match pass {
            Ok(Pass::More) => {
                keep_pace(began, stage, &shutdown).await;
                Duration::ZERO
            }
            Ok(Pass::Busy) => BUSY,
            Ok(Pass::Drained) => {
                retry = FIRST_RETRY;
                if burst {
                    keep_pace(began, stage, &shutdown).await;
                }
                POLL
            }
            Ok(Pass::Idle) => {
                retry = FIRST_RETRY;
                consumer.idle().await;
                POLL
            }
            Err(error) => {
                tracing::warn!(%error, retry_in = ?retry, consumer = stage.name, "events wait");
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

/// Rests after a pass that began at `began`, whatever commits meanwhile.
async fn keep_pace(began: Instant, stage: &Stage, shutdown: &CancellationToken) {
    let rest = (began.elapsed() * stage.rest).min(LONGEST_REST);
    if rest.is_zero() {
        return;
    }
    tokio::select! {
        () = shutdown.cancelled() => {}
        () = tokio::time::sleep(rest) => {}
    }
}

/// What a pass found to handle.
pub(super) enum Claimed {
    Nothing,
    Busy,
    /// These events, in order, no longer pending once `tx` commits.
    Events(DatabaseTransaction, Vec<row::Model>),
}

/// Claims the oldest events the stage has not handled.
pub(super) async fn claim(db: &DatabaseConnection, stage: &Stage) -> DomainResult<Claimed> {
    // A read first: an idle consumer takes no write lock (on SQLite one writer at a time).
    if !waiting(db, stage).await? {
        return Ok(Claimed::Nothing);
    }
    let tx = db.begin().await.context("begin an outbox pass")?;
    if !locked(&tx, stage.lock).await? {
        return Ok(Claimed::Busy);
    }
    let events = take(&tx, stage).await?;
    Ok(match events.is_empty() {
        true => Claimed::Nothing,
        false => Claimed::Events(tx, events),
    })
}

/// Whether any event waits for the stage (a look at the first of its pending rows).
async fn waiting(db: &DatabaseConnection, stage: &Stage) -> DomainResult<bool> {
    let first = pending::Entity::find()
        .select_only()
        .column(pending::Column::Seq)
        .filter(pending::Column::Stage.eq(stage.name))
        .into_tuple::<i64>()
        .one(db)
        .await
        .context("look at the outbox")?;
    Ok(first.is_some())
}

/// Whether this pass may go on: on PostgreSQL, when it holds the stage's advisory lock until
/// the transaction ends.
async fn locked(tx: &DatabaseTransaction, lock: i64) -> DomainResult<bool> {
    if tx.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(true);
    }
    let statement = Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_try_advisory_xact_lock($1) AS locked",
        [lock.into()],
    );
    let row = tx
        .query_one_raw(statement)
        .await
        .context("lock the outbox")?
        .ok_or_else(|| DomainError::unavailable("lock the outbox", "no answer"))?;
    row.try_get::<bool>("", "locked").context("lock the outbox")
}

/// Takes the stage's oldest pending rows, and reads their events in order. Written first, so on
/// SQLite the pass takes the write lock at once (a read upgraded to a write after another
/// writer committed fails there).
async fn take(tx: &DatabaseTransaction, stage: &Stage) -> DomainResult<Vec<row::Model>> {
    let oldest = Query::select()
        .column(pending::Column::Seq)
        .from(pending::Entity)
        .and_where(pending::Column::Stage.eq(stage.name))
        .order_by(pending::Column::Seq, Order::Asc)
        .limit(stage.batch)
        .to_owned();
    let taken = pending::Entity::delete_many()
        .filter(pending::Column::Stage.eq(stage.name))
        .filter(pending::Column::Seq.in_subquery(oldest))
        .exec_with_returning(tx)
        .await
        .context("claim waiting events")?;
    if taken.is_empty() {
        return Ok(Vec::new());
    }
    row::Entity::find()
        .filter(row::Column::Seq.is_in(taken.into_iter().map(|pending| pending.seq)))
        .order_by_asc(row::Column::Seq)
        .all(tx)
        .await
        .context("read waiting events")
}

/// A stored event as the bus carries it, with its topics; `None` (logged) for one written by
/// an older hub in a shape this one cannot read, which must not hold back every event after it.
pub(super) fn envelope(stored: &row::Model) -> Option<(Vec<String>, Envelope)> {
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
