//! A search narrowed to one kind ("practices only", the first facet people click) walks that
//! kind's documents newest first: practices are one document in sixty, so walking every
//! document for them read sixty times as many.

use sea_orm_migration::prelude::*;

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum SearchDocuments {
    Table,
    Kind,
    CreatedAt,
}

const NAME: &str = "search_documents_kind_created";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_index(
            manager,
            NAME,
            SearchDocuments::Table,
            &[SearchDocuments::Kind, SearchDocuments::CreatedAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(SearchDocuments::Table)
                    .to_owned(),
            )
            .await
    }
}
