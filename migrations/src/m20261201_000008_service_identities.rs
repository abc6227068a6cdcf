//! Organisations act through service identities: a person row per organisation, marked
//! `service`, that owns the organisation's API tokens, so a token never acts as the
//! administrator who created it. Existing organisation tokens move to their organisation's.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
    Email,
    Handle,
    DisplayName,
    PasswordHash,
    Interests,
    OrganisationId,
    OrganisationRole,
    HubAdministrator,
    Service,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    OwnerId,
    OrganisationId,
}

#[derive(FromQueryResult)]
struct Owner {
    organisation_id: Uuid,
    slug: String,
    name: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let service = ColumnDef::new(People::Service)
            .boolean()
            .not_null()
            .default(false)
            .to_owned();
        manager
            .alter_table(
                Table::alter()
                    .table(People::Table)
                    .add_column(service)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let owners = Owner::find_by_statement(Statement::from_string(
            backend,
            "SELECT DISTINCT t.organisation_id, o.slug, o.name FROM api_tokens t \
             JOIN organisations o ON o.id = t.organisation_id",
        ))
        .all(db)
        .await?;
        for owner in owners {
            let id = Uuid::now_v7();
            let now = chrono::Utc::now();
            let insert = Query::insert()
                .into_table(People::Table)
                .columns([
                    People::Id,
                    People::Email,
                    People::Handle,
                    People::DisplayName,
                    People::PasswordHash,
                    People::Interests,
                    People::OrganisationId,
                    People::OrganisationRole,
                    People::HubAdministrator,
                    People::Service,
                    People::CreatedAt,
                    People::UpdatedAt,
                ])
                .values_panic([
                    id.into(),
                    format!("{}@service.invalid", owner.organisation_id).into(),
                    service_handle(&owner.slug).into(),
                    owner.name.into(),
                    "!".into(),
                    serde_json::json!([]).into(),
                    owner.organisation_id.into(),
                    "MEMBER".into(),
                    false.into(),
                    true.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
            let update = Query::update()
                .table(ApiTokens::Table)
                .value(ApiTokens::OwnerId, id)
                .and_where(Expr::col(ApiTokens::OrganisationId).eq(owner.organisation_id))
                .to_owned();
            manager.exec_stmt(update).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let service = Query::delete()
            .from_table(People::Table)
            .and_where(Expr::col(People::Service).eq(true))
            .to_owned();
        // Tokens owned by a service identity go with it: their creators were never recorded.
        let tokens = Query::delete()
            .from_table(ApiTokens::Table)
            .and_where(
                Expr::col(ApiTokens::OwnerId).in_subquery(
                    Query::select()
                        .column(People::Id)
                        .from(People::Table)
                        .and_where(Expr::col(People::Service).eq(true))
                        .to_owned(),
                ),
            )
            .to_owned();
        manager.exec_stmt(tokens).await?;
        manager.exec_stmt(service).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(People::Table)
                    .drop_column(People::Service)
                    .to_owned(),
            )
            .await
    }
}

/// The handle of an organisation's service identity (the `org-` prefix is reserved).
fn service_handle(slug: &str) -> String {
    format!("org-{}", slug.chars().take(26).collect::<String>())
}
