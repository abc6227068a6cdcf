use sea_orm_migration::prelude::*;

use crate::{create_index, references, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum ReputationEvents {
    Table,
    Id,
    PersonId,
    Points,
    Reason,
    ObjectKind,
    ObjectId,
    ActorId,
    CommunityId,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum ReputationScores {
    Table,
    PersonId,
    Scope,
    Period,
    Bucket,
    Points,
}

#[derive(DeriveIden, Clone)]
enum Badges {
    Table,
    PersonId,
    Badge,
    AwardedAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(events()).await?;
        // A person's ledger, newest first; reversals find what an object earned; the daily
        // reaction cap sums a person's day.
        create_index(
            manager,
            "reputation_events_person",
            ReputationEvents::Table,
            &[
                ReputationEvents::PersonId,
                ReputationEvents::CreatedAt,
                ReputationEvents::Id,
            ],
        )
        .await?;
        create_index(
            manager,
            "reputation_events_object",
            ReputationEvents::Table,
            &[ReputationEvents::ObjectId, ReputationEvents::Reason],
        )
        .await?;
        manager.create_table(scores()).await?;
        // Leaderboards: one period of one scope, highest first.
        create_index(
            manager,
            "reputation_scores_leaderboard",
            ReputationScores::Table,
            &[
                ReputationScores::Scope,
                ReputationScores::Period,
                ReputationScores::Bucket,
                ReputationScores::Points,
            ],
        )
        .await?;
        manager.create_table(badges()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Badges::Table.into_iden(),
            ReputationScores::Table.into_iden(),
            ReputationEvents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn events() -> TableCreateStatement {
    Table::create()
        .table(ReputationEvents::Table)
        .col(uuid(ReputationEvents::Id).primary_key())
        .col(uuid(ReputationEvents::PersonId))
        .col(
            ColumnDef::new(ReputationEvents::Points)
                .big_integer()
                .not_null(),
        )
        .col(
            ColumnDef::new(ReputationEvents::Reason)
                .string_len(32)
                .not_null(),
        )
        .col(
            ColumnDef::new(ReputationEvents::ObjectKind)
                .string_len(16)
                .not_null(),
        )
        .col(uuid(ReputationEvents::ObjectId))
        .col(ColumnDef::new(ReputationEvents::ActorId).uuid().null())
        .col(ColumnDef::new(ReputationEvents::CommunityId).uuid().null())
        .col(time(ReputationEvents::CreatedAt))
        .foreign_key(&mut references(
            (ReputationEvents::Table, ReputationEvents::PersonId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn scores() -> TableCreateStatement {
    Table::create()
        .table(ReputationScores::Table)
        .col(uuid(ReputationScores::PersonId))
        // The community, or the nil id for overall.
        .col(uuid(ReputationScores::Scope))
        .col(
            ColumnDef::new(ReputationScores::Period)
                .string_len(8)
                .not_null(),
        )
        // The period's start; the epoch for all time.
        .col(time(ReputationScores::Bucket))
        .col(
            ColumnDef::new(ReputationScores::Points)
                .big_integer()
                .not_null(),
        )
        .primary_key(
            Index::create()
                .col(ReputationScores::PersonId)
                .col(ReputationScores::Scope)
                .col(ReputationScores::Period)
                .col(ReputationScores::Bucket),
        )
        .foreign_key(&mut references(
            (ReputationScores::Table, ReputationScores::PersonId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}

fn badges() -> TableCreateStatement {
    Table::create()
        .table(Badges::Table)
        .col(uuid(Badges::PersonId))
        .col(ColumnDef::new(Badges::Badge).string_len(32).not_null())
        .col(time(Badges::AwardedAt))
        .primary_key(Index::create().col(Badges::PersonId).col(Badges::Badge))
        .foreign_key(&mut references(
            (Badges::Table, Badges::PersonId),
            (People::Table, People::Id),
            ForeignKeyAction::Cascade,
        ))
        .to_owned()
}
