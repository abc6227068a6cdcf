//! The application state every handler shares. One type with private fields.

use std::sync::Arc;

use khub_domain::content_version::ContentVersion;
use khub_domain::documents::Documents;
use khub_domain::idempotency::Replays;
use khub_domain::identity::Identity;
use khub_domain::ports::HealthCheck;
use khub_domain::rate_limit::RateLimiter;
use khub_infra::db::Database;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::graphql::engine::Engine;
use crate::graphql::pipeline::Rules;
use crate::http::Playground;
use crate::http::feeds::FeedService;
use crate::http::metrics::Metrics;
use crate::http::read_cache::ReadCache;
use crate::ws::{CredentialWatch, SharedOperations};
use khub_domain::notification::Notifications;

struct Inner {
    engine: Engine,
    rules: Rules,
    playground: Playground,
    trusted_proxy_hops: usize,
    metrics: Metrics,
    database: Database,
    health_checks: Vec<Arc<dyn HealthCheck>>,
    shutdown: CancellationToken,
    websockets: TaskTracker,
    shared_operations: Arc<SharedOperations>,
    identity: Identity,
    credential_watch: CredentialWatch,
    rate_limiter: RateLimiter,
    content_version: ContentVersion,
    read_cache: ReadCache,
    feeds: FeedService,
    notifications: Notifications,
    replays: Replays,
    documents: Documents,
}

/// Cheap to clone: handlers receive it by value.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// Everything [`AppState::new`] needs.
pub struct StateParts {
    pub engine: Engine,
    pub rules: Rules,
    pub playground: Playground,
    pub trusted_proxy_hops: usize,
    pub database: Database,
    pub health_checks: Vec<Arc<dyn HealthCheck>>,
    pub shutdown: CancellationToken,
    pub websockets: TaskTracker,
    pub identity: Identity,
    pub credential_watch: CredentialWatch,
    pub rate_limiter: RateLimiter,
    pub content_version: ContentVersion,
    pub read_cache: ReadCache,
    pub feeds: FeedService,
    pub notifications: Notifications,
    pub replays: Replays,
    pub documents: Documents,
}

impl AppState {
    pub fn new(parts: StateParts) -> Self {
        let shared_operations = SharedOperations::new(crate::ws::executor(parts.engine.clone()));
        Self(Arc::new(Inner {
            shared_operations: Arc::new(shared_operations),
            engine: parts.engine,
            rules: parts.rules,
            playground: parts.playground,
            trusted_proxy_hops: parts.trusted_proxy_hops,
            metrics: Metrics::new(),
            database: parts.database,
            health_checks: parts.health_checks,
            shutdown: parts.shutdown,
            websockets: parts.websockets,
            identity: parts.identity,
            credential_watch: parts.credential_watch,
            rate_limiter: parts.rate_limiter,
            content_version: parts.content_version,
            read_cache: parts.read_cache,
            feeds: parts.feeds,
            notifications: parts.notifications,
            replays: parts.replays,
            documents: parts.documents,
        }))
    }

    /// Tells websockets when their credential ends.
    pub fn credential_watch(&self) -> &CredentialWatch {
        &self.0.credential_watch
    }

    pub fn engine(&self) -> &Engine {
        &self.0.engine
    }

    pub fn rules(&self) -> &Rules {
        &self.0.rules
    }

    pub fn limits(&self) -> &khub_infra::config::Limits {
        &self.0.rules.limits
    }

    /// Reverse proxies whose `X-Forwarded-For` entries are believed.
    pub fn trusted_proxy_hops(&self) -> usize {
        self.0.trusted_proxy_hops
    }

    /// What `GET /graphql` shows a browser.
    pub fn playground(&self) -> &Playground {
        &self.0.playground
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn database(&self) -> &Database {
        &self.0.database
    }

    /// Subscriptions, shared between subscribers to the same operation.
    pub fn shared_operations(&self) -> &Arc<SharedOperations> {
        &self.0.shared_operations
    }

    pub fn health_checks(&self) -> &[Arc<dyn HealthCheck>] {
        &self.0.health_checks
    }

    /// Recognises credentials.
    pub fn identity(&self) -> &Identity {
        &self.0.identity
    }

    /// Charges query costs to budgets.
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.0.rate_limiter
    }

    /// Which version of the content is current; moved on by every write.
    pub fn content_version(&self) -> &ContentVersion {
        &self.0.content_version
    }

    /// Answers to anonymous queries.
    pub fn feeds(&self) -> &FeedService {
        &self.0.feeds
    }

    pub fn notifications(&self) -> &Notifications {
        &self.0.notifications
    }

    /// Keyed mutations' first answers, for safe retries.
    pub fn replays(&self) -> &Replays {
        &self.0.replays
    }

    /// Persisted and trusted documents.
    pub fn documents(&self) -> &Documents {
        &self.0.documents
    }

    pub fn read_cache(&self) -> &ReadCache {
        &self.0.read_cache
    }

    /// Tracks websocket connections so shutdown can wait for them to close.
    pub fn websockets(&self) -> &TaskTracker {
        &self.0.websockets
    }

    /// Cancelled when the server begins to shut down.
    pub fn shutdown(&self) -> &CancellationToken {
        &self.0.shutdown
    }
}
