//! Sessions: starting one, renewing its tokens, listing a person's, and ending them.
//!
//! A session is a refresh-token family. The session store holds `session:{id}` (whose presence
//! keeps every access token of the session valid: the person's id), `session-info:{id}` (when
//! it started and was last seen, from where), `person-sessions:{person}` (the set of a person's
//! sessions), `refresh:{digest}` (the current refresh token) and `rotated:{digest}` (spent ones).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::signin::refresh_key;
use super::{ClientInfo, EndedCredential, Identity, SignedIn, chrono_duration};
use crate::access::Actor;
use crate::error::{DomainError, DomainResult};
use crate::person::{Person, PersonId};
use crate::policy::{self, Action};
use crate::ports::AccessClaims;

/// How stale a session's "last seen" may grow before a request writes it afresh: writing it on
/// every request would turn every read into a write.
const SEEN_PRECISION: Duration = Duration::from_secs(5 * 60);

/// The longest `User-Agent` kept.
const CLIENT_LEN: usize = 200;

/// What is kept about a session beside its key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct SessionInfo {
    person: PersonId,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    client: Option<String>,
    address: Option<String>,
}

impl SessionInfo {
    pub(super) fn parse(raw: &str) -> Option<Self> {
        serde_json::from_str(raw).ok()
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// One of a person's live sessions, as they see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The `User-Agent` it signed in with.
    pub client: Option<String>,
    /// The address it signed in from.
    pub address: Option<String>,
    /// Whether this is the session asking.
    pub current: bool,
}

impl Identity {
    /// Starts a session for `person`, signed in from `client`.
    pub(super) async fn start_session(
        &self,
        person: Person,
        client: &ClientInfo,
    ) -> DomainResult<SignedIn> {
        let session = Uuid::new_v4().simple().to_string();
        let now = self.now();
        let info = SessionInfo {
            person: person.id,
            created_at: now,
            last_seen_at: now,
            client: client
                .user_agent
                .as_ref()
                .map(|agent| agent.chars().take(CLIENT_LEN).collect()),
            address: client.address.map(|address| address.to_string()),
        };
        self.ports
            .sessions
            .add_member(
                &person_sessions_key(person.id),
                &session,
                self.lifetimes().refresh,
            )
            .await?;
        self.issue(person, session, Some(info)).await
    }

    /// New access and refresh tokens for a live session, which is renewed.
    pub(super) async fn issue(
        &self,
        person: Person,
        session: String,
        info: Option<SessionInfo>,
    ) -> DomainResult<SignedIn> {
        let now = self.now();
        let claims = AccessClaims {
            person: person.id,
            session: session.clone(),
            token_id: Uuid::new_v4().simple().to_string(),
            issued_at: now,
            expires_at: now + chrono_duration(self.lifetimes().access),
        };
        let access_token = self.ports.access_tokens.issue(&claims)?;
        let refresh_token = self.ports.secrets.generate();
        let digest = self.ports.secrets.digest(&refresh_token);
        let sessions = &self.ports.sessions;
        let ttl = self.lifetimes().refresh;
        sessions.put(&refresh_key(&digest), &session, ttl).await?;
        sessions
            .put(&session_key(&session), &person.id.to_string(), ttl)
            .await?;
        let info = match info {
            Some(info) => Some(info),
            None => sessions
                .get(&info_key(&session))
                .await?
                .as_deref()
                .and_then(SessionInfo::parse),
        };
        if let Some(mut info) = info {
            info.last_seen_at = now;
            sessions
                .put(&info_key(&session), &info.to_json(), ttl)
                .await?;
        }
        sessions
            .add_member(&person_sessions_key(person.id), &session, ttl)
            .await?;
        Ok(SignedIn {
            person,
            access_token,
            refresh_token,
            expires_at: claims.expires_at,
        })
    }

    /// Writes when a session was last seen, if what is kept is staler than [`SEEN_PRECISION`].
    pub(super) async fn note_seen(&self, session: &str, mut info: SessionInfo) -> DomainResult<()> {
        let now = self.now();
        let stale = (now - info.last_seen_at)
            .to_std()
            .is_ok_and(|age| age >= SEEN_PRECISION);
        if stale {
            info.last_seen_at = now;
            let ttl = self.lifetimes().refresh;
            self.ports
                .sessions
                .put(&info_key(session), &info.to_json(), ttl)
                .await?;
        }
        Ok(())
    }

    /// Ends the caller's session at once: its access and refresh tokens stop working, and every
    /// websocket holding it is closed.
    pub async fn logout(&self, actor: &Actor) -> DomainResult<()> {
        policy::authorize(actor, Action::ManageOwnSession)?;
        if let Some(session) = actor.session_id() {
            self.end_session_by_id(session).await?;
        }
        Ok(())
    }

    /// The caller's live sessions, most recently seen first.
    pub async fn sessions(&self, actor: &Actor) -> DomainResult<Vec<SessionSummary>> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?;
        let store = &self.ports.sessions;
        let ids = store.members(&person_sessions_key(person.id)).await?;
        let keys: Vec<String> = ids.iter().map(|id| info_key(id)).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let infos = store.get_many(&keys).await?;
        let mut live = Vec::with_capacity(ids.len());
        for (id, info) in ids.into_iter().zip(infos) {
            match info.as_deref().and_then(SessionInfo::parse) {
                Some(info) if info.person == person.id => live.push(SessionSummary {
                    current: actor.session_id() == Some(id.as_str()),
                    id,
                    created_at: info.created_at,
                    last_seen_at: info.last_seen_at,
                    client: info.client,
                    address: info.address,
                }),
                // Expired: forget it.
                _ => {
                    store
                        .remove_member(&person_sessions_key(person.id), &id)
                        .await?
                }
            }
        }
        live.sort_by(|a, b| b.last_seen_at.cmp(&a.last_seen_at).then(a.id.cmp(&b.id)));
        Ok(live)
    }

    /// Ends one of the caller's sessions (another device, or this one).
    pub async fn end_session(&self, actor: &Actor, id: &str) -> DomainResult<()> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?;
        let owner = self.ports.sessions.get(&session_key(id)).await?;
        if owner.as_deref() != Some(person.id.to_string().as_str()) {
            return Err(DomainError::NotFound);
        }
        self.end_session_by_id(id).await
    }

    /// Ends every session of the caller but the one asking; returns how many ended.
    pub async fn end_other_sessions(&self, actor: &Actor) -> DomainResult<usize> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?;
        self.end_sessions_of(person.id, actor.session_id()).await
    }

    /// Ends every session of `person` except `keep`; returns how many ended.
    pub(super) async fn end_sessions_of(
        &self,
        person: PersonId,
        keep: Option<&str>,
    ) -> DomainResult<usize> {
        let ids = self
            .ports
            .sessions
            .members(&person_sessions_key(person))
            .await?;
        let mut ended = 0;
        for id in ids.iter().filter(|id| Some(id.as_str()) != keep) {
            self.end_session_by_id(id).await?;
            ended += 1;
        }
        Ok(ended)
    }

    /// Ends a session, whoever holds it.
    pub(super) async fn end_session_by_id(&self, id: &str) -> DomainResult<()> {
        let store = &self.ports.sessions;
        let owner = store.take(&session_key(id)).await?;
        store.remove(&info_key(id)).await?;
        if let Some(person) = owner.and_then(|raw| Uuid::parse_str(&raw).ok()) {
            let person = PersonId::from_uuid(person);
            store
                .remove_member(&person_sessions_key(person), id)
                .await?;
        }
        self.announce_ended(EndedCredential::Session(id.to_owned()))
            .await;
        Ok(())
    }
}

pub(super) fn session_key(session: &str) -> String {
    format!("session:{session}")
}

pub(super) fn info_key(session: &str) -> String {
    format!("session-info:{session}")
}

fn person_sessions_key(person: PersonId) -> String {
    format!("person-sessions:{person}")
}
