use sea_orm_migration::prelude::*;

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum People {
    Table,
    Id,
    Email,
    Handle,
    DisplayName,
    PasswordHash,
    JobTitle,
    Bio,
    Area,
    Interests,
    OrganisationId,
    OrganisationRole,
    HubAdministrator,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Follows {
    Table,
    FollowerId,
    FolloweeId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(people()).await?;
        // Lists of people are ordered by (display_name, id), within an organisation or not.
        create_index(
            manager,
            "people_display_name_id",
            People::Table,
            &[People::DisplayName, People::Id],
        )
        .await?;
        create_index(
            manager,
            "people_organisation_display_name_id",
            People::Table,
            &[People::OrganisationId, People::DisplayName, People::Id],
        )
        .await?;
        manager.create_table(follows()).await?;
        // "Who follows X, newest first": the primary key serves the other direction.
        create_index(
            manager,
            "follows_followee_created_at",
            Follows::Table,
            &[Follows::FolloweeId, Follows::CreatedAt],
        )
        .await?;
        create_index(
            manager,
            "follows_follower_created_at",
            Follows::Table,
            &[Follows::FollowerId, Follows::CreatedAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Follows::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(People::Table).to_owned())
            .await
    }
}

fn people() -> TableCreateStatement {
    Table::create()
        .table(People::Table)
        .col(ColumnDef::new(People::Id).uuid().not_null().primary_key())
        // Stored lowercase, so uniqueness is case-insensitive on both databases.
        .col(
            ColumnDef::new(People::Email)
                .string_len(254)
                .not_null()
                .unique_key(),
        )
        .col(
            ColumnDef::new(People::Handle)
                .string_len(30)
                .not_null()
                .unique_key(),
        )
        .col(
            ColumnDef::new(People::DisplayName)
                .string_len(100)
                .not_null(),
        )
        .col(
            ColumnDef::new(People::PasswordHash)
                .string_len(200)
                .not_null(),
        )
        .col(ColumnDef::new(People::JobTitle).string_len(120).null())
        .col(ColumnDef::new(People::Bio).text().null())
        .col(ColumnDef::new(People::Area).string_len(120).null())
        .col(ColumnDef::new(People::Interests).json().not_null())
        .col(ColumnDef::new(People::OrganisationId).uuid().null())
        .col(
            ColumnDef::new(People::OrganisationRole)
                .string_len(16)
                .null(),
        )
        .col(
            ColumnDef::new(People::HubAdministrator)
                .boolean()
                .not_null()
                .default(false),
        )
        .col(
            ColumnDef::new(People::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(People::UpdatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .foreign_key(
            ForeignKey::create()
                .from(People::Table, People::OrganisationId)
                .to(Organisations::Table, Organisations::Id)
                .on_delete(ForeignKeyAction::SetNull),
        )
        .to_owned()
}

fn follows() -> TableCreateStatement {
    Table::create()
        .table(Follows::Table)
        .col(ColumnDef::new(Follows::FollowerId).uuid().not_null())
        .col(ColumnDef::new(Follows::FolloweeId).uuid().not_null())
        .col(
            ColumnDef::new(Follows::CreatedAt)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .primary_key(
            Index::create()
                .col(Follows::FollowerId)
                .col(Follows::FolloweeId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(Follows::Table, Follows::FollowerId)
                .to(People::Table, People::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(Follows::Table, Follows::FolloweeId)
                .to(People::Table, People::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}
