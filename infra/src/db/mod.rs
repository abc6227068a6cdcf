//! The relational store: one sea-orm connection pool over SQLite or PostgreSQL, the migrations,
//! and the repositories. Repository functions take `&impl ConnectionTrait`, so a use case can
//! run several of them in one transaction.

mod api_tokens;
mod communities;
mod conversations;
mod entity;
mod keyset;
mod moderation;
mod notifications;
mod one_of;
mod organisations;
mod origin;
mod outbox;
mod people;
mod practices;
mod raw;
mod reputation;
mod saved_searches;
pub mod scale;
pub mod search;
mod token_usage;
mod trusted_documents;
pub(crate) mod webhooks;

use std::time::Duration;

use async_trait::async_trait;
use khub_domain::DomainResult;
use khub_domain::ports::HealthCheck;
use khub_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection};

pub use api_tokens::SqlApiTokens;
pub use communities::SqlCommunities;
pub use conversations::SqlConversations;
pub use moderation::SqlModeration;
pub use notifications::SqlNotifications;
pub use organisations::SqlOrganisations;
pub use origin::in_background;
pub use outbox::Relay;
pub use people::SqlPeople;
pub use practices::SqlPractices;
pub use reputation::SqlReputation;
pub use saved_searches::SqlSavedSearches;
pub use search::SqlSearch;
pub use webhooks::SqlWebhooks;

use crate::error::ResultExt;
use origin::StatementCounts;

/// How busy the connection pool is, for metrics.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
    /// Statements requests ran since start: the measure of N+1 queries.
    pub queries: u64,
    /// Statements the hub's background work (relay, notifier, mail) ran since start.
    pub background_queries: u64,
}

/// A connection pool to the hub's database.
#[derive(Clone)]
pub struct Database {
    conn: DatabaseConnection,
    max_connections: u32,
    statements: StatementCounts,
}

impl Database {
    /// Connects to `url` (`sqlite:…` or `postgres://…`).
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5))
            // A ping on every checkout is a second round trip for each statement (bench/
            // results); only a connection idle long enough for a proxy or firewall to have
            // dropped it is checked first.
            .test_before_acquire_if_idle_for(Duration::from_secs(30))
            .sqlx_logging(false);
        let mut conn = sea_orm::Database::connect(options)
            .await
            .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
        let statements = StatementCounts::default();
        let counted = statements.clone();
        conn.set_metric_callback(move |_| counted.count());
        if conn.get_database_backend() == DatabaseBackend::Sqlite {
            // WAL lets readers proceed while one writer commits.
            conn.execute_unprepared("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
                .await
                .map_err(|e| anyhow::anyhow!("cannot configure SQLite: {e}"))?;
        }
        Ok(Self {
            conn,
            max_connections,
            statements,
        })
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend_name(&self) -> &'static str {
        match self.conn.get_database_backend() {
            DatabaseBackend::Postgres => "postgresql",
            DatabaseBackend::Sqlite => "sqlite",
            _ => "other",
        }
    }

    /// Applies pending migrations; `steps` limits how many. After all of them, builds the
    /// search index if it never was.
    pub async fn migrate_up(&self, steps: Option<u32>) -> anyhow::Result<()> {
        Migrator::up(&self.conn, steps)
            .await
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        // A database that had content before search existed gets its documents once.
        if steps.is_none() && search::rebuild_if_never_built(&self.conn).await? {
            tracing::info!("built the search index from the existing content");
        }
        Ok(())
    }

    /// Reverts the latest `steps` migrations.
    pub async fn migrate_down(&self, steps: u32) -> anyhow::Result<()> {
        Migrator::down(&self.conn, Some(steps))
            .await
            .map_err(|e| anyhow::anyhow!("migration rollback failed: {e}"))
    }

    /// Each migration's name and whether it is applied.
    pub async fn migration_status(&self) -> anyhow::Result<Vec<(String, bool)>> {
        let migrations = Migrator::get_migration_with_status(&self.conn)
            .await
            .map_err(|e| anyhow::anyhow!("cannot read migration status: {e}"))?;
        Ok(migrations
            .iter()
            .map(|m| {
                let applied = m.status().to_string() == "Applied";
                (m.name().to_owned(), applied)
            })
            .collect())
    }

    pub fn pool_stats(&self) -> PoolStats {
        let (size, idle) = match self.conn.get_database_backend() {
            DatabaseBackend::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
            DatabaseBackend::Sqlite => {
                let pool = self.conn.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle() as u32)
            }
            _ => (0, 0),
        };
        PoolStats {
            size,
            idle,
            max: self.max_connections,
            queries: self.statements.requests(),
            background_queries: self.statements.background(),
        }
    }

    pub async fn close(self) {
        let _ = self.conn.close().await;
    }
}

#[async_trait]
impl HealthCheck for Database {
    fn component(&self) -> &'static str {
        "database"
    }

    async fn ping(&self) -> DomainResult<()> {
        self.conn.ping().await.context("database ping")
    }
}
