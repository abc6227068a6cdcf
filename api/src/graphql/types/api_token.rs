use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Scope;
use khub_domain::api_token as domain;
use khub_domain::token_usage::DailyUsage;

use super::Organisation;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{OrganisationLoader, TokenUsageLoader};

/// A credential for a partner system. Its secret was shown once, when it was created.
#[derive(Clone)]
pub struct ApiToken(pub domain::ApiToken);

/// A credential for a partner system. Its secret was shown once, when it was created.
#[Object]
impl ApiToken {
    /// The token's global id (not its secret).
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::ApiToken, self.0.id.as_uuid())
    }

    /// What the token is for, e.g. "Intranet news feed".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What the token may do.
    async fn scopes(&self) -> Vec<ApiTokenScope> {
        self.0.scopes.iter().map(|s| (*s).into()).collect()
    }

    /// The secret's first characters, to tell tokens apart.
    async fn hint(&self) -> &str {
        &self.0.hint
    }

    /// The organisation the token acts for, when created on its behalf.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(org) = self.0.organisation else {
            return Ok(None);
        };
        Ok(ctx
            .data::<DataLoader<OrganisationLoader>>()?
            .load_one(org)
            .await?
            .map(Organisation))
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was last used (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// When it stops working, if ever.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }

    /// When it was revoked, if it was.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    /// Whether it runs only the documents registered for it (`registerTrustedDocuments`);
    /// anything else is refused with UNTRUSTED_DOCUMENT.
    async fn trusted_documents_only(&self) -> bool {
        self.0.trusted_documents_only
    }

    /// Its requests and the query cost they spent, per day (UTC) over the last 30 days, newest
    /// first; days it was not used are absent. Counted as requests are charged and written
    /// every few seconds.
    async fn usage(&self, ctx: &Context<'_>) -> Result<Vec<ApiTokenUsage>> {
        let loader = ctx.data::<DataLoader<TokenUsageLoader>>()?;
        let days = loader.load_one(self.0.id).await?.unwrap_or_default();
        Ok(days.into_iter().map(ApiTokenUsage).collect())
    }
}

/// An API token's use on one day.
pub struct ApiTokenUsage(DailyUsage);

/// An API token's use on one day.
#[Object]
impl ApiTokenUsage {
    /// The day (UTC), as `YYYY-MM-DD`.
    async fn day(&self) -> String {
        self.0.day.to_string()
    }

    /// Requests made (each charged to its budget).
    async fn requests(&self) -> u64 {
        self.0.requests
    }

    /// The query cost they spent.
    async fn cost(&self) -> u64 {
        self.0.cost
    }
}

/// What an API token may do.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ApiTokenScope {
    /// `read`: read whatever the owner may read.
    Read,
    /// `write:profile`: edit the owner's profile and follows.
    WriteProfile,
    /// `write:conversations`: start threads, reply, react.
    WriteConversations,
    /// `write:practices`: create, edit, endorse and adopt practices.
    WritePractices,
    /// `admin:community`: facilitate the communities the owner facilitates.
    AdminCommunity,
}

impl From<Scope> for ApiTokenScope {
    fn from(scope: Scope) -> Self {
        match scope {
            Scope::Read => Self::Read,
            Scope::WriteProfile => Self::WriteProfile,
            Scope::WriteConversations => Self::WriteConversations,
            Scope::WritePractices => Self::WritePractices,
            Scope::AdminCommunity => Self::AdminCommunity,
        }
    }
}

impl From<ApiTokenScope> for Scope {
    fn from(scope: ApiTokenScope) -> Self {
        match scope {
            ApiTokenScope::Read => Self::Read,
            ApiTokenScope::WriteProfile => Self::WriteProfile,
            ApiTokenScope::WriteConversations => Self::WriteConversations,
            ApiTokenScope::WritePractices => Self::WritePractices,
            ApiTokenScope::AdminCommunity => Self::AdminCommunity,
        }
    }
}
