//! Saved searches: a person's name, query as typed, filter (JSON) and when they last looked.

use sea_orm_migration::prelude::*;

use crate::{create_index, references, text, time, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum SavedSearches {
    Table,
    Id,
    OwnerId,
    Name,
    Query,
    Filter,
    CreatedAt,
    SeenAt,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SavedSearches::Table)
                    .col(uuid(SavedSearches::Id).primary_key())
                    .col(uuid(SavedSearches::OwnerId))
                    .col(text(SavedSearches::Name))
                    .col(text(SavedSearches::Query))
                    .col(text(SavedSearches::Filter))
                    .col(time(SavedSearches::CreatedAt))
                    .col(time(SavedSearches::SeenAt))
                    .foreign_key(&mut references(
                        (SavedSearches::Table, SavedSearches::OwnerId),
                        (People::Table, People::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        // A person's searches, newest first.
        create_index(
            manager,
            "saved_searches_owner_created",
            SavedSearches::Table,
            &[
                SavedSearches::OwnerId,
                SavedSearches::CreatedAt,
                SavedSearches::Id,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SavedSearches::Table).to_owned())
            .await
    }
}
