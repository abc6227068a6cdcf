//! Chooses and connects the adapters for each port.

use std::sync::Arc;

use khub_domain::content_version::ContentVersion;
use khub_domain::identity::{Identity, IdentityPorts, IdentitySettings, SessionLifetimes};
use khub_domain::ports::{
    ApiTokenRepository, Clock, CommunityRepository, ConversationRepository, EventBus, HealthCheck,
    KeptPeople, Mailer, ModerationRepository, NotificationRepository, OrganisationRepository,
    PersonRepository, PracticeRepository, ReputationRepository, SavedSearchRepository, SearchIndex,
    SessionStore, WebhookRepository, WebhookTransport,
};
use khub_domain::rate_limit::RateLimiter;

use crate::config::Settings;
use crate::db::{
    Database, SqlApiTokens, SqlCommunities, SqlConversations, SqlModeration, SqlNotifications,
    SqlOrganisations, SqlPeople, SqlPractices, SqlReputation, SqlSavedSearches, SqlSearch,
    SqlWebhooks,
};
use crate::events::{MemoryBus, RedisBus};
use crate::mail::{FileMailer, SmtpMailer};
use crate::security::{
    Argon2Passwords, GuessabilityScreen, HmacFeedTokens, JwtCodec, JwtKeys, RandomSecrets,
};
use crate::sessions::{KeptInMemory, NoneKept, RedisSessions, SqlSessions};
use crate::webhooks::HttpWebhooks;

/// The connected adapters, as the domain's ports.
#[derive(Clone)]
pub struct Backends {
    pub database: Database,
    pub organisations: Arc<dyn OrganisationRepository>,
    pub people: Arc<dyn PersonRepository>,
    pub api_tokens: Arc<dyn ApiTokenRepository>,
    pub communities: Arc<dyn CommunityRepository>,
    pub practices: Arc<dyn PracticeRepository>,
    pub conversations: Arc<dyn ConversationRepository>,
    pub reputation: Arc<dyn ReputationRepository>,
    pub search: Arc<dyn SearchIndex>,
    pub saved_searches: Arc<dyn SavedSearchRepository>,
    pub notifications: Arc<dyn NotificationRepository>,
    pub moderation: Arc<dyn ModerationRepository>,
    pub webhooks: Arc<dyn WebhookRepository>,
    /// Calls webhooks, as the settings allow.
    pub webhook_transport: Arc<dyn WebhookTransport>,
    pub sessions: Arc<dyn SessionStore>,
    pub events: Arc<dyn EventBus>,
}

impl Backends {
    /// Connects to the configured database and, when `redis_url` is set, to Redis; otherwise
    /// sessions are kept in the database and events stay in this process.
    pub async fn connect(settings: &Settings) -> anyhow::Result<Self> {
        if settings.database_url.is_none() {
            std::fs::create_dir_all(&settings.data_dir).map_err(|e| {
                anyhow::anyhow!(
                    "cannot create data directory {}: {e}",
                    settings.data_dir.display()
                )
            })?;
        }
        let database = Database::connect(
            &settings.effective_database_url(),
            settings.db_max_connections,
        )
        .await?;
        let (sessions, events) = match &settings.redis_url {
            Some(url) => redis_backends(url, &settings.redis_prefix).await?,
            None => embedded_backends(&database),
        };
        let conn = database.connection();
        Ok(Self {
            organisations: Arc::new(SqlOrganisations::new(conn.clone())),
            people: Arc::new(SqlPeople::new(conn.clone())),
            api_tokens: Arc::new(SqlApiTokens::new(conn.clone())),
            communities: Arc::new(SqlCommunities::new(conn.clone())),
            practices: Arc::new(SqlPractices::new(conn.clone())),
            conversations: Arc::new(SqlConversations::new(conn.clone())),
            reputation: Arc::new(SqlReputation::new(conn.clone())),
            search: Arc::new(SqlSearch::new(conn.clone())),
            saved_searches: Arc::new(SqlSavedSearches::new(conn.clone())),
            notifications: Arc::new(SqlNotifications::new(conn.clone())),
            moderation: Arc::new(SqlModeration::new(conn.clone())),
            webhooks: Arc::new(SqlWebhooks::new(conn.clone())),
            webhook_transport: Arc::new(HttpWebhooks::new(&settings.webhooks)?),
            database,
            sessions,
            events,
        })
    }

    /// The identity use cases over these backends, signing with the configured keys.
    pub fn identity(&self, settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Identity> {
        let passwords = Arc::new(Argon2Passwords::new()?);
        let keys = jwt_keys(settings)?;
        let feed_tokens = Arc::new(HmacFeedTokens::new(match &keys {
            JwtKeys::Secret(secret) => secret.as_bytes(),
            JwtKeys::Pem { private, .. } => private,
        }));
        let decoy_hash = passwords.decoy_hash().to_owned();
        let ports = IdentityPorts {
            people: self.people.clone(),
            organisations: self.organisations.clone(),
            api_tokens: self.api_tokens.clone(),
            passwords,
            password_screen: Arc::new(GuessabilityScreen),
            access_tokens: Arc::new(JwtCodec::new(keys)?),
            sessions: self.sessions.clone(),
            kept_people: kept_people(settings),
            secrets: Arc::new(RandomSecrets),
            feed_tokens,
            mailer: mailer(settings)?,
            events: self.events.clone(),
            clock,
        };
        let identity = IdentitySettings {
            lifetimes: SessionLifetimes {
                access: settings.sessions.access_token_ttl,
                refresh: settings.sessions.refresh_token_ttl,
            },
            throttle: settings.throttle,
            public_url: settings.public_url(),
        };
        Ok(Identity::new(ports, identity, decoy_hash))
    }

    /// Query-cost budgets, counted in the session store so every instance shares them.
    pub fn rate_limiter(&self, settings: &Settings, clock: Arc<dyn Clock>) -> RateLimiter {
        let s = &settings.sessions;
        RateLimiter::new(
            self.sessions.clone(),
            clock,
            s.rate_limit_budget,
            s.rate_limit_window,
        )
    }

    /// The content version, kept in the session store so every instance shares it.
    pub fn content_version(&self) -> ContentVersion {
        ContentVersion::new(self.sessions.clone(), Arc::new(RandomSecrets))
    }

    /// People's version, kept beside the content version (see [`ContentVersion::of_people`]).
    pub fn people_version(&self) -> ContentVersion {
        ContentVersion::of_people(self.sessions.clone(), Arc::new(RandomSecrets))
    }

    /// Ends a command that wrote to the database outside a running hub. Hubs that share this
    /// session store (Redis) stop giving out answers cached before the writes, and read the
    /// people they keep between requests afresh; an embedded hub in another process cannot be
    /// told, and gives those answers out until they reach their age limit.
    pub async fn close_after_writing(self) -> anyhow::Result<()> {
        self.content_version().advance().await?;
        self.people_version().advance().await?;
        self.database.close().await;
        Ok(())
    }

    /// Everything a readiness probe must reach.
    pub fn health_checks(&self) -> Vec<Arc<dyn HealthCheck>> {
        let sessions: Arc<dyn HealthCheck> = self.sessions.clone();
        let events: Arc<dyn HealthCheck> = self.events.clone();
        vec![Arc::new(self.database.clone()), sessions, events]
    }
}

fn jwt_keys(settings: &Settings) -> anyhow::Result<JwtKeys> {
    match &settings.jwt_key_files {
        Some((private, public)) => {
            let read = |path: &std::path::Path, setting: &str| {
                std::fs::read(path).map_err(|e| {
                    anyhow::anyhow!(
                        "configuration error: setting `{setting}`: {}: {e}",
                        path.display()
                    )
                })
            };
            Ok(JwtKeys::Pem {
                private: read(private, "jwt_private_key_file")?,
                public: read(public, "jwt_public_key_file")?,
            })
        }
        None => Ok(JwtKeys::Secret(crate::secrets::jwt_secret(settings)?)),
    }
}

/// SMTP when `smtp_url` is set, else `.eml` files under the data directory.
fn mailer(settings: &Settings) -> anyhow::Result<Arc<dyn Mailer>> {
    let from = settings
        .mail
        .from
        .parse()
        .map_err(|e| anyhow::anyhow!("configuration error: setting `mail_from`: {e}"))?;
    Ok(match &settings.mail.smtp_url {
        Some(url) => Arc::new(SmtpMailer::new(url, from)?),
        None => Arc::new(FileMailer::new(settings.data_dir.join("mail"), from)?),
    })
}

/// People are kept between requests only where their version is shared with every process
/// that may change them (see [`NoneKept`]).
fn kept_people(settings: &Settings) -> Arc<dyn KeptPeople> {
    match settings.redis_url {
        Some(_) => Arc::new(KeptInMemory::default()),
        None => Arc::new(NoneKept),
    }
}

/// Without Redis: sessions in the database (they survive a restart), events in the process.
fn embedded_backends(database: &Database) -> (Arc<dyn SessionStore>, Arc<dyn EventBus>) {
    let sessions = SqlSessions::new(database.connection().clone());
    (Arc::new(sessions), Arc::new(MemoryBus::new()))
}

async fn redis_backends(
    url: &str,
    prefix: &str,
) -> anyhow::Result<(Arc<dyn SessionStore>, Arc<dyn EventBus>)> {
    let client = redis::Client::open(url)
        .map_err(|e| anyhow::anyhow!("configuration error: setting `redis_url`: {e}"))?;
    let conn = redis::aio::ConnectionManager::new(client.clone())
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to Redis: {e}"))?;
    let sessions = Arc::new(RedisSessions::new(conn.clone(), prefix));
    let events = Arc::new(RedisBus::start(client, conn, prefix).await?);
    Ok((sessions, events))
}
