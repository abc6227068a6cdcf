//! Chooses and connects the adapters for each port.

use std::sync::Arc;

use khub_domain::ports::{EventBus, HealthCheck, OrganisationRepository, SessionStore};

use crate::config::Settings;
use crate::db::{Database, SqlOrganisations};
use crate::events::{MemoryBus, RedisBus};
use crate::sessions::{MemorySessions, RedisSessions};

/// The connected adapters, as the domain's ports.
#[derive(Clone)]
pub struct Backends {
    pub database: Database,
    pub organisations: Arc<dyn OrganisationRepository>,
    pub sessions: Arc<dyn SessionStore>,
    pub events: Arc<dyn EventBus>,
}

impl Backends {
    /// Connects to the configured database and, when `redis_url` is set, to Redis; otherwise
    /// sessions and events stay in this process.
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
            None => in_process_backends(),
        };
        Ok(Self {
            organisations: Arc::new(SqlOrganisations::new(database.connection().clone())),
            database,
            sessions,
            events,
        })
    }

    /// Everything a readiness probe must reach.
    pub fn health_checks(&self) -> Vec<Arc<dyn HealthCheck>> {
        let sessions: Arc<dyn HealthCheck> = self.sessions.clone();
        let events: Arc<dyn HealthCheck> = self.events.clone();
        vec![Arc::new(self.database.clone()), sessions, events]
    }
}

fn in_process_backends() -> (Arc<dyn SessionStore>, Arc<dyn EventBus>) {
    (Arc::new(MemorySessions::new()), Arc::new(MemoryBus::new()))
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
