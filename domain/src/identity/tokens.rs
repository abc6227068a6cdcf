//! API tokens: created by a signed-in person (for themselves or their organisation), shown
//! once, stored as a digest, revocable at once.

use std::time::Duration;

use super::{EndedCredential, Identity};
use crate::access::{Actor, Credential};
use crate::api_token::{ApiToken, ApiTokenId, NewApiToken, SECRET_PREFIX, TokenRequest};
use crate::error::{DomainError, DomainResult};
use crate::organisation::OrganisationId;
use crate::pagination::{Page, PageRequest};
use crate::policy::{self, Action};
use crate::token_usage::DailyUsage;

/// Writing `last_used_at` on every request would turn reads into writes; once a minute is
/// precise enough for people deciding which tokens are stale.
const TOUCH_INTERVAL: Duration = Duration::from_secs(60);

/// How many characters of a secret are kept to tell tokens apart.
const HINT_LEN: usize = SECRET_PREFIX.len() + 4;

/// A new token and its secret, which is shown this once.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: ApiToken,
    pub secret: String,
}

impl Identity {
    /// Creates a token for the caller, or for their organisation if they administer it. An
    /// organisation's token is owned by, and acts as, the organisation's service identity
    /// (never its creator, as GitHub Apps and Discourse's system keys act as themselves): it
    /// keeps working when its creator leaves, and reads what anonymous readers may plus the
    /// communities whose owners granted the organisation access.
    #[tracing::instrument(skip_all)]
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        request: TokenRequest,
    ) -> DomainResult<IssuedToken> {
        let owner = match request.organisation {
            Some(org) => {
                policy::authorize(actor, Action::ManageOrganisationTokens(org))?;
                let organisation = self.ports.organisations.find_by_ids(&[org]).await?.pop();
                let organisation = organisation.ok_or(DomainError::NotFound)?;
                self.people().service_identity(&organisation).await?.id
            }
            None => policy::authorize(actor, Action::ManageOwnSession)?.id,
        };
        let secret = format!("{SECRET_PREFIX}{}", self.ports.secrets.generate());
        let new = NewApiToken {
            id: ApiTokenId::generate(),
            owner,
            digest: self.ports.secrets.digest(&secret),
            hint: secret.chars().take(HINT_LEN).collect(),
            request,
            created_at: self.now(),
        };
        let token = self.ports.api_tokens.create(&new).await?;
        Ok(IssuedToken { token, secret })
    }

    /// Revokes a token the caller owns, or one of an organisation they administer. Takes effect
    /// on the next request that presents it.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_api_token(&self, actor: &Actor, id: ApiTokenId) -> DomainResult<ApiToken> {
        policy::authorize(actor, Action::ManageOwnSession)?;
        // Someone else's token reads as one that does not exist.
        let token = self
            .api_token(actor, id)
            .await?
            .ok_or(DomainError::NotFound)?;
        let now = self.now();
        self.ports.api_tokens.revoke(id, now).await?;
        self.announce_ended(EndedCredential::ApiToken(id)).await;
        Ok(ApiToken {
            revoked_at: token.revoked_at.or(Some(now)),
            ..token
        })
    }

    /// One token, if the caller may see it (its owner, or an administrator of its organisation).
    pub async fn api_token(&self, actor: &Actor, id: ApiTokenId) -> DomainResult<Option<ApiToken>> {
        let Some(person) = actor.person() else {
            return Ok(None);
        };
        let token = self.ports.api_tokens.find(id).await?;
        Ok(token.filter(|token| {
            token.owner == person.id
                || token.organisation.is_some_and(|org| {
                    policy::authorize(actor, Action::ManageOrganisationTokens(org)).is_ok()
                })
        }))
    }

    /// The caller's own tokens.
    pub async fn own_api_tokens(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> DomainResult<Page<ApiToken>> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?;
        self.ports.api_tokens.list_for_owner(person.id, page).await
    }

    /// An organisation's tokens, for its administrators.
    pub async fn organisation_api_tokens(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
        page: &PageRequest,
    ) -> DomainResult<Page<ApiToken>> {
        policy::authorize(actor, Action::ManageOrganisationTokens(organisation))?;
        self.ports
            .api_tokens
            .list_for_organisation(organisation, page)
            .await
    }

    pub(super) async fn authenticate_api_token(&self, secret: &str) -> DomainResult<Actor> {
        let digest = self.ports.secrets.digest(secret);
        let token = self
            .ports
            .api_tokens
            .find_by_digest(&digest)
            .await?
            .ok_or(DomainError::Unauthenticated)?;
        let now = self.now();
        if !token.is_usable(now) {
            return Err(DomainError::Unauthenticated);
        }
        let stale = token
            .last_used_at
            .is_none_or(|at| (now - at).to_std().is_ok_and(|age| age >= TOUCH_INTERVAL));
        if stale {
            self.ports.api_tokens.touch(token.id, now).await?;
        }
        let person = self.load_person(token.owner).await?;
        Ok(Actor::Person {
            person: Box::new(person),
            credential: Credential::ApiToken {
                token_id: token.id,
                scopes: token.scopes,
                expires_at: token.expires_at,
                trusted_documents_only: token.trusted_documents_only,
            },
        })
    }

    /// What `tokens` spent on each day of the last `days` (newest first), for tokens the
    /// caller already holds as theirs to see (from `api_token` or a list of their own).
    pub async fn token_usage(
        &self,
        tokens: &[ApiTokenId],
        days: u32,
    ) -> DomainResult<Vec<DailyUsage>> {
        let since = self.now().date_naive() - chrono::Days::new(u64::from(days.saturating_sub(1)));
        self.ports.api_tokens.usage(tokens, since).await
    }
}
