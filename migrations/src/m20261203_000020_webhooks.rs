//! Webhooks: partners' endpoints told of events, and the log of each delivery and attempt. Deliveries are
//! made from the outbox by its third consumer, which marks what it has handled in its own
//! column.

use sea_orm_migration::prelude::*;

use crate::{counter, create_index, references, text, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    WebhookedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Webhooks {
    Table,
    Id,
    /// Whose reading authority deliveries have: a person, or an organisation's service identity.
    OwnerId,
    OrganisationId,
    /// Who created it: told when it is disabled.
    CreatedBy,
    Url,
    /// The event types it receives, as a JSON array of their names.
    Events,
    /// Only events in this community, when set.
    CommunityId,
    Secret,
    /// The secret before the last rotation, still signing until `previous_secret_until`.
    PreviousSecret,
    PreviousSecretUntil,
    /// When deliveries began failing without a success since.
    FailingSince,
    DisabledAt,
    DisabledReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    /// The Standard Webhooks message id: the same for every attempt and redelivery.
    MessageId,
    EventType,
    /// The event, as the outbox stored it.
    Event,
    /// The event's place in the outbox: deliveries of one webhook go in this order.
    Seq,
    Status,
    Attempts,
    NextAttemptAt,
    /// An instance delivering it holds it until then.
    ClaimedUntil,
    ResponseCode,
    LatencyMs,
    Error,
    CreatedAt,
    LastAttemptAt,
}

#[derive(DeriveIden, Clone)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    /// 1 for the first attempt, then 2, 3, …
    Attempt,
    AttemptedAt,
    ResponseCode,
    LatencyMs,
    Error,
}

/// The webhook consumer reads the events it has not handled, oldest first.
const WAITING: &str =
    "CREATE INDEX outbox_events_unwebhooked ON outbox_events (seq) WHERE webhooked_at IS NULL";
/// Events recorded before webhooks existed have no webhook to go to.
const HANDLED: &str = "UPDATE outbox_events SET webhooked_at = created_at";
/// Deliveries waiting, by when they are due.
const DUE: &str = "CREATE INDEX webhook_deliveries_due ON webhook_deliveries \
     (next_attempt_at) WHERE status = 'PENDING'";
/// Each webhook's waiting deliveries in order: only the first is attempted.
const QUEUE: &str = "CREATE INDEX webhook_deliveries_queue ON webhook_deliveries \
     (webhook_id, seq, id) WHERE status = 'PENDING'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxEvents::Table)
                    .add_column(
                        ColumnDef::new(OutboxEvents::WebhookedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        webhooks(manager).await?;
        deliveries(manager).await?;
        attempts(manager).await?;
        let db = manager.get_connection();
        for statement in [HANDLED, WAITING, DUE, QUEUE] {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX outbox_events_unwebhooked")
            .await?;
        for table in ["webhook_attempts", "webhook_deliveries", "webhooks"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxEvents::Table)
                    .drop_column(OutboxEvents::WebhookedAt)
                    .to_owned(),
            )
            .await
    }
}

fn optional_time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

async fn webhooks(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Webhooks::Table)
                .col(uuid(Webhooks::Id).primary_key())
                .col(uuid(Webhooks::OwnerId))
                .col(ColumnDef::new(Webhooks::OrganisationId).uuid().null())
                .col(uuid(Webhooks::CreatedBy))
                .col(text(Webhooks::Url))
                .col(text(Webhooks::Events))
                .col(ColumnDef::new(Webhooks::CommunityId).uuid().null())
                .col(text(Webhooks::Secret))
                .col(ColumnDef::new(Webhooks::PreviousSecret).text().null())
                .col(optional_time(Webhooks::PreviousSecretUntil))
                .col(optional_time(Webhooks::FailingSince))
                .col(optional_time(Webhooks::DisabledAt))
                .col(ColumnDef::new(Webhooks::DisabledReason).text().null())
                .col(time(Webhooks::CreatedAt))
                .col(time(Webhooks::UpdatedAt))
                .foreign_key(&mut references(
                    (Webhooks::Table, Webhooks::OwnerId),
                    (People::Table, People::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut references(
                    (Webhooks::Table, Webhooks::OrganisationId),
                    (Organisations::Table, Organisations::Id),
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut references(
                    (Webhooks::Table, Webhooks::CommunityId),
                    (Communities::Table, Communities::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // A person's webhooks, and an organisation's, newest first.
    create_index(
        manager,
        "webhooks_owner",
        Webhooks::Table,
        &[Webhooks::OwnerId, Webhooks::CreatedAt, Webhooks::Id],
    )
    .await?;
    create_index(
        manager,
        "webhooks_organisation",
        Webhooks::Table,
        &[Webhooks::OrganisationId, Webhooks::CreatedAt, Webhooks::Id],
    )
    .await
}

async fn deliveries(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .col(uuid(WebhookDeliveries::Id).primary_key())
                .col(uuid(WebhookDeliveries::WebhookId))
                .col(text(WebhookDeliveries::MessageId))
                .col(text(WebhookDeliveries::EventType))
                .col(text(WebhookDeliveries::Event))
                .col(
                    ColumnDef::new(WebhookDeliveries::Seq)
                        .big_integer()
                        .not_null(),
                )
                .col(text(WebhookDeliveries::Status))
                .col(counter(WebhookDeliveries::Attempts))
                .col(time(WebhookDeliveries::NextAttemptAt))
                .col(optional_time(WebhookDeliveries::ClaimedUntil))
                .col(
                    ColumnDef::new(WebhookDeliveries::ResponseCode)
                        .integer()
                        .null(),
                )
                .col(
                    ColumnDef::new(WebhookDeliveries::LatencyMs)
                        .integer()
                        .null(),
                )
                .col(ColumnDef::new(WebhookDeliveries::Error).text().null())
                .col(time(WebhookDeliveries::CreatedAt))
                .col(optional_time(WebhookDeliveries::LastAttemptAt))
                .foreign_key(&mut references(
                    (WebhookDeliveries::Table, WebhookDeliveries::WebhookId),
                    (Webhooks::Table, Webhooks::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // A webhook's delivery log, newest first.
    create_index(
        manager,
        "webhook_deliveries_log",
        WebhookDeliveries::Table,
        &[
            WebhookDeliveries::WebhookId,
            WebhookDeliveries::CreatedAt,
            WebhookDeliveries::Id,
        ],
    )
    .await
}

async fn attempts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(WebhookAttempts::Table)
                .col(uuid(WebhookAttempts::Id).primary_key())
                .col(uuid(WebhookAttempts::DeliveryId))
                .col(
                    ColumnDef::new(WebhookAttempts::Attempt)
                        .integer()
                        .not_null(),
                )
                .col(time(WebhookAttempts::AttemptedAt))
                .col(
                    ColumnDef::new(WebhookAttempts::ResponseCode)
                        .integer()
                        .null(),
                )
                .col(ColumnDef::new(WebhookAttempts::LatencyMs).integer().null())
                .col(ColumnDef::new(WebhookAttempts::Error).text().null())
                .foreign_key(&mut references(
                    (WebhookAttempts::Table, WebhookAttempts::DeliveryId),
                    (WebhookDeliveries::Table, WebhookDeliveries::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // A page of deliveries' attempts, in order.
    create_index(
        manager,
        "webhook_attempts_delivery",
        WebhookAttempts::Table,
        &[WebhookAttempts::DeliveryId, WebhookAttempts::Attempt],
    )
    .await
}
