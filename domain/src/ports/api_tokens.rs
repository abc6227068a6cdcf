use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::api_token::{ApiToken, ApiTokenId, NewApiToken};
use crate::error::DomainResult;
use crate::organisation::OrganisationId;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::token_usage::DailyUsage;

/// Where API tokens are kept (as digests of their secrets).
#[async_trait]
pub trait ApiTokenRepository: Send + Sync {
    async fn create(&self, new: &NewApiToken) -> DomainResult<ApiToken>;
    async fn find(&self, id: ApiTokenId) -> DomainResult<Option<ApiToken>>;
    async fn find_by_digest(&self, digest: &str) -> DomainResult<Option<ApiToken>>;
    /// The person's own tokens, newest first.
    async fn list_for_owner(
        &self,
        owner: PersonId,
        page: &PageRequest,
    ) -> DomainResult<Page<ApiToken>>;
    /// Tokens created on behalf of the organisation, newest first.
    async fn list_for_organisation(
        &self,
        organisation: OrganisationId,
        page: &PageRequest,
    ) -> DomainResult<Page<ApiToken>>;
    /// Marks the token revoked at `at` (if it was not already).
    async fn revoke(&self, id: ApiTokenId, at: DateTime<Utc>) -> DomainResult<()>;
    /// Records that the token was just used.
    async fn touch(&self, id: ApiTokenId, at: DateTime<Utc>) -> DomainResult<()>;
    /// Registers documents (hash, text) the token may run, and whether it runs only those
    /// (`None` leaves that as it is).
    async fn register_documents(
        &self,
        id: ApiTokenId,
        documents: &[(String, String)],
        only: Option<bool>,
    ) -> DomainResult<()>;
    /// A document registered for the token, by its hash.
    async fn trusted_document(&self, id: ApiTokenId, hash: &str) -> DomainResult<Option<String>>;
    /// Adds requests and cost to each token's totals for each day.
    async fn add_usage(&self, usage: &[DailyUsage]) -> DomainResult<()>;
    /// The tokens' use on each day since `since` (days without use are absent), newest first.
    async fn usage(&self, tokens: &[ApiTokenId], since: NaiveDate)
    -> DomainResult<Vec<DailyUsage>>;
}
