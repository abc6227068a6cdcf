//! The black-box test harness: each [`TestApp`] runs the real hub on a random port against a
//! database of its own, and tests talk to it only over HTTP and websockets.
//!
//! The backend follows the environment, so the same tests run on both: with no configuration,
//! a temporary SQLite file and in-process sessions and events; with `DATABASE_URL=postgres://…`
//! a fresh PostgreSQL database per test (dropped afterwards), and with `REDIS_URL` a Redis key
//! prefix per test.

// A harness that cannot set a test up should fail that test loudly, at the line that broke.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod backend;
mod clock;
mod communities;
mod conversations;
mod identity;
mod mail;
mod moderation;
mod notifications;
mod practices;
mod private_redis;
mod scale;
mod webhooks;
mod websocket;

use std::sync::Arc;
use std::time::Duration;

use khub_api::Application;
use khub_domain::organisation::{NewOrganisation, Organisation, OrganisationKind};
use khub_domain::ports::{EventBus, OrganisationRepository};
use khub_infra::Settings;
use khub_infra::db::{Database, SqlOrganisations};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

pub use backend::TestBackend;
pub use clock::ManualClock;
pub use conversations::{THREAD_EVENT_FIELDS, error_code, keys};
pub use identity::{DEFAULT_PASSWORD, Session};
pub use mail::Delivered;
pub use moderation::{logged_actions, no_user_errors, post_id};
pub use notifications::NOTIFICATION_FIELDS;
pub use practices::{EventRecorder, complete_story};
pub use private_redis::{PrivateRedis, free_port, hub_on_private_redis};
pub use scale::QuietProgress;
pub use webhooks::{DELIVERY_FIELDS, Received, Receiver};
pub use websocket::{WsClient, WsProtocol};

/// A running hub for one test.
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    settings: Settings,
    /// The hub's clock; advance it to expire tokens or end rate-limit windows.
    pub clock: Arc<ManualClock>,
    /// The instance's event bus, to observe the domain events it raises.
    pub events: Arc<dyn EventBus>,
    shutdown: CancellationToken,
    stopped: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    backend: TestBackend,
}

impl TestApp {
    /// A hub on a fresh database with default settings.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// A hub on a fresh database, with settings adjusted by `configure`.
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let backend = TestBackend::create().await;
        let mut settings = backend.settings();
        configure(&mut settings);
        Self::start(settings, backend, Arc::new(ManualClock::default())).await
    }

    /// A second instance sharing this one's database and Redis, as behind a load balancer.
    pub async fn spawn_sibling(&self) -> Self {
        self.spawn_sibling_with(|_| {}).await
    }

    /// As [`TestApp::spawn_sibling`], with settings adjusted by `configure`.
    pub async fn spawn_sibling_with(&self, configure: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = self.settings.clone();
        settings.migrate_on_start = false;
        configure(&mut settings);
        Self::start(settings, self.backend.sibling(), self.clock.clone()).await
    }

    async fn start(mut settings: Settings, backend: TestBackend, clock: Arc<ManualClock>) -> Self {
        settings.bind = "127.0.0.1:0".parse().expect("loopback address");
        let app = Application::build_with_clock(settings.clone(), clock.clone())
            .await
            .expect("the hub starts");
        let port = app.port();
        let events = app.event_bus();
        let shutdown = app.shutdown_token();
        let stopped = tokio::spawn(app.run_until_stopped());
        Self {
            address: format!("http://127.0.0.1:{port}"),
            port,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("HTTP client"),
            settings,
            clock,
            events,
            shutdown,
            stopped: Some(stopped),
            backend,
        }
    }

    /// Whether this instance's sessions and events go through Redis, shared with siblings.
    pub fn backend_has_redis(&self) -> bool {
        self.backend.has_redis()
    }

    /// The settings this instance runs with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// POSTs a JSON body to `/graphql`.
    pub async fn post(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/graphql"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("the hub answers")
    }

    /// POSTs a JSON body to `/graphql` with `Authorization: Bearer token`.
    pub async fn post_as(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/graphql"))
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {token}"))
            .body(body.to_string())
            .send()
            .await
            .expect("the hub answers")
    }

    /// Runs a query or mutation and returns the response body; the status must be 200.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let response = self
            .post(&json!({ "query": query, "variables": variables }))
            .await;
        assert_eq!(response.status(), 200, "unexpected status for {query}");
        response.json().await.expect("a JSON body")
    }

    /// Runs an operation with a bearer token; the status must be 200.
    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = json!({ "query": query, "variables": variables });
        let response = self.post_as(token, &body).await;
        assert_eq!(response.status(), 200, "unexpected status for {query}");
        response.json().await.expect("a JSON body")
    }

    /// The Prometheus metrics text.
    pub async fn metrics(&self) -> String {
        let response = self
            .client
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("answer");
        response.text().await.expect("metrics text")
    }

    /// The value of one series in the instance's metrics (its name and labels as exposed, e.g.
    /// `khub_db_queries_total{origin="request"}`); 0 before it has one.
    pub async fn metric(&self, series: &str) -> u64 {
        self.metrics()
            .await
            .lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Opens a websocket speaking `protocol`.
    pub async fn websocket(&self, protocol: WsProtocol) -> WsClient {
        WsClient::connect(
            &format!("ws://127.0.0.1:{}/graphql/ws", self.port),
            protocol,
        )
        .await
    }

    /// Adds an organisation as an operator would with the `khub` command line.
    pub async fn create_organisation(
        &self,
        slug: &str,
        name: &str,
        kind: OrganisationKind,
        domains: &[&str],
    ) -> Organisation {
        let db = Database::connect(&self.settings.effective_database_url(), 1)
            .await
            .expect("database");
        let domains: Vec<String> = domains.iter().map(|d| (*d).to_owned()).collect();
        let new = NewOrganisation::parse(slug, name, kind, &domains).expect("valid organisation");
        let created = SqlOrganisations::new(db.connection().clone())
            .create(&new)
            .await
            .expect("organisation stored");
        db.close().await;
        created
    }

    /// Begins a graceful shutdown and waits for it to finish.
    pub async fn stop(&mut self) {
        self.shutdown.cancel();
        if let Some(stopped) = self.stopped.take() {
            let outcome = tokio::time::timeout(Duration::from_secs(10), stopped).await;
            assert!(
                matches!(outcome, Ok(Ok(Ok(())))),
                "the hub did not stop cleanly"
            );
        }
    }

    /// Whether the server task has ended.
    pub fn has_stopped(&self) -> bool {
        self.stopped.as_ref().is_none_or(|task| task.is_finished())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
