//! Notification mail: each person's chosen frequency (and when their last digest went), and
//! the mentions and replies waiting to be mailed at once. And when each saved search last
//! told its owner of new matches.

use sea_orm_migration::prelude::*;

use crate::{create_index, references, text, time, uuid};

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

#[derive(DeriveIden, Clone)]
enum SavedSearches {
    Table,
    NotifiedAt,
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
        manager
            .alter_table(
                Table::alter()
                    .table(SavedSearches::Table)
                    .add_column(
                        ColumnDef::new(SavedSearches::NotifiedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        // The saved searches due to be checked for new matches, least recently first.
        create_index(
            manager,
            "saved_searches_notified",
            SavedSearches::Table,
            &[SavedSearches::NotifiedAt],
        )
        .await?;
        // Partial indexes: the same SQL on SQLite and PostgreSQL, which sea-query cannot build.
        let db = manager.get_connection();
        db.execute_unprepared(WAITING).await?;
        db.execute_unprepared(DIGESTS).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(SavedSearches::Table)
                    .drop_column(SavedSearches::NotifiedAt)
                    .to_owned(),
            )
            .await?;
        for table in ["notification_mails", "notification_settings"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
