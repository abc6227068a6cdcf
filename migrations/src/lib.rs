//! Knowledge Hub's schema migrations. The same migrations run on SQLite (the embedded default)
//! and PostgreSQL; one file per migration, named after what it adds.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_organisations;
mod m20261127_000002_people;
mod m20261127_000003_api_tokens;
mod m20261127_000004_communities;
mod m20261127_000005_practices;
mod m20261127_000006_conversations;
mod m20261127_000007_reputation;
mod m20261201_000008_service_identities;
mod m20261201_000009_embedded_sessions;
mod m20261201_000010_search;
mod m20261201_000011_saved_searches;
mod m20261201_000012_feed_tokens;
mod m20261201_000013_search_window;
mod m20261201_000014_search_by_kind;
mod m20261202_000015_outbox;
mod m20261202_000016_notifications;
mod m20261202_000017_notification_mail;
mod m20261202_000018_outbox_notified;
mod m20261202_000019_moderation;
mod m20261203_000020_webhooks;
mod m20261203_000021_token_usage;
mod m20261203_000022_trusted_documents;
mod m20261203_000023_outbox_pending;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_organisations::Migration),
            Box::new(m20261127_000002_people::Migration),
            Box::new(m20261127_000003_api_tokens::Migration),
            Box::new(m20261127_000004_communities::Migration),
            Box::new(m20261127_000005_practices::Migration),
            Box::new(m20261127_000006_conversations::Migration),
            Box::new(m20261127_000007_reputation::Migration),
            Box::new(m20261201_000008_service_identities::Migration),
            Box::new(m20261201_000009_embedded_sessions::Migration),
            Box::new(m20261201_000010_search::Migration),
            Box::new(m20261201_000011_saved_searches::Migration),
            Box::new(m20261201_000012_feed_tokens::Migration),
            Box::new(m20261201_000013_search_window::Migration),
            Box::new(m20261201_000014_search_by_kind::Migration),
            Box::new(m20261202_000015_outbox::Migration),
            Box::new(m20261202_000016_notifications::Migration),
            Box::new(m20261202_000017_notification_mail::Migration),
            Box::new(m20261202_000018_outbox_notified::Migration),
            Box::new(m20261202_000019_moderation::Migration),
            Box::new(m20261203_000020_webhooks::Migration),
            Box::new(m20261203_000021_token_usage::Migration),
            Box::new(m20261203_000022_trusted_documents::Migration),
            Box::new(m20261203_000023_outbox_pending::Migration),
        ]
    }
}

/// Creates a named index on `columns` of `table`. Migrations share it and the column helpers
/// below, so none of them may ever change what it creates.
pub(crate) async fn create_index<T: Iden + Clone + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[T],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(column.clone());
    }
    manager.create_index(index.to_owned()).await
}

/// A required text column.
pub(crate) fn text(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).text().not_null().to_owned()
}

/// A required UUID column.
pub(crate) fn uuid(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).uuid().not_null().to_owned()
}

/// A required timestamp with time zone.
pub(crate) fn time(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

/// A count starting at zero.
pub(crate) fn counter(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .big_integer()
        .not_null()
        .default(0)
        .to_owned()
}

/// A foreign key from `from` to `to`.
pub(crate) fn references(
    from: (impl IntoTableRef + Clone, impl IntoIden),
    to: (impl IntoTableRef, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}
