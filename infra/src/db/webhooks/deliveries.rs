//! Deliveries in SQL: the log, and claiming the due ones. Only the first waiting delivery of
//! each webhook is ever due, so a webhook hears of events in order.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use khub_domain::events::{EventId, HubEvent};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::webhook::{
    Attempt, Delivery, DeliveryId, DeliveryStatus, DueDelivery, WebhookEvent, WebhookId,
};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use super::{secrets, to_webhook};
use crate::db::entity::{webhook, webhook_attempt, webhook_delivery as row};
use crate::db::keyset;
use crate::error::ResultExt;

const PENDING: &str = "PENDING";

pub(crate) fn to_row(delivery: &Delivery) -> DomainResult<row::ActiveModel> {
    Ok(row::ActiveModel {
        id: Set(delivery.id.as_uuid()),
        webhook_id: Set(delivery.webhook.as_uuid()),
        message_id: Set(delivery.message_id()),
        event_type: Set(delivery.kind.as_str().to_owned()),
        event: Set(serde_json::to_string(&delivery.event).context("encode a delivery's event")?),
        seq: Set(delivery.seq),
        status: Set(delivery.status.as_str().to_owned()),
        attempts: Set(i64::from(delivery.attempts)),
        next_attempt_at: Set(delivery.next_attempt_at),
        claimed_until: Set(None),
        response_code: Set(delivery.response_code.map(i32::from)),
        latency_ms: Set(delivery
            .latency_ms
            .map(|ms| i32::try_from(ms).unwrap_or(i32::MAX))),
        error: Set(delivery.error.clone()),
        created_at: Set(delivery.created_at),
        last_attempt_at: Set(delivery.last_attempt_at),
    })
}

fn to_delivery(row: row::Model) -> DomainResult<Delivery> {
    let broken = |what: String| DomainError::unavailable(format!("read delivery {}", row.id), what);
    let event: HubEvent = serde_json::from_str(&row.event).map_err(|e| broken(e.to_string()))?;
    let event_id = row
        .message_id
        .strip_prefix("msg_")
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| broken("a message id not made by the hub".into()))?;
    Ok(Delivery {
        id: DeliveryId::from_uuid(row.id),
        webhook: WebhookId::from_uuid(row.webhook_id),
        event_id: EventId::from_uuid(event_id),
        kind: WebhookEvent::parse(&row.event_type).ok_or_else(|| broken(row.event_type.clone()))?,
        event,
        seq: row.seq,
        status: DeliveryStatus::parse(&row.status).ok_or_else(|| broken(row.status.clone()))?,
        attempts: u32::try_from(row.attempts).unwrap_or(u32::MAX),
        next_attempt_at: row.next_attempt_at,
        response_code: row.response_code.and_then(|code| u16::try_from(code).ok()),
        latency_ms: row.latency_ms.and_then(|ms| u32::try_from(ms).ok()),
        error: row.error,
        created_at: row.created_at,
        last_attempt_at: row.last_attempt_at,
    })
}

pub(super) async fn page(
    db: &DatabaseConnection,
    webhook: WebhookId,
    page: &PageRequest,
) -> DomainResult<Page<Delivery>> {
    let select = row::Entity::find().filter(row::Column::WebhookId.eq(webhook.as_uuid()));
    keyset::page(
        db,
        select,
        (row::Column::CreatedAt, row::Column::Id),
        true,
        page,
        keyset::read_time_and_id,
        |row| {
            Ok((
                keyset::time_and_id(row.created_at, row.id),
                to_delivery(row)?,
            ))
        },
    )
    .await
}

pub(super) async fn find(
    db: &DatabaseConnection,
    id: DeliveryId,
) -> DomainResult<Option<Delivery>> {
    row::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await
        .context("find a delivery")?
        .map(to_delivery)
        .transpose()
}

pub(super) async fn add(db: &impl ConnectionTrait, delivery: &Delivery) -> DomainResult<()> {
    to_row(delivery)?
        .insert(db)
        .await
        .context("queue a delivery")?;
    Ok(())
}

/// Claims the due deliveries that head their webhook's queue, for enabled webhooks, in one
/// statement: of two instances claiming at once, each delivery goes to one.
pub(super) async fn claim_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> DomainResult<Vec<DueDelivery>> {
    let unclaimed = Condition::any()
        .add(row::Column::ClaimedUntil.is_null())
        .add(row::Column::ClaimedUntil.lt(now));
    let earlier = Alias::new("earlier");
    let ahead = Query::select()
        .expr(Expr::val(1))
        .from_as(row::Entity, earlier.clone())
        .and_where(
            Expr::col((earlier.clone(), row::Column::WebhookId))
                .equals((row::Entity, row::Column::WebhookId)),
        )
        .and_where(Expr::col((earlier.clone(), row::Column::Status)).eq(PENDING))
        .cond_where(
            Condition::any()
                .add(
                    Expr::col((earlier.clone(), row::Column::Seq))
                        .lt(Expr::col((row::Entity, row::Column::Seq))),
                )
                .add(
                    Condition::all()
                        .add(
                            Expr::col((earlier.clone(), row::Column::Seq))
                                .equals((row::Entity, row::Column::Seq)),
                        )
                        .add(
                            Expr::col((earlier, row::Column::Id))
                                .lt(Expr::col((row::Entity, row::Column::Id))),
                        ),
                ),
        )
        .to_owned();
    let enabled = Query::select()
        .column(webhook::Column::Id)
        .from(webhook::Entity)
        .and_where(webhook::Column::DisabledAt.is_null())
        .to_owned();
    let due = Query::select()
        .column(row::Column::Id)
        .from(row::Entity)
        .and_where(row::Column::Status.eq(PENDING))
        .and_where(row::Column::NextAttemptAt.lte(now))
        .cond_where(unclaimed.clone())
        .and_where(row::Column::WebhookId.in_subquery(enabled))
        .and_where(Expr::exists(ahead).not())
        .order_by(row::Column::NextAttemptAt, Order::Asc)
        .limit(limit)
        .to_owned();
    let claimed = row::Entity::update_many()
        .col_expr(row::Column::ClaimedUntil, Expr::value(until))
        .filter(row::Column::Id.in_subquery(due))
        .filter(row::Column::Status.eq(PENDING))
        .filter(unclaimed)
        .exec_with_returning(db)
        .await
        .context("claim due deliveries")?;
    with_webhooks(db, claimed).await
}

/// The claimed deliveries, each with its webhook and secrets.
async fn with_webhooks(
    db: &DatabaseConnection,
    claimed: Vec<row::Model>,
) -> DomainResult<Vec<DueDelivery>> {
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = claimed.iter().map(|d| d.webhook_id).collect();
    let webhooks: HashMap<Uuid, webhook::Model> = webhook::Entity::find()
        .filter(webhook::Column::Id.is_in(ids))
        .all(db)
        .await
        .context("read the webhooks of due deliveries")?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    claimed
        .into_iter()
        .filter_map(|delivery| {
            let found = webhooks.get(&delivery.webhook_id)?;
            Some((delivery, found))
        })
        .map(|(delivery, found)| {
            Ok(DueDelivery {
                delivery: to_delivery(delivery)?,
                webhook: to_webhook(found)?,
                secrets: secrets(found),
            })
        })
        .collect()
}

/// Stores a delivery's new state and releases the claim; with its latest attempt logged in the
/// same transaction.
pub(super) async fn record(
    db: &DatabaseConnection,
    delivery: &Delivery,
    attempt: Option<&Attempt>,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin recording a delivery")?;
    to_row(delivery)?
        .update(&tx)
        .await
        .context("record a delivery")?;
    if let Some(attempt) = attempt {
        attempt_row(attempt)
            .insert(&tx)
            .await
            .context("log a delivery attempt")?;
    }
    tx.commit().await.context("commit a delivery attempt")
}

fn attempt_row(attempt: &Attempt) -> webhook_attempt::ActiveModel {
    webhook_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        delivery_id: Set(attempt.delivery.as_uuid()),
        attempt: Set(i32::try_from(attempt.number).unwrap_or(i32::MAX)),
        attempted_at: Set(attempt.at),
        response_code: Set(attempt.response_code.map(i32::from)),
        latency_ms: Set(attempt
            .latency_ms
            .map(|ms| i32::try_from(ms).unwrap_or(i32::MAX))),
        error: Set(attempt.error.clone()),
    }
}

/// The attempts of `deliveries`, in order.
pub(super) async fn attempts(
    db: &DatabaseConnection,
    deliveries: &[DeliveryId],
) -> DomainResult<Vec<Attempt>> {
    let ids: Vec<Uuid> = deliveries.iter().map(DeliveryId::as_uuid).collect();
    let rows = webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.is_in(ids))
        .order_by_asc(webhook_attempt::Column::DeliveryId)
        .order_by_asc(webhook_attempt::Column::Attempt)
        .all(db)
        .await
        .context("read delivery attempts")?;
    Ok(rows
        .into_iter()
        .map(|row| Attempt {
            delivery: DeliveryId::from_uuid(row.delivery_id),
            number: u32::try_from(row.attempt).unwrap_or(0),
            at: row.attempted_at,
            response_code: row.response_code.and_then(|code| u16::try_from(code).ok()),
            latency_ms: row.latency_ms.and_then(|ms| u32::try_from(ms).ok()),
            error: row.error,
        })
        .collect())
}
