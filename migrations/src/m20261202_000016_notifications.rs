//! Notifications and watch levels. A person's notifications are read newest first and counted
//! unread; repeated activity of one kind on one subject collapses into the one unread
//! notification of its group (unique among the unread). Watchers of a thread or community are
//! found by the subject and level.

use sea_orm_migration::prelude::*;

use crate::{create_index, references, text, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Notifications {
    Table,
    Id,
    RecipientId,
    Kind,
    /// What collapses together: one subject and kind (a thread's activity), or one event.
    GroupKey,
    /// How many events the notification stands for.
    Count,
    /// The latest event and who caused it.
    EventId,
    ActorId,
    CommunityId,
    ThreadId,
    PostId,
    PracticeId,
    SavedSearchId,
    /// What else the kind needs: the badge awarded, or APPROVED / REJECTED.
    Detail,
    CreatedAt,
    UpdatedAt,
    ReadAt,
}

#[derive(DeriveIden, Clone)]
enum ThreadWatches {
    Table,
    PersonId,
    ThreadId,
    Level,
}

#[derive(DeriveIden, Clone)]
enum CommunityWatches {
    Table,
    PersonId,
    CommunityId,
    Level,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

const UNREAD_GROUP: &str = "CREATE UNIQUE INDEX notifications_unread_group \
     ON notifications (recipient_id, group_key) WHERE read_at IS NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(uuid(Notifications::Id).primary_key())
                    .col(uuid(Notifications::RecipientId))
                    .col(text(Notifications::Kind))
                    .col(text(Notifications::GroupKey))
                    .col(
                        ColumnDef::new(Notifications::Count)
                            .big_integer()
                            .not_null()
                            .default(1),
                    )
                    .col(uuid(Notifications::EventId))
                    .col(ColumnDef::new(Notifications::ActorId).uuid().null())
                    .col(ColumnDef::new(Notifications::CommunityId).uuid().null())
                    .col(ColumnDef::new(Notifications::ThreadId).uuid().null())
                    .col(ColumnDef::new(Notifications::PostId).uuid().null())
                    .col(ColumnDef::new(Notifications::PracticeId).uuid().null())
                    .col(ColumnDef::new(Notifications::SavedSearchId).uuid().null())
                    .col(ColumnDef::new(Notifications::Detail).text().null())
                    .col(time(Notifications::CreatedAt))
                    .col(time(Notifications::UpdatedAt))
                    .col(
                        ColumnDef::new(Notifications::ReadAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .foreign_key(&mut references(
                        (Notifications::Table, Notifications::RecipientId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A person's notifications, latest activity first.
        create_index(
            manager,
            "notifications_recipient_updated",
            Notifications::Table,
            &[
                Notifications::RecipientId,
                Notifications::UpdatedAt,
                Notifications::Id,
            ],
        )
        .await?;
        // Who an event already told (so watchers are not told twice).
        create_index(
            manager,
            "notifications_event",
            Notifications::Table,
            &[Notifications::EventId, Notifications::RecipientId],
        )
        .await?;
        // The unread: one per group (collapsing), and counted per person. Partial: the same SQL
        // on SQLite and PostgreSQL, which sea-query cannot build.
        manager
            .get_connection()
            .execute_unprepared(UNREAD_GROUP)
            .await?;
        watches(
            manager,
            ThreadWatches::Table,
            ThreadWatches::PersonId,
            ThreadWatches::ThreadId,
            ThreadWatches::Level,
            "thread_watches_thread_level",
        )
        .await?;
        watches(
            manager,
            CommunityWatches::Table,
            CommunityWatches::PersonId,
            CommunityWatches::CommunityId,
            CommunityWatches::Level,
            "community_watches_community_level",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["community_watches", "thread_watches", "notifications"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// A watch table: one level per person and subject, found by subject and level for fan-out.
async fn watches<T: Iden + Clone + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    person: T,
    subject: T,
    level: T,
    index: &str,
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(table.clone())
                .col(uuid(person.clone()))
                .col(uuid(subject.clone()))
                .col(text(level.clone()))
                .primary_key(Index::create().col(person.clone()).col(subject.clone()))
                .foreign_key(&mut references(
                    (table.clone(), person),
                    (People::Table, People::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    create_index(manager, index, table, &[subject, level]).await
}
