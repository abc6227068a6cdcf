//! Knowledge Hub's schema migrations. The same migrations run on SQLite (the embedded default)
//! and PostgreSQL; one file per migration, named after what it adds.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_organisations;
mod m20261127_000002_people;
mod m20261127_000003_api_tokens;
mod m20261127_000004_communities;
mod m20261127_000005_practices;

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
        ]
    }
}

/// Creates a named index on `columns` of `table`. Migrations share it, so it must never change
/// what it creates.
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
