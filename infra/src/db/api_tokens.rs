//! API tokens in SQL, found by the digest of their secret.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use khub_domain::access::Scope;
use khub_domain::api_token::{ApiToken, ApiTokenId, NewApiToken};
use khub_domain::organisation::OrganisationId;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::ApiTokenRepository;
use khub_domain::token_usage::DailyUsage;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};

use super::entity::api_token;
use super::keyset;
use super::token_usage as usage;
use super::trusted_documents as trusted;
use crate::error::ResultExt;

/// The API token repository over sea-orm.
#[derive(Clone)]
pub struct SqlApiTokens {
    db: DatabaseConnection,
}

impl SqlApiTokens {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// A page of tokens matching `column = value`, newest first.
    async fn page_where(
        &self,
        column: api_token::Column,
        value: uuid::Uuid,
        page: &PageRequest,
    ) -> DomainResult<Page<ApiToken>> {
        let select = api_token::Entity::find().filter(column.eq(value));
        let order = (api_token::Column::CreatedAt, api_token::Column::Id);
        keyset::page(
            &self.db,
            select,
            order,
            true,
            page,
            keyset::read_time_and_id,
            |row| Ok((keyset::time_and_id(row.created_at, row.id), to_domain(row)?)),
        )
        .await
    }

    async fn set_time(
        &self,
        id: ApiTokenId,
        column: api_token::Column,
        at: DateTime<Utc>,
        only_if_unset: bool,
    ) -> DomainResult<()> {
        let mut update = api_token::Entity::update_many()
            .col_expr(column, Expr::value(at))
            .filter(api_token::Column::Id.eq(id.as_uuid()));
        if only_if_unset {
            update = update.filter(column.is_null());
        }
        update.exec(&self.db).await.context("update API token")?;
        Ok(())
    }
}

#[async_trait]
impl ApiTokenRepository for SqlApiTokens {
    #[tracing::instrument(skip_all, fields(token = %new.id))]
    async fn create(&self, new: &NewApiToken) -> DomainResult<ApiToken> {
        let scopes: Vec<&str> = new.request.scopes.iter().map(|s| s.as_str()).collect();
        let row = api_token::ActiveModel {
            id: Set(new.id.as_uuid()),
            owner_id: Set(new.owner.as_uuid()),
            organisation_id: Set(new.request.organisation.map(|o| o.as_uuid())),
            name: Set(new.request.name.clone()),
            scopes: Set(serde_json::json!(scopes)),
            digest: Set(new.digest.clone()),
            hint: Set(new.hint.clone()),
            created_at: Set(new.created_at),
            last_used_at: Set(None),
            expires_at: Set(new.request.expires_at),
            revoked_at: Set(None),
            trusted_documents_only: Set(false),
        };
        to_domain(row.insert(&self.db).await.context("store API token")?)
    }

    async fn find(&self, id: ApiTokenId) -> DomainResult<Option<ApiToken>> {
        let row = api_token::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .context("find API token")?;
        row.map(to_domain).transpose()
    }

    async fn find_by_digest(&self, digest: &str) -> DomainResult<Option<ApiToken>> {
        let row = api_token::Entity::find()
            .filter(api_token::Column::Digest.eq(digest))
            .one(&self.db)
            .await
            .context("find API token by digest")?;
        row.map(to_domain).transpose()
    }

    async fn list_for_owner(
        &self,
        owner: PersonId,
        page: &PageRequest,
    ) -> DomainResult<Page<ApiToken>> {
        self.page_where(api_token::Column::OwnerId, owner.as_uuid(), page)
            .await
    }

    async fn list_for_organisation(
        &self,
        organisation: OrganisationId,
        page: &PageRequest,
    ) -> DomainResult<Page<ApiToken>> {
        self.page_where(
            api_token::Column::OrganisationId,
            organisation.as_uuid(),
            page,
        )
        .await
    }

    async fn revoke(&self, id: ApiTokenId, at: DateTime<Utc>) -> DomainResult<()> {
        self.set_time(id, api_token::Column::RevokedAt, at, true)
            .await
    }

    async fn touch(&self, id: ApiTokenId, at: DateTime<Utc>) -> DomainResult<()> {
        self.set_time(id, api_token::Column::LastUsedAt, at, false)
            .await
    }

    async fn register_documents(
        &self,
        id: ApiTokenId,
        documents: &[(String, String)],
        only: Option<bool>,
    ) -> DomainResult<()> {
        trusted::register(&self.db, id, documents, only).await
    }

    async fn trusted_document(&self, id: ApiTokenId, hash: &str) -> DomainResult<Option<String>> {
        trusted::find(&self.db, id, hash).await
    }

    async fn add_usage(&self, usage: &[DailyUsage]) -> DomainResult<()> {
        usage::add(&self.db, usage).await
    }

    async fn usage(
        &self,
        tokens: &[ApiTokenId],
        since: NaiveDate,
    ) -> DomainResult<Vec<DailyUsage>> {
        usage::read(&self.db, tokens, since).await
    }
}

fn to_domain(row: api_token::Model) -> DomainResult<ApiToken> {
    let names: Vec<String> = serde_json::from_value(row.scopes.clone())
        .map_err(|e| DomainError::unavailable(format!("read scopes of token {}", row.id), e))?;
    Ok(ApiToken {
        id: ApiTokenId::from_uuid(row.id),
        owner: PersonId::from_uuid(row.owner_id),
        organisation: row.organisation_id.map(OrganisationId::from_uuid),
        name: row.name,
        scopes: names.iter().filter_map(|name| Scope::parse(name)).collect(),
        hint: row.hint,
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        trusted_documents_only: row.trusted_documents_only,
    })
}
