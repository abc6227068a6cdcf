//! Sessions, refresh tokens and rate-limit windows for hubs without Redis, kept in the
//! database so an embedded hub's sessions survive a restart. Expiry is epoch milliseconds:
//! the same integer comparison on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

use crate::create_index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum SessionValues {
    Table,
    Key,
    Value,
    ExpiresAt,
}

#[derive(DeriveIden, Clone)]
enum SessionMembers {
    Table,
    Key,
    Member,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SessionValues::Table)
                    .col(
                        ColumnDef::new(SessionValues::Key)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SessionValues::Value).text().not_null())
                    .col(
                        ColumnDef::new(SessionValues::ExpiresAt)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SessionMembers::Table)
                    .col(ColumnDef::new(SessionMembers::Key).text().not_null())
                    .col(ColumnDef::new(SessionMembers::Member).text().not_null())
                    .col(
                        ColumnDef::new(SessionMembers::ExpiresAt)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(SessionMembers::Key)
                            .col(SessionMembers::Member),
                    )
                    .to_owned(),
            )
            .await?;
        // The sweep of expired entries reads by expiry.
        create_index(
            manager,
            "session_values_expires_at",
            SessionValues::Table,
            &[SessionValues::ExpiresAt],
        )
        .await?;
        create_index(
            manager,
            "session_members_expires_at",
            SessionMembers::Table,
            &[SessionMembers::ExpiresAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SessionMembers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SessionValues::Table).to_owned())
            .await
    }
}
