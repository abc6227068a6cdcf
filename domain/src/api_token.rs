//! API tokens for partner systems: named, scoped, expiring, revocable, stored only as a digest.

use chrono::{DateTime, Utc};

use crate::access::Scope;
use crate::error::{DomainError, FieldError};
use crate::organisation::OrganisationId;
use crate::person::PersonId;

crate::entity_id!(
    /// Identifies an API token (never its secret).
    ApiTokenId
);

/// What every token secret starts with, so secret scanners can recognise a leaked one.
pub const SECRET_PREFIX: &str = "khub_";

/// A token as stored: everything but the secret.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub owner: PersonId,
    /// Set when the token was created on behalf of an organisation.
    pub organisation: Option<OrganisationId>,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The first characters of the secret, to tell tokens apart in lists.
    pub hint: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Whether it runs only the documents registered for it.
    pub trusted_documents_only: bool,
}

impl ApiToken {
    /// Whether the token may authenticate a request at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|at| at > now)
    }
}

/// A validated request for a token.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRequest {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
    pub organisation: Option<OrganisationId>,
}

impl TokenRequest {
    pub fn parse(
        name: &str,
        scopes: &[String],
        expires_at: Option<DateTime<Utc>>,
        organisation: Option<OrganisationId>,
        now: DateTime<Utc>,
    ) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let name = name.trim();
        if !(1..=100).contains(&name.chars().count()) {
            errors.push(FieldError::new(
                "name",
                "LENGTH",
                "must be 1 to 100 characters",
            ));
        }
        let mut parsed: Vec<Scope> = Vec::new();
        for raw in scopes {
            match Scope::parse(raw) {
                Some(scope) => parsed.push(scope),
                None => errors.push(FieldError::new(
                    "scopes",
                    "INVALID",
                    format!("unknown scope `{raw}`"),
                )),
            }
        }
        parsed.sort();
        parsed.dedup();
        if scopes.is_empty() {
            errors.push(FieldError::new(
                "scopes",
                "REQUIRED",
                "name at least one scope",
            ));
        }
        if expires_at.is_some_and(|at| at <= now) {
            errors.push(FieldError::new(
                "expiresAt",
                "IN_THE_PAST",
                "must be in the future",
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        Ok(Self {
            name: name.to_owned(),
            scopes: parsed,
            expires_at,
            organisation,
        })
    }
}

/// A token about to be stored, with the digest of its secret.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub id: ApiTokenId,
    pub owner: PersonId,
    pub request: TokenRequest,
    pub digest: String,
    pub hint: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_scopes_and_past_expiry_are_refused_together() {
        let now = Utc::now();
        let err = TokenRequest::parse("x", &["read".into(), "root".into()], Some(now), None, now)
            .expect_err("refused");
        let DomainError::Invalid(errors) = err else {
            panic!("expected invalid input")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["scopes", "expiresAt"]);
    }

    #[test]
    fn a_revoked_or_expired_token_is_unusable() {
        let now = Utc::now();
        let mut token = ApiToken {
            id: ApiTokenId::generate(),
            owner: PersonId::generate(),
            organisation: None,
            name: "n".into(),
            scopes: vec![Scope::Read],
            hint: "khub_abc".into(),
            created_at: now,
            last_used_at: None,
            expires_at: Some(now + chrono::Duration::hours(1)),
            revoked_at: None,
            trusted_documents_only: false,
        };
        assert!(token.is_usable(now));
        assert!(!token.is_usable(now + chrono::Duration::hours(2)));
        token.revoked_at = Some(now);
        assert!(!token.is_usable(now));
    }
}
