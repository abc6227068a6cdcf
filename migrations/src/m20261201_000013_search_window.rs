//! Searches read matches newest first and stop at the paging limit (see `khub_infra`'s search):
//! this index is the order they walk when a query matches much of the hub.

use sea_orm_migration::prelude::*;

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum SearchDocuments {
    Table,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_index(
            manager,
            "search_documents_created",
            SearchDocuments::Table,
            &[SearchDocuments::CreatedAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("search_documents_created")
                    .table(SearchDocuments::Table)
                    .to_owned(),
            )
            .await
    }
}
