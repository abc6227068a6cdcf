//! What each outbox consumer has still to handle, as rows of its own rather than a mark column
//! per consumer on the event. Three consumers marking one row made each event's row written
//! four times (every index entry with it: the marks sit in partial-index predicates, so no
//! update was HOT), and made the consumers wait on each other's row locks: a notifier pass
//! holding thousands of events held back the relay, and live replies with it. A pending row is
//! inserted with its event, one per consumer, and deleted by the pass that handles it; events
//! are written once and never updated.

use sea_orm_migration::prelude::*;

use crate::text;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum OutboxPending {
    Table,
    /// The consumer: "relay", "notifier" or "webhooks".
    Stage,
    /// The event's `outbox_events.seq`: each consumer handles its events in this order.
    Seq,
}

#[derive(DeriveIden, Clone)]
enum OutboxEvents {
    Table,
    RelayedAt,
    NotifiedAt,
    WebhookedAt,
}

/// Each consumer's events not yet handled when this migration runs stay pending.
const CARRIED: &str = "INSERT INTO outbox_pending (stage, seq)
    SELECT 'relay', seq FROM outbox_events WHERE relayed_at IS NULL
    UNION ALL SELECT 'notifier', seq FROM outbox_events WHERE notified_at IS NULL
    UNION ALL SELECT 'webhooks', seq FROM outbox_events WHERE webhooked_at IS NULL";
/// The mark columns' indexes on `outbox_events`: dropped with them, made again by a revert.
const MARK_INDEXES: [(&str, &str); 4] = [
    ("outbox_events_waiting", "(seq) WHERE relayed_at IS NULL"),
    (
        "outbox_events_unnotified",
        "(seq) WHERE notified_at IS NULL",
    ),
    (
        "outbox_events_unwebhooked",
        "(seq) WHERE webhooked_at IS NULL",
    ),
    (
        "outbox_events_relayed",
        "(relayed_at) WHERE relayed_at IS NOT NULL",
    ),
];
/// Handled events are trimmed by age.
const BY_AGE: &str = "CREATE INDEX outbox_events_created ON outbox_events (created_at)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxPending::Table)
                    .col(text(OutboxPending::Stage))
                    .col(ColumnDef::new(OutboxPending::Seq).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(OutboxPending::Stage)
                            .col(OutboxPending::Seq),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(CARRIED).await?;
        for (index, _) in MARK_INDEXES {
            db.execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        for mark in marks() {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboxEvents::Table)
                        .drop_column(mark)
                        .to_owned(),
                )
                .await?;
        }
        db.execute_unprepared(BY_AGE).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX outbox_events_created")
            .await?;
        for mark in marks() {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboxEvents::Table)
                        .add_column(ColumnDef::new(mark).timestamp_with_time_zone().null())
                        .to_owned(),
                )
                .await?;
        }
        for (column, stage) in [
            ("relayed_at", "relay"),
            ("notified_at", "notifier"),
            ("webhooked_at", "webhooks"),
        ] {
            db.execute_unprepared(&format!(
                "UPDATE outbox_events SET {column} = created_at WHERE seq NOT IN \
                 (SELECT seq FROM outbox_pending WHERE stage = '{stage}')"
            ))
            .await?;
        }
        for (index, definition) in MARK_INDEXES {
            db.execute_unprepared(&format!(
                "CREATE INDEX {index} ON outbox_events {definition}"
            ))
            .await?;
        }
        manager
            .drop_table(Table::drop().table(OutboxPending::Table).to_owned())
            .await
    }
}

fn marks() -> [OutboxEvents; 3] {
    [
        OutboxEvents::RelayedAt,
        OutboxEvents::NotifiedAt,
        OutboxEvents::WebhookedAt,
    ]
}
