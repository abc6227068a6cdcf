//! Trusted documents: the documents registered for a partner's API token, and whether the token
//! runs only those.

use sea_orm_migration::prelude::*;

use crate::{references, text, time};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    TrustedDocumentsOnly,
}

#[derive(DeriveIden, Clone)]
enum TrustedDocuments {
    Table,
    TokenId,
    /// The document's SHA-256, lowercase hex.
    Hash,
    Document,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .add_column(
                        ColumnDef::new(ApiTokens::TrustedDocumentsOnly)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .to_owned(),
            )
            .await?;
        // Found by (token, hash): the key.
        manager
            .create_table(
                Table::create()
                    .table(TrustedDocuments::Table)
                    .col(ColumnDef::new(TrustedDocuments::TokenId).uuid().not_null())
                    .col(text(TrustedDocuments::Hash))
                    .col(text(TrustedDocuments::Document))
                    .col(time(TrustedDocuments::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TrustedDocuments::TokenId)
                            .col(TrustedDocuments::Hash),
                    )
                    .foreign_key(&mut references(
                        (TrustedDocuments::Table, TrustedDocuments::TokenId),
                        (ApiTokens::Table, ApiTokens::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TrustedDocuments::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApiTokens::Table)
                    .drop_column(ApiTokens::TrustedDocumentsOnly)
                    .to_owned(),
            )
            .await
    }
}
