//! Each API token's use per day: requests and query cost, for the partner's audit trail.

use sea_orm_migration::prelude::*;

use crate::{counter, references};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum ApiTokenUsage {
    Table,
    TokenId,
    /// The day (UTC).
    Day,
    Requests,
    Cost,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The key serves both the additive upsert and a token's days, newest first.
        manager
            .create_table(
                Table::create()
                    .table(ApiTokenUsage::Table)
                    .col(ColumnDef::new(ApiTokenUsage::TokenId).uuid().not_null())
                    .col(ColumnDef::new(ApiTokenUsage::Day).date().not_null())
                    .col(counter(ApiTokenUsage::Requests))
                    .col(counter(ApiTokenUsage::Cost))
                    .primary_key(
                        Index::create()
                            .col(ApiTokenUsage::TokenId)
                            .col(ApiTokenUsage::Day),
                    )
                    .foreign_key(&mut references(
                        (ApiTokenUsage::Table, ApiTokenUsage::TokenId),
                        (ApiTokens::Table, ApiTokens::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiTokenUsage::Table).to_owned())
            .await
    }
}
