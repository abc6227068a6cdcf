//! The outbox's second consumer: notifications are written by their own pass, paced, apart
//! from the relay that hands events to live subscribers at once. Each consumer marks the events
//! it has handled in its own column.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboxEvents {
    Table,
    NotifiedAt,
}

/// The notifier reads the events it has not handled, oldest first: the index holds only those.
const WAITING: &str =
    "CREATE INDEX outbox_events_unnotified ON outbox_events (seq) WHERE notified_at IS NULL";
/// Events relayed before this migration made their notifications in the same pass.
const HANDLED: &str = "UPDATE outbox_events SET notified_at = relayed_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxEvents::Table)
                    .add_column(
                        ColumnDef::new(OutboxEvents::NotifiedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(HANDLED).await?;
        db.execute_unprepared(WAITING).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX outbox_events_unnotified")
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OutboxEvents::Table)
                    .drop_column(OutboxEvents::NotifiedAt)
                    .to_owned(),
            )
            .await
    }
}
