//! Identity use cases: joining the hub (e-mail first), signing in and out, sessions, passwords,
//! API tokens and profiles. Each checks [`crate::policy`] before acting.

mod ended;
mod feed_tokens;
mod messages;
mod passwords;
mod profiles;
mod registration;
mod sessions;
mod signin;
mod throttle;
mod tokens;
mod trusted;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::content_version::ContentVersion;
use crate::error::DomainResult;
use crate::organisation::{NewOrganisation, Organisation};
use crate::person::Person;
use crate::policy::{self, Action};
use crate::ports::{
    AccessTokenCodec, ApiTokenRepository, Clock, EventBus, FeedTokenSigner, KeptPeople, Mailer,
    OrganisationRepository, PasswordHasher, PasswordScreen, PersonRepository, Secrets,
    SessionStore,
};

pub use ended::{ENDED_CREDENTIALS_TOPIC, EndedCredential};
pub use registration::{ConfirmationSent, EmailConfirmation, RegistrationForm};
pub use sessions::SessionSummary;
pub use throttle::ThrottleSettings;
pub use tokens::IssuedToken;

/// How long credentials live.
#[derive(Debug, Clone, Copy)]
pub struct SessionLifetimes {
    /// An access token (JWT): short, because it is checked cheaply.
    pub access: Duration,
    /// A refresh token and its session, renewed on each refresh.
    pub refresh: Duration,
}

impl Default for SessionLifetimes {
    fn default() -> Self {
        Self {
            access: Duration::from_secs(15 * 60),
            refresh: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

/// How identity is set up.
#[derive(Debug, Clone)]
pub struct IdentitySettings {
    pub lifetimes: SessionLifetimes,
    pub throttle: ThrottleSettings,
    /// Where people reach the hub's pages; links in e-mail start with it (no trailing `/`).
    pub public_url: String,
}

/// Where a request comes from, as far as the hub can tell: shown in a person's sessions and
/// used to throttle sign-in attempts per address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    pub address: Option<IpAddr>,
    /// The `User-Agent` the client sent.
    pub user_agent: Option<String>,
}

/// A person just signed in, with their new credentials.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub person: Person,
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
}

/// The ports identity needs.
#[derive(Clone)]
pub struct IdentityPorts {
    pub people: Arc<dyn PersonRepository>,
    pub organisations: Arc<dyn OrganisationRepository>,
    pub api_tokens: Arc<dyn ApiTokenRepository>,
    pub passwords: Arc<dyn PasswordHasher>,
    pub password_screen: Arc<dyn PasswordScreen>,
    pub access_tokens: Arc<dyn AccessTokenCodec>,
    pub sessions: Arc<dyn SessionStore>,
    pub kept_people: Arc<dyn KeptPeople>,
    pub secrets: Arc<dyn Secrets>,
    pub feed_tokens: Arc<dyn FeedTokenSigner>,
    pub mailer: Arc<dyn Mailer>,
    /// Where ended sessions and revoked tokens are announced, so every instance closes the
    /// websockets that hold them.
    pub events: Arc<dyn EventBus>,
    pub clock: Arc<dyn Clock>,
}

/// The identity use cases.
#[derive(Clone)]
pub struct Identity {
    ports: IdentityPorts,
    settings: Arc<IdentitySettings>,
    /// A real hash of nothing anyone knows: signing in with an unknown e-mail checks against it,
    /// so a failure takes as long whether or not the address exists.
    decoy_hash: Arc<str>,
}

impl Identity {
    pub fn new(ports: IdentityPorts, settings: IdentitySettings, decoy_hash: String) -> Self {
        Self {
            ports,
            settings: Arc::new(settings),
            decoy_hash: decoy_hash.into(),
        }
    }

    pub fn people(&self) -> &dyn PersonRepository {
        self.ports.people.as_ref()
    }

    /// What mail about people's notifications is sent with: the mailer, the signer of its
    /// unsubscribe links, and where the hub's pages are.
    pub fn mail_ports(&self) -> (Arc<dyn Mailer>, Arc<dyn FeedTokenSigner>, String) {
        (
            self.ports.mailer.clone(),
            self.ports.feed_tokens.clone(),
            self.settings.public_url.clone(),
        )
    }

    /// Judges passwords people choose.
    pub fn password_screen(&self) -> &dyn PasswordScreen {
        self.ports.password_screen.as_ref()
    }

    fn lifetimes(&self) -> SessionLifetimes {
        self.settings.lifetimes
    }

    /// The version of everyone's profile, organisation and role: moved on by every change to
    /// them, and read with each session so people kept between requests stay current.
    fn people_version(&self) -> ContentVersion {
        ContentVersion::of_people(self.ports.sessions.clone(), self.ports.secrets.clone())
    }

    /// Called once a change to someone's profile, organisation or role has committed: people
    /// kept between requests, on every instance, are read afresh. The change stands even if
    /// the version cannot be moved on; that is logged.
    async fn people_changed(&self) {
        if let Err(error) = self.people_version().advance().await {
            tracing::error!(%error, "cannot move the people version on: signed-in people may be served as they were before this change");
        }
    }

    /// The hub's current time (injectable for tests).
    pub fn now(&self) -> DateTime<Utc> {
        self.ports.clock.now()
    }

    /// Adds an organisation: hub administrators only.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        new: NewOrganisation,
    ) -> DomainResult<Organisation> {
        policy::authorize(actor, Action::CreateOrganisation)?;
        self.ports.organisations.create(&new).await
    }
}

/// A chrono duration from a std one, saturating.
fn chrono_duration(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}
