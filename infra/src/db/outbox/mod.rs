//! The transactional outbox. A change records its events in its own transaction
//! ([`record`]), each with a pending row per consumer; after commit the consumers hand them
//! on, in order, each deleting its pending rows as it handles them: the relay publishes them to
//! the event bus (at least once), the notifier writes the notifications they make (exactly
//! once), the webhook queue the deliveries they make (exactly once). A crash or an unreachable
//! Redis between the commit and the hand-over delays events; it never loses them.

mod consumer;
mod notifier;
mod relay;
mod webhooks;

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;
use khub_domain::DomainResult;
use khub_domain::events::{EventId, HubEvent};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, InsertStatement, Query, SelectStatement, UnionType,
};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait};
use tokio::sync::Notify;
use uuid::Uuid;

pub use relay::Relay;

use crate::db::entity::outbox_event as row;
use crate::db::entity::outbox_pending as pending;
use crate::error::ResultExt;

/// Wakes the outbox's consumers in this process when a change with events commits, so live subscribers
/// hear of it at once rather than at the next poll. Process-wide because every repository
/// records events and one process runs one hub (tests run many: a wake costs each an empty read).
static COMMITTED: Notify = Notify::const_new();
/// How many such commits this process has made: a consumer that sees it move during a pass
/// knows events are arriving faster than one at a time.
static COMMITS: AtomicU64 = AtomicU64::new(0);

/// The consumers, each handling every event.
fn stages() -> [&'static consumer::Stage; 3] {
    [&relay::RELAY, &notifier::NOTIFIER, &webhooks::WEBHOOKS]
}

/// Appends `events` to the outbox, inside the transaction of the change that raised them.
pub(crate) async fn record(db: &impl ConnectionTrait, events: &[HubEvent]) -> DomainResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = events
        .iter()
        .map(|event| {
            let (id, payload, topics) = columns(event)?;
            Ok(row::ActiveModel {
                id: Set(id),
                payload: Set(payload),
                topics: Set(topics),
                created_at: Set(now),
                ..Default::default()
            })
        })
        .collect::<DomainResult<Vec<_>>>()?;
    let recorded = row::Entity::insert_many(rows)
        .exec_with_returning_keys(db)
        .await
        .context("record events")?;
    let pending = recorded.iter().flat_map(|seq| {
        stages().map(|stage| pending::ActiveModel {
            stage: Set(stage.name.to_owned()),
            seq: Set(*seq),
        })
    });
    pending::Entity::insert_many(pending)
        .exec_without_returning(db)
        .await
        .context("record pending events")?;
    Ok(())
}

/// For a change written as one statement: the CTEs that record `events`, each only if
/// `source` (a CTE of the change) has a row, with their pending rows.
pub(crate) fn recorded_from(
    events: &[HubEvent],
    source: &str,
) -> DomainResult<Vec<CommonTableExpression>> {
    let now = Utc::now();
    let mut ctes = Vec::with_capacity(events.len() * 2);
    for (n, event) in events.iter().enumerate() {
        let (id, payload, topics) = columns(event)?;
        let select = Query::select()
            .exprs([
                Expr::val(id),
                Expr::val(payload),
                Expr::val(topics),
                Expr::val(now),
            ])
            .from(Alias::new(source))
            .to_owned();
        let name = format!("event_{n}");
        let insert = Query::insert()
            .into_table(row::Entity)
            .columns([
                row::Column::Id,
                row::Column::Payload,
                row::Column::Topics,
                row::Column::CreatedAt,
            ])
            .select_from(select)
            .context("build an event's insert")?
            .returning_col(row::Column::Seq)
            .to_owned();
        let pending = Query::insert()
            .into_table(pending::Entity)
            .columns([pending::Column::Stage, pending::Column::Seq])
            .select_from(pending_from(&name))
            .context("build an event's pending rows")?
            .to_owned();
        ctes.push(cte(&name, insert));
        ctes.push(cte(&format!("{name}_pending"), pending));
    }
    Ok(ctes)
}

/// One row per consumer for the event `recorded` (a CTE returning its `seq`).
fn pending_from(recorded: &str) -> SelectStatement {
    let of = |stage: &consumer::Stage| {
        Query::select()
            .expr(Expr::val(stage.name))
            .column(row::Column::Seq)
            .from(Alias::new(recorded))
            .to_owned()
    };
    let [first, rest @ ..] = stages();
    let mut select = of(first);
    for stage in rest {
        select.union(UnionType::All, of(stage));
    }
    select
}

fn cte(name: &str, insert: InsertStatement) -> CommonTableExpression {
    CommonTableExpression::new()
        .table_name(Alias::new(name))
        .query(insert)
        .to_owned()
}

/// A fresh id, the event and its topics, as stored.
fn columns(event: &HubEvent) -> DomainResult<(Uuid, String, String)> {
    Ok((
        EventId::generate().as_uuid(),
        encode(event)?,
        encode(&event.topics())?,
    ))
}

/// Commits a transaction that may have recorded events, and wakes the relay.
pub(crate) async fn commit(tx: DatabaseTransaction, what: &str) -> DomainResult<()> {
    tx.commit().await.context(what)?;
    committed();
    Ok(())
}

/// Wakes the relay: a change that recorded events has committed.
pub(crate) fn committed() {
    COMMITS.fetch_add(1, Ordering::Relaxed);
    COMMITTED.notify_waiters();
}

fn encode(value: &impl serde::Serialize) -> DomainResult<String> {
    serde_json::to_string(value).context("encode an event")
}
