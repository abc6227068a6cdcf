//! The outbox: every domain event, written in the transaction of the change that raised it, and
//! kept until a relay has handed it on (live subscribers, notifications), so a crash or a Redis
//! outage between the commit and the hand-over delays an event but never loses it.

use sea_orm_migration::prelude::*;

use crate::{text, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum OutboxEvents {
    Table,
    /// Commit order within an aggregate (its writes lock its rows first), hand-over order.
    Seq,
    /// What consumers deduplicate by.
    Id,
    Payload,
    Topics,
    CreatedAt,
    RelayedAt,
}

/// The relay reads the events not yet handed on, oldest first: the index holds only those.
const WAITING: &str =
    "CREATE INDEX outbox_events_waiting ON outbox_events (seq) WHERE relayed_at IS NULL";
/// Relayed events are kept a while (for an operator, and for late consumers), then trimmed.
const RELAYED: &str =
    "CREATE INDEX outbox_events_relayed ON outbox_events (relayed_at) WHERE relayed_at IS NOT NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxEvents::Table)
                    .col(
                        ColumnDef::new(OutboxEvents::Seq)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(uuid(OutboxEvents::Id).unique_key())
                    .col(text(OutboxEvents::Payload))
                    .col(text(OutboxEvents::Topics))
                    .col(time(OutboxEvents::CreatedAt))
                    .col(
                        ColumnDef::new(OutboxEvents::RelayedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // Partial indexes: the same SQL on SQLite and PostgreSQL, which sea-query cannot build.
        let db = manager.get_connection();
        db.execute_unprepared(WAITING).await?;
        db.execute_unprepared(RELAYED).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxEvents::Table).to_owned())
            .await
    }
}
