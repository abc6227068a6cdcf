//! Joining, signing in, refreshing, signing out, and recognising a request's credentials.
//!
//! A session is a refresh-token family. The session store holds `session:{id}` (whose presence
//! keeps every access token of the session valid), `refresh:{digest}` (the current refresh
//! token) and `rotated:{digest}` (spent ones): presenting a spent refresh token means it was
//! stolen or replayed, and ends the whole session.

use uuid::Uuid;

use super::{Identity, SignedIn, chrono_duration};
use crate::access::{Actor, Credential};
use crate::api_token::SECRET_PREFIX;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::person::{NewPerson, Person, PersonId, Registration};
use crate::policy::{self, Action};
use crate::ports::AccessClaims;

impl Identity {
    /// Creates a person (joining the organisation that verified their e-mail domain) and signs
    /// them in.
    #[tracing::instrument(skip_all)]
    pub async fn register(&self, registration: Registration) -> DomainResult<SignedIn> {
        let organisation = self
            .ports
            .organisations
            .find_by_domain(registration.email_domain())
            .await?;
        let password_hash = self.ports.passwords.hash(&registration.password).await?;
        let person = self
            .people()
            .create(&NewPerson {
                email: registration.email,
                handle: registration.handle,
                display_name: registration.display_name,
                password_hash,
                organisation_id: organisation.map(|o| o.id),
            })
            .await?;
        self.start_session(person).await
    }

    /// Signs in with e-mail and password. A wrong address and a wrong password fail alike.
    #[tracing::instrument(skip_all)]
    pub async fn login(&self, email: &str, password: &str) -> DomainResult<SignedIn> {
        let email = email.trim().to_lowercase();
        let found = self.people().find_credentials(&email).await?;
        let (person, hash) = match found {
            Some((person, hash)) => (Some(person), hash),
            None => (None, self.decoy_hash.to_string()),
        };
        let matches = self.ports.passwords.verify(password, &hash).await?;
        match person {
            Some(person) if matches => self.start_session(person).await,
            _ => Err(wrong_credentials()),
        }
    }

    /// Exchanges a refresh token for new credentials; the old token is spent.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> DomainResult<SignedIn> {
        let digest = self.ports.secrets.digest(refresh_token);
        let sessions = &self.ports.sessions;
        let Some(session) = sessions.take(&refresh_key(&digest)).await? else {
            if let Some(session) = sessions.get(&rotated_key(&digest)).await? {
                tracing::warn!(%session, "spent refresh token presented; ending the session");
                sessions.remove(&session_key(&session)).await?;
            }
            return Err(DomainError::Unauthenticated);
        };
        sessions
            .put(&rotated_key(&digest), &session, self.lifetimes.refresh)
            .await?;
        let person_id = sessions
            .get(&session_key(&session))
            .await?
            .and_then(|id| Uuid::parse_str(&id).ok())
            .ok_or(DomainError::Unauthenticated)?;
        let person = self.load_person(PersonId::from_uuid(person_id)).await?;
        self.issue(person, session).await
    }

    /// Ends the caller's session at once: its access and refresh tokens stop working.
    pub async fn logout(&self, actor: &Actor) -> DomainResult<()> {
        policy::authorize(actor, Action::ManageOwnSession)?;
        if let Some(session) = actor.session_id() {
            self.ports.sessions.remove(&session_key(session)).await?;
        }
        Ok(())
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
        let session = session_key(&claims.session);
        let mut values = self
            .ports
            .sessions
            .get_many(&[&session, people_version.key()])
            .await?
            .into_iter();
        let (session, version) = (values.next().flatten(), values.next().flatten());
        if session.as_deref() != Some(claims.person.to_string().as_str()) {
            return Err(DomainError::Unauthenticated);
        }
        let person = self.signed_in_person(claims.person, version).await?;
        Ok(Actor::Person {
            person: Box::new(person),
            credential: Credential::Session {
                session_id: claims.session,
            },
        })
    }

    async fn start_session(&self, person: Person) -> DomainResult<SignedIn> {
        let session = Uuid::new_v4().simple().to_string();
        self.ports
            .sessions
            .put(
                &session_key(&session),
                &person.id.to_string(),
                self.lifetimes.refresh,
            )
            .await?;
        self.issue(person, session).await
    }

    /// New access and refresh tokens for a live session, which is renewed.
    async fn issue(&self, person: Person, session: String) -> DomainResult<SignedIn> {
        let now = self.now();
        let claims = AccessClaims {
            person: person.id,
            session: session.clone(),
            token_id: Uuid::new_v4().simple().to_string(),
            issued_at: now,
            expires_at: now + chrono_duration(self.lifetimes.access),
        };
        let access_token = self.ports.access_tokens.issue(&claims)?;
        let refresh_token = self.ports.secrets.generate();
        let digest = self.ports.secrets.digest(&refresh_token);
        let sessions = &self.ports.sessions;
        let ttl = self.lifetimes.refresh;
        sessions.put(&refresh_key(&digest), &session, ttl).await?;
        sessions
            .put(&session_key(&session), &person.id.to_string(), ttl)
            .await?;
        Ok(SignedIn {
            person,
            access_token,
            refresh_token,
            expires_at: claims.expires_at,
        })
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

fn wrong_credentials() -> DomainError {
    DomainError::Invalid(vec![FieldError::new(
        "password",
        "INVALID_CREDENTIALS",
        "the e-mail address or password is wrong",
    )])
}

fn session_key(session: &str) -> String {
    format!("session:{session}")
}

fn refresh_key(digest: &str) -> String {
    format!("refresh:{digest}")
}

fn rotated_key(digest: &str) -> String {
    format!("rotated:{digest}")
}
