//! The deliveries a pass of events makes: one per event and enabled webhook that wants it,
//! written in the pass's transaction. Whether the webhook's owner may read the event is
//! decided when it is delivered, not here.

use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::events::Envelope;
use khub_domain::webhook::{Delivery, Webhook, WebhookEvent};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};

use super::deliveries::to_row;
use super::to_webhook;
use crate::db::entity::{webhook, webhook_delivery};
use crate::error::ResultExt;

/// Queues the deliveries `events` (each with its outbox place) make; how many.
pub(crate) async fn deliveries_for(
    tx: &DatabaseTransaction,
    events: &[(i64, Envelope)],
    now: DateTime<Utc>,
) -> DomainResult<usize> {
    let told: Vec<(i64, &Envelope, WebhookEvent)> = events
        .iter()
        .filter_map(|(seq, envelope)| Some((*seq, envelope, WebhookEvent::of(&envelope.event)?)))
        .collect();
    if told.is_empty() {
        return Ok(0);
    }
    let webhooks = enabled(tx).await?;
    let rows = told
        .into_iter()
        .flat_map(|(seq, envelope, kind)| {
            let community = envelope.event.community();
            webhooks
                .iter()
                .filter(move |webhook| webhook.wants(kind, community))
                .map(move |webhook| {
                    let event = (envelope.id, envelope.event.clone());
                    Delivery::queued(webhook.id, event, kind, seq, now)
                })
        })
        .map(|delivery| to_row(&delivery))
        .collect::<DomainResult<Vec<_>>>()?;
    let count = rows.len();
    if count > 0 {
        webhook_delivery::Entity::insert_many(rows)
            .exec_without_returning(tx)
            .await
            .context("queue deliveries")?;
    }
    Ok(count)
}

/// Every enabled webhook: a hub has tens or hundreds, read once per pass that has events a
/// webhook could want.
async fn enabled(tx: &DatabaseTransaction) -> DomainResult<Vec<Webhook>> {
    webhook::Entity::find()
        .filter(webhook::Column::DisabledAt.is_null())
        .all(tx)
        .await
        .context("read enabled webhooks")?
        .iter()
        .map(to_webhook)
        .collect()
}
