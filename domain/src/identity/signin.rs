//! Signing in with a password, refreshing, and recognising a request's credentials.

use uuid::Uuid;

use super::sessions::{SessionInfo, info_key, session_key};
use super::{ClientInfo, Identity, SignedIn};
use crate::access::{Actor, Credential};
use crate::api_token::SECRET_PREFIX;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::person::{Person, PersonId};

impl Identity {
    /// Signs in with e-mail and password. A wrong address and a wrong password fail alike, and
    /// an account (existing or not) with too many recent failures is refused without a check.
    #[tracing::instrument(skip_all)]
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> DomainResult<SignedIn> {
        let email = email.trim().to_lowercase();
        self.spend_address_attempt(client).await?;
        self.check_account_lock(&email).await?;
        match self.check_password(&email, password).await? {
            Some(person) => {
                self.forget_failed_sign_ins(&email).await?;
                self.start_session(person, client).await
            }
            None => {
                self.note_failed_sign_in(&email).await?;
                Err(wrong_credentials("password"))
            }
        }
    }

    /// The person whose address and password these are; as slow for an unknown address.
    pub(super) async fn check_password(
        &self,
        email: &str,
        password: &str,
    ) -> DomainResult<Option<Person>> {
        let found = self.people().find_credentials(email).await?;
        let (person, hash) = match found {
            Some((person, hash)) => (Some(person), hash),
            None => (None, self.decoy_hash.to_string()),
        };
        let matches = self.ports.passwords.verify(password, &hash).await?;
        Ok(person.filter(|_| matches))
    }

    /// Exchanges a refresh token for new credentials; the old token is spent. A token spent
    /// before ends its whole session: it was stolen or replayed.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> DomainResult<SignedIn> {
        let digest = self.ports.secrets.digest(refresh_token);
        let sessions = &self.ports.sessions;
        let Some(session) = sessions.take(&refresh_key(&digest)).await? else {
            if let Some(session) = sessions.get(&rotated_key(&digest)).await? {
                tracing::warn!(%session, "spent refresh token presented; ending the session");
                self.end_session_by_id(&session).await?;
            }
            return Err(DomainError::SessionEnded);
        };
        sessions
            .put(&rotated_key(&digest), &session, self.lifetimes().refresh)
            .await?;
        let person_id = sessions
            .get(&session_key(&session))
            .await?
            .and_then(|id| Uuid::parse_str(&id).ok())
            .ok_or(DomainError::SessionEnded)?;
        let person = self.load_person(PersonId::from_uuid(person_id)).await?;
        self.issue(person, session, None).await
    }

    /// The actor behind a bearer credential (an access token or an API token). Anything that
    /// cannot be verified is refused, never treated as anonymous.
    pub async fn authenticate(&self, bearer: &str) -> DomainResult<Actor> {
        if bearer.starts_with(SECRET_PREFIX) {
            return self.authenticate_api_token(bearer).await;
        }
        let claims = self
            .ports
            .access_tokens
            .verify(bearer)
            .ok_or(DomainError::Unauthenticated)?;
        if claims.expires_at <= self.now() {
            return Err(DomainError::Unauthenticated);
        }
        let people_version = self.people_version();
        let (session, info) = (session_key(&claims.session), info_key(&claims.session));
        let mut values = self
            .ports
            .sessions
            .get_many(&[&session, people_version.key(), &info])
            .await?
            .into_iter();
        let (session, version, info) = (
            values.next().flatten(),
            values.next().flatten(),
            values.next().flatten(),
        );
        if session.as_deref() != Some(claims.person.to_string().as_str()) {
            return Err(DomainError::Unauthenticated);
        }
        if let Some(info) = info.as_deref().and_then(SessionInfo::parse) {
            self.note_seen(&claims.session, info).await?;
        }
        let person = self.signed_in_person(claims.person, version).await?;
        Ok(Actor::Person {
            person: Box::new(person),
            credential: Credential::Session {
                session_id: claims.session,
            },
        })
    }

    /// Whether the credential `actor` acts with still works: its session is live, or its API
    /// token is neither revoked nor expired. Long-lived connections ask before each operation.
    pub async fn still_valid(&self, actor: &Actor) -> DomainResult<bool> {
        match actor {
            Actor::Anonymous => Ok(true),
            Actor::Person {
                person,
                credential: Credential::Session { session_id },
            } => {
                let owner = self.ports.sessions.get(&session_key(session_id)).await?;
                Ok(owner.as_deref() == Some(person.id.to_string().as_str()))
            }
            Actor::Person {
                credential: Credential::ApiToken { token_id, .. },
                ..
            } => {
                let token = self.ports.api_tokens.find(*token_id).await?;
                Ok(token.is_some_and(|token| token.is_usable(self.now())))
            }
            // Checked as its feed is read; it never holds a connection open.
            Actor::Person {
                credential: Credential::FeedToken,
                ..
            } => Ok(true),
        }
    }

    /// The person behind a live session: as kept from their last request while the people
    /// version (read with the session) has not moved since, else read afresh and kept. The
    /// version is read before the person, so a person kept with it is never older than it.
    async fn signed_in_person(
        &self,
        id: PersonId,
        version: Option<String>,
    ) -> DomainResult<Person> {
        let kept = &self.ports.kept_people;
        if let (Some(version), Some((kept_at, person))) = (&version, kept.get(id))
            && kept_at == *version
        {
            return Ok(person);
        }
        let person = self.load_person(id).await?;
        if let Some(version) = version {
            kept.keep(version, person.clone());
        }
        Ok(person)
    }

    /// The person a credential names; one who no longer exists has no valid credentials.
    pub(super) async fn load_person(&self, id: PersonId) -> DomainResult<Person> {
        self.people()
            .find_by_ids(&[id])
            .await?
            .pop()
            .ok_or(DomainError::Unauthenticated)
    }
}

/// The one answer to a wrong address or password, naming `field` (the password's input).
pub(super) fn wrong_credentials(field: &str) -> DomainError {
    DomainError::Invalid(vec![FieldError::new(
        field,
        "INVALID_CREDENTIALS",
        "the e-mail address or password is wrong",
    )])
}

pub(super) fn refresh_key(digest: &str) -> String {
    format!("refresh:{digest}")
}

pub(super) fn rotated_key(digest: &str) -> String {
    format!("rotated:{digest}")
}
