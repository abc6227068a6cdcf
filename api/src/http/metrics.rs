//! Prometheus metrics: GraphQL requests and latency by operation, live websocket connections
//! and the database pool.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use khub_infra::db::Database;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::state::AppState;

/// Distinct operation names kept as labels; later ones are counted as `other` so a client
/// cannot grow the metrics without bound.
const MAX_OPERATION_NAMES: usize = 256;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: String,
    kind: String,
    status: String,
}

/// Who ran a statement: a request (with its DataLoaders) or the hub's background work.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatementLabels {
    origin: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLookupLabels {
    outcome: &'static str,
}

/// The hub's metrics, one registry per application (no globals, so tests stay apart).
pub struct Metrics {
    registry: Registry,
    requests: Family<OperationLabels, Counter>,
    latency: Family<OperationLabels, Histogram>,
    websockets: Gauge,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    queries: Family<StatementLabels, Counter>,
    live_subscribers: Gauge,
    read_cache: Family<CacheLookupLabels, Counter>,
    names: Mutex<HashSet<String>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("khub");
        let requests = Family::<OperationLabels, Counter>::default();
        let latency = Family::<OperationLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        let websockets = Gauge::default();
        let queries = Family::<StatementLabels, Counter>::default();
        let live_subscribers = Gauge::default();
        registry.register(
            "live_subscribers",
            "GraphQL subscriptions this instance serves that are listening for events",
            live_subscribers.clone(),
        );
        registry.register(
            "db_queries",
            "SQL statements run against the database, by origin (request or background)",
            queries.clone(),
        );
        let read_cache = Family::<CacheLookupLabels, Counter>::default();
        registry.register(
            "read_cache_lookups",
            "Anonymous queries looked up in the read cache, by outcome (hit or miss)",
            read_cache.clone(),
        );
        let (pool_size, pool_idle, pool_max) =
            (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register(
            "graphql_requests",
            "GraphQL operations served",
            requests.clone(),
        );
        registry.register(
            "graphql_request_duration_seconds",
            "Time to serve a GraphQL operation",
            latency.clone(),
        );
        registry.register(
            "websocket_connections",
            "Open websocket connections",
            websockets.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections open",
            pool_size.clone(),
        );
        registry.register(
            "db_pool_idle_connections",
            "Database connections idle",
            pool_idle.clone(),
        );
        registry.register(
            "db_pool_max_connections",
            "Database connection limit",
            pool_max.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            websockets,
            pool_size,
            pool_idle,
            pool_max,
            queries,
            live_subscribers,
            read_cache,
            names: Mutex::new(HashSet::new()),
        }
    }

    /// Records one served operation.
    pub fn observe(&self, operation: Option<&str>, kind: &str, status: u16, elapsed: Duration) {
        let labels = OperationLabels {
            operation: self.bounded_name(operation),
            kind: kind.to_owned(),
            status: status.to_string(),
        };
        self.requests.get_or_create(&labels).inc();
        self.latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// Counts an anonymous query looked up in the read cache.
    pub fn read_cache_lookup(&self, hit: bool) {
        let outcome = if hit { "hit" } else { "miss" };
        self.read_cache
            .get_or_create(&CacheLookupLabels { outcome })
            .inc();
    }

    fn bounded_name(&self, operation: Option<&str>) -> String {
        let Some(name) = operation else {
            return "anonymous".into();
        };
        let Ok(mut names) = self.names.lock() else {
            return "other".into();
        };
        if names.contains(name)
            || (names.len() < MAX_OPERATION_NAMES && names.insert(name.to_owned()))
        {
            name.to_owned()
        } else {
            "other".into()
        }
    }

    /// Counts a websocket connection until the guard drops.
    pub fn websocket_opened(&self) -> WebsocketGuard {
        self.websockets.inc();
        WebsocketGuard(self.websockets.clone())
    }

    /// The counters only move here, so they follow the database's own counts.
    fn follow_statements(&self, origin: &'static str, count: u64) {
        let counter = self.queries.get_or_create(&StatementLabels { origin });
        counter.inc_by(count.saturating_sub(counter.get()));
    }

    fn render(&self, database: &Database, live_subscribers: usize) -> String {
        let pool = database.pool_stats();
        self.pool_size.set(i64::from(pool.size));
        self.pool_idle.set(i64::from(pool.idle));
        self.pool_max.set(i64::from(pool.max));
        self.live_subscribers
            .set(i64::try_from(live_subscribers).unwrap_or(i64::MAX));
        self.follow_statements("request", pool.queries);
        self.follow_statements("background", pool.background_queries);
        let mut text = String::new();
        if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(%error, "cannot encode metrics");
        }
        text
    }
}

/// Decrements the websocket gauge when the connection ends, however it ends.
pub struct WebsocketGuard(Gauge);

impl Drop for WebsocketGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// `GET /metrics`
pub async fn serve(State(state): State<AppState>) -> Response {
    let body = state.metrics().render(
        state.database(),
        state.shared_operations().live_subscribers(),
    );
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
