//! Notification mail: each person's chosen frequency (and when their last digest went), and
//! the mentions and replies waiting to be mailed at once.

use sea_orm_migration::prelude::*;

use crate::{references, text, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum NotificationSettings {
    Table,
    PersonId,
    Email,
    /// What the next digest covers: activity after this.
    DigestedAt,
}

#[derive(DeriveIden, Clone)]
enum NotificationMails {
    Table,
    NotificationId,
    PersonId,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
}

/// The mails not yet sent, oldest first: the index holds only those.
const WAITING: &str = "CREATE INDEX notification_mails_waiting \
     ON notification_mails (created_at) WHERE sent_at IS NULL";
/// The people who chose a digest, by when their last one went.
const DIGESTS: &str = "CREATE INDEX notification_settings_digests \
     ON notification_settings (digested_at) WHERE email IN ('DAILY', 'WEEKLY')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NotificationSettings::Table)
                    .col(uuid(NotificationSettings::PersonId).primary_key())
                    .col(text(NotificationSettings::Email))
                    .col(time(NotificationSettings::DigestedAt))
                    .foreign_key(&mut references(
                        (NotificationSettings::Table, NotificationSettings::PersonId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationMails::Table)
                    .col(uuid(NotificationMails::NotificationId).primary_key())
                    .col(uuid(NotificationMails::PersonId))
                    .col(time(NotificationMails::CreatedAt))
                    .col(
                        ColumnDef::new(NotificationMails::SentAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut references(
                        (NotificationMails::Table, NotificationMails::NotificationId),
                        (Notifications::Table, Notifications::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // Partial indexes: the same SQL on SQLite and PostgreSQL, which sea-query cannot build.
        let db = manager.get_connection();
        db.execute_unprepared(WAITING).await?;
        db.execute_unprepared(DIGESTS).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["notification_mails", "notification_settings"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
