//! Facilitation: why a post or practice was rejected or hidden, each community's flag threshold,
//! bans, flags on content, and the append-only moderation log (a practice may have no
//! community: its flags and log entries then have none, and hub administrators review them).

use sea_orm_migration::prelude::*;

use crate::{create_index, references, text, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    /// Why a facilitator rejected or hid it, shown to its author.
    ModerationReason,
    /// When it was last rejected or hidden: a restore gives back the points taken then.
    ModeratedAt,
}

#[derive(DeriveIden)]
enum Practices {
    Table,
    /// Why it was hidden, shown to its author; null while shown to readers.
    HiddenReason,
    HiddenAt,
}

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
    /// Distinct members' flags that hide content pending review.
    FlagThreshold,
}

#[derive(DeriveIden, Clone)]
enum CommunityBans {
    Table,
    CommunityId,
    PersonId,
    BannedBy,
    Reason,
    /// When the ban ends; none for good.
    Until,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum ContentFlags {
    Table,
    Id,
    CommunityId,
    /// The thread, post or practice flagged.
    ContentId,
    ContentKind,
    FlaggerId,
    Reason,
    Note,
    CreatedAt,
    /// When a facilitator acted on the flag (dismissed it, hid or restored the content).
    ResolvedAt,
}

#[derive(DeriveIden, Clone)]
enum ModerationLog {
    Table,
    Id,
    CommunityId,
    ActorId,
    Action,
    /// What was acted on: a thread, post or practice (`content_kind`), or a person
    /// (`subject_id`).
    ContentId,
    ContentKind,
    SubjectId,
    Reason,
    Until,
    CreatedAt,
}

/// Posts awaiting a facilitator, oldest first: the index holds only those.
const PENDING: &str =
    "CREATE INDEX posts_pending ON posts (created_at, id) WHERE status = 'PENDING'";
/// A community's open flags, oldest first.
const OPEN_FLAGS: &str = "CREATE INDEX content_flags_open ON content_flags \
     (community_id, created_at, id) WHERE resolved_at IS NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(manager).await?;
        bans(manager).await?;
        flags(manager).await?;
        log(manager).await?;
        let db = manager.get_connection();
        db.execute_unprepared(PENDING).await?;
        db.execute_unprepared(OPEN_FLAGS).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX posts_pending").await?;
        for table in ["moderation_log", "content_flags", "community_bans"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        drop_columns(manager).await
    }
}

/// One column per statement: SQLite alters one thing at a time.
async fn add_columns(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let columns = [
        (
            Posts::Table.into_iden(),
            ColumnDef::new(Posts::ModerationReason)
                .text()
                .null()
                .to_owned(),
        ),
        (
            Posts::Table.into_iden(),
            ColumnDef::new(Posts::ModeratedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ),
        (
            Practices::Table.into_iden(),
            ColumnDef::new(Practices::HiddenReason)
                .text()
                .null()
                .to_owned(),
        ),
        (
            Practices::Table.into_iden(),
            ColumnDef::new(Practices::HiddenAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ),
        (
            Communities::Table.into_iden(),
            ColumnDef::new(Communities::FlagThreshold)
                .integer()
                .not_null()
                .default(3)
                .to_owned(),
        ),
    ];
    for (table, mut column) in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn drop_columns(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let columns = [
        (
            Posts::Table.into_iden(),
            Posts::ModerationReason.into_iden(),
        ),
        (Posts::Table.into_iden(), Posts::ModeratedAt.into_iden()),
        (
            Practices::Table.into_iden(),
            Practices::HiddenReason.into_iden(),
        ),
        (
            Practices::Table.into_iden(),
            Practices::HiddenAt.into_iden(),
        ),
        (
            Communities::Table.into_iden(),
            Communities::FlagThreshold.into_iden(),
        ),
    ];
    for (table, column) in columns {
        manager
            .alter_table(Table::alter().table(table).drop_column(column).to_owned())
            .await?;
    }
    Ok(())
}

async fn bans(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(CommunityBans::Table)
                .col(uuid(CommunityBans::CommunityId))
                .col(uuid(CommunityBans::PersonId))
                .col(uuid(CommunityBans::BannedBy))
                .col(ColumnDef::new(CommunityBans::Reason).text().null())
                .col(
                    ColumnDef::new(CommunityBans::Until)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(time(CommunityBans::CreatedAt))
                .primary_key(
                    Index::create()
                        .col(CommunityBans::CommunityId)
                        .col(CommunityBans::PersonId),
                )
                .foreign_key(&mut references(
                    (CommunityBans::Table, CommunityBans::CommunityId),
                    (Communities::Table, Communities::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await
}

async fn flags(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ContentFlags::Table)
                .col(uuid(ContentFlags::Id).primary_key())
                .col(ColumnDef::new(ContentFlags::CommunityId).uuid().null())
                .col(uuid(ContentFlags::ContentId))
                .col(text(ContentFlags::ContentKind))
                .col(uuid(ContentFlags::FlaggerId))
                .col(text(ContentFlags::Reason))
                .col(ColumnDef::new(ContentFlags::Note).text().null())
                .col(time(ContentFlags::CreatedAt))
                .col(
                    ColumnDef::new(ContentFlags::ResolvedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .foreign_key(&mut references(
                    (ContentFlags::Table, ContentFlags::CommunityId),
                    (Communities::Table, Communities::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // Once per person per item; an item's flags are found by the item.
    manager
        .create_index(
            Index::create()
                .name("content_flags_once")
                .table(ContentFlags::Table)
                .col(ContentFlags::ContentId)
                .col(ContentFlags::FlaggerId)
                .unique()
                .to_owned(),
        )
        .await
}

async fn log(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ModerationLog::Table)
                .col(uuid(ModerationLog::Id).primary_key())
                .col(ColumnDef::new(ModerationLog::CommunityId).uuid().null())
                .col(uuid(ModerationLog::ActorId))
                .col(text(ModerationLog::Action))
                .col(ColumnDef::new(ModerationLog::ContentId).uuid().null())
                .col(ColumnDef::new(ModerationLog::ContentKind).text().null())
                .col(ColumnDef::new(ModerationLog::SubjectId).uuid().null())
                .col(ColumnDef::new(ModerationLog::Reason).text().null())
                .col(
                    ColumnDef::new(ModerationLog::Until)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(time(ModerationLog::CreatedAt))
                .foreign_key(&mut references(
                    (ModerationLog::Table, ModerationLog::CommunityId),
                    (Communities::Table, Communities::Id),
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
    // A community's log, newest first; and the whole hub's, for its administrators.
    create_index(
        manager,
        "moderation_log_community",
        ModerationLog::Table,
        &[
            ModerationLog::CommunityId,
            ModerationLog::CreatedAt,
            ModerationLog::Id,
        ],
    )
    .await?;
    create_index(
        manager,
        "moderation_log_created",
        ModerationLog::Table,
        &[ModerationLog::CreatedAt, ModerationLog::Id],
    )
    .await
}
