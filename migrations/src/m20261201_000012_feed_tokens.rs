//! Feed tokens: which generation of a person's signed feed token is current. Resetting the
//! token moves it on, so every address given out before stops working.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum People {
    Table,
    FeedTokenGeneration,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let generation = ColumnDef::new(People::FeedTokenGeneration)
            .integer()
            .not_null()
            .default(0)
            .to_owned();
        manager
            .alter_table(
                Table::alter()
                    .table(People::Table)
                    .add_column(generation)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(People::Table)
                    .drop_column(People::FeedTokenGeneration)
                    .to_owned(),
            )
            .await
    }
}
