//! Webhooks in SQL: the webhooks themselves here, their deliveries in [`deliveries`], and the
//! deliveries events make in [`enqueue`] (run by the outbox's webhook consumer).

mod deliveries;
pub(crate) mod enqueue;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::community::CommunityId;
use khub_domain::events::HubEvent;
use khub_domain::organisation::OrganisationId;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::{WebhookOwners, WebhookRepository};
use khub_domain::webhook::{
    Attempt, Delivery, DeliveryId, Disabled, DueDelivery, EventSelection, Webhook, WebhookEvent,
    WebhookId, WebhookSecrets, WebhookUrl,
};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, DatabaseConnection,
    EntityTrait, QueryFilter, TransactionTrait,
};

use super::entity::{webhook as row, webhook_delivery};
use super::{keyset, outbox};
use crate::error::ResultExt;

/// The webhook repository over sea-orm.
#[derive(Clone)]
pub struct SqlWebhooks {
    db: DatabaseConnection,
}

impl SqlWebhooks {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn encode_events(events: &EventSelection) -> DomainResult<String> {
    let names: Vec<&str> = events.as_slice().iter().map(|e| e.as_str()).collect();
    serde_json::to_string(&names).context("encode a webhook's events")
}

fn to_row(webhook: &Webhook) -> DomainResult<row::ActiveModel> {
    Ok(row::ActiveModel {
        id: Set(webhook.id.as_uuid()),
        owner_id: Set(webhook.owner.as_uuid()),
        organisation_id: Set(webhook.organisation.map(|o| o.as_uuid())),
        created_by: Set(webhook.created_by.as_uuid()),
        url: Set(webhook.url.as_str().to_owned()),
        events: Set(encode_events(&webhook.events)?),
        community_id: Set(webhook.community.map(|c| c.as_uuid())),
        // Kept by `create` and `rotate_secret` alone.
        secret: NotSet,
        previous_secret: NotSet,
        previous_secret_until: NotSet,
        failing_since: Set(webhook.failing_since),
        disabled_at: Set(webhook.disabled.as_ref().map(|d| d.at)),
        disabled_reason: Set(webhook.disabled.as_ref().map(|d| d.reason.clone())),
        created_at: Set(webhook.created_at),
        updated_at: Set(webhook.updated_at),
    })
}

pub(crate) fn to_webhook(row: &row::Model) -> DomainResult<Webhook> {
    let broken = |what: String| DomainError::unavailable(format!("read webhook {}", row.id), what);
    let names: Vec<String> =
        serde_json::from_str(&row.events).map_err(|e| broken(e.to_string()))?;
    let events = names
        .iter()
        .filter_map(|name| WebhookEvent::parse(name))
        .collect();
    Ok(Webhook {
        id: WebhookId::from_uuid(row.id),
        owner: PersonId::from_uuid(row.owner_id),
        organisation: row.organisation_id.map(OrganisationId::from_uuid),
        created_by: PersonId::from_uuid(row.created_by),
        url: WebhookUrl::parse(&row.url).map_err(|e| broken(e.message))?,
        events: EventSelection::new(events).map_err(|e| broken(e.message))?,
        community: row.community_id.map(CommunityId::from_uuid),
        failing_since: row.failing_since,
        disabled: row.disabled_at.map(|at| Disabled {
            at,
            reason: row.disabled_reason.clone().unwrap_or_default(),
        }),
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

pub(crate) fn secrets(row: &row::Model) -> WebhookSecrets {
    WebhookSecrets {
        current: row.secret.clone(),
        previous: row.previous_secret.clone().zip(row.previous_secret_until),
    }
}

#[async_trait]
impl WebhookRepository for SqlWebhooks {
    async fn create(&self, webhook: &Webhook, secret: &str) -> DomainResult<()> {
        let mut new = to_row(webhook)?;
        new.secret = Set(secret.to_owned());
        new.previous_secret = Set(None);
        new.previous_secret_until = Set(None);
        new.insert(&self.db).await.context("create a webhook")?;
        Ok(())
    }

    async fn find(&self, id: WebhookId) -> DomainResult<Option<Webhook>> {
        row::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .context("find a webhook")?
            .as_ref()
            .map(to_webhook)
            .transpose()
    }

    async fn list(&self, owners: WebhookOwners, page: &PageRequest) -> DomainResult<Page<Webhook>> {
        let select = match owners {
            WebhookOwners::Person(person) => row::Entity::find()
                .filter(row::Column::OwnerId.eq(person.as_uuid()))
                .filter(row::Column::OrganisationId.is_null()),
            WebhookOwners::Organisation(org) => {
                row::Entity::find().filter(row::Column::OrganisationId.eq(org.as_uuid()))
            }
        };
        keyset::page(
            &self.db,
            select,
            (row::Column::CreatedAt, row::Column::Id),
            true,
            page,
            keyset::read_time_and_id,
            |row| {
                Ok((
                    keyset::time_and_id(row.created_at, row.id),
                    to_webhook(&row)?,
                ))
            },
        )
        .await
    }

    async fn update(&self, webhook: &Webhook) -> DomainResult<()> {
        to_row(webhook)?
            .update(&self.db)
            .await
            .context("update a webhook")?;
        Ok(())
    }

    async fn delete(&self, id: WebhookId) -> DomainResult<bool> {
        let deleted = row::Entity::delete_by_id(id.as_uuid())
            .exec(&self.db)
            .await
            .context("delete a webhook")?;
        Ok(deleted.rows_affected > 0)
    }

    async fn rotate_secret(
        &self,
        id: WebhookId,
        secret: &str,
        previous_until: DateTime<Utc>,
    ) -> DomainResult<()> {
        row::Entity::update_many()
            .col_expr(row::Column::PreviousSecret, Expr::col(row::Column::Secret))
            .col_expr(
                row::Column::PreviousSecretUntil,
                Expr::value(previous_until),
            )
            .col_expr(row::Column::Secret, Expr::value(secret))
            .filter(row::Column::Id.eq(id.as_uuid()))
            .exec(&self.db)
            .await
            .context("rotate a webhook's secret")?;
        Ok(())
    }

    async fn deliveries(
        &self,
        webhook: WebhookId,
        page: &PageRequest,
    ) -> DomainResult<Page<Delivery>> {
        deliveries::page(&self.db, webhook, page).await
    }

    async fn find_delivery(&self, id: DeliveryId) -> DomainResult<Option<Delivery>> {
        deliveries::find(&self.db, id).await
    }

    async fn add_delivery(&self, delivery: &Delivery) -> DomainResult<()> {
        deliveries::add(&self.db, delivery).await
    }

    async fn claim_due(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<DueDelivery>> {
        deliveries::claim_due(&self.db, now, until, limit).await
    }

    async fn record(&self, delivery: &Delivery, attempt: Option<&Attempt>) -> DomainResult<()> {
        deliveries::record(&self.db, delivery, attempt).await
    }

    async fn attempts(&self, deliveries: &[DeliveryId]) -> DomainResult<Vec<Attempt>> {
        deliveries::attempts(&self.db, deliveries).await
    }

    async fn discard(&self, id: DeliveryId) -> DomainResult<()> {
        webhook_delivery::Entity::delete_by_id(id.as_uuid())
            .exec(&self.db)
            .await
            .context("discard a delivery")?;
        Ok(())
    }

    async fn set_failing(&self, id: WebhookId, since: Option<DateTime<Utc>>) -> DomainResult<()> {
        row::Entity::update_many()
            .col_expr(row::Column::FailingSince, Expr::value(since))
            .filter(row::Column::Id.eq(id.as_uuid()))
            .exec(&self.db)
            .await
            .context("mark a webhook failing")?;
        Ok(())
    }

    async fn disable(
        &self,
        id: WebhookId,
        disabled: &Disabled,
        event: &HubEvent,
    ) -> DomainResult<()> {
        let tx = self.db.begin().await.context("begin disabling a webhook")?;
        row::Entity::update_many()
            .col_expr(row::Column::DisabledAt, Expr::value(disabled.at))
            .col_expr(
                row::Column::DisabledReason,
                Expr::value(disabled.reason.clone()),
            )
            .filter(row::Column::Id.eq(id.as_uuid()))
            .exec(&tx)
            .await
            .context("disable a webhook")?;
        outbox::record(&tx, std::slice::from_ref(event)).await?;
        outbox::commit(tx, "commit disabling a webhook").await
    }
}
