//! Builds the application from its settings and runs it until told to stop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use khub_domain::documents::Documents;
use khub_domain::idempotency::Replays;
use khub_domain::ports::{Clock, EventBus};
use khub_infra::db::Relay;

use crate::{mail_worker, usage_worker, webhook_worker};
use khub_infra::security::SystemClock;
use khub_infra::{Backends, Settings};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::graphql::pipeline::Rules;
use crate::graphql::{self, HubContext, SchemaOptions};
use crate::http::feeds::FeedService;
use crate::http::read_cache::{self, ReadCache};
use crate::http::web::WebBuild;
use crate::http::{self, Playground};
use crate::state::{AppState, StateParts};
use crate::ws::CredentialWatch;

/// How long open websockets get to close after shutdown begins.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// A bound, ready-to-run hub.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    shutdown: CancellationToken,
    websockets: TaskTracker,
    backends: Backends,
    playground: bool,
    web: Option<WebBuild>,
    /// Writes API tokens' last counted use at shutdown.
    usage_flush: tokio::task::JoinHandle<()>,
}

impl Application {
    /// Connects the backends, migrates when configured to, and binds the listener (port 0 picks
    /// a free port; see [`Application::port`]).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// As [`Application::build`], telling time by `clock` (tests move it to expire tokens and
    /// end rate-limit windows).
    pub async fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let backends = Backends::connect(&settings).await?;
        if settings.migrate_on_start {
            backends.database.migrate_up(None).await?;
        }
        // Whatever happened while no hub ran (migrations, commands), answers start afresh.
        read_cache::content_changed(&backends.content_version()).await;
        // And people are kept between requests from now on (a store that lost the version, as
        // Redis does on restart, would otherwise keep no one until someone's profile changed).
        if let Err(error) = backends.people_version().advance().await {
            tracing::warn!(%error, "cannot set the people version: signed-in people are read afresh on every request until it is set");
        }
        let identity = backends.identity(&settings, clock.clone())?;
        let rate_limiter = backends.rate_limiter(&settings, clock.clone());
        let token_use = rate_limiter.usage().clone();
        let hub = HubContext::new(
            &backends,
            identity.clone(),
            rate_limiter.clone(),
            clock.clone(),
            settings.reputation,
        );
        let feeds = FeedService::new(hub.feeds().clone(), settings.public_url());
        let notifications = hub.notifications().clone();
        let webhooks = hub.webhooks().clone();
        let engine = graphql::build(
            hub,
            feeds.clone(),
            SchemaOptions {
                limits: &settings.limits,
                introspection: settings.introspection,
                field_spans: settings.otlp_endpoint.is_some(),
            },
        );
        let shutdown = CancellationToken::new();
        // Events recorded while no hub ran, or left by one that stopped, are relayed now.
        if settings.relay_events {
            Relay::new(
                backends.database.connection().clone(),
                backends.events.clone(),
                clock,
            )
            .start(shutdown.clone());
        }
        let websockets = TaskTracker::new();
        let credential_watch =
            CredentialWatch::start(identity.clone(), backends.events.clone(), shutdown.clone())
                .await?;
        let web = WebBuild::find(&settings.web_dir);
        if web.is_none() {
            let dir = settings.web_dir.display();
            tracing::info!(%dir, "no web client build in {dir}: `npm ci && npm run build` in web/ builds it, with a playground that needs no CDN");
        }
        let state = AppState::new(StateParts {
            engine,
            rules: Rules {
                limits: settings.limits.clone(),
                introspection: settings.introspection,
            },
            playground: Playground::new(settings.playground, web.as_ref()),
            trusted_proxy_hops: settings.trusted_proxy_hops,
            database: backends.database.clone(),
            health_checks: backends.health_checks(),
            shutdown: shutdown.clone(),
            websockets: websockets.clone(),
            identity,
            credential_watch,
            rate_limiter,
            content_version: backends.content_version(),
            read_cache: ReadCache::new(&settings.read_cache),
            feeds,
            notifications: notifications.clone(),
            replays: Replays::new(backends.sessions.clone()),
            documents: Documents::new(backends.sessions.clone(), backends.api_tokens.clone()),
        });
        mail_worker::start(notifications, shutdown.clone());
        webhook_worker::start(webhooks, shutdown.clone());
        let usage_flush =
            usage_worker::start(token_use, backends.api_tokens.clone(), shutdown.clone());
        let listener = TcpListener::bind(settings.bind)
            .await
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        Ok(Self {
            listener,
            router: http::router(state, web.as_ref()),
            shutdown,
            websockets,
            backends,
            playground: settings.playground,
            web,
            usage_flush,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The bus domain events are raised on, for in-process observers (tests, embedded tools).
    pub fn event_bus(&self) -> Arc<dyn EventBus> {
        self.backends.events.clone()
    }

    /// Cancel it to shut the server down gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Serves until the shutdown token is cancelled: in-flight requests finish, websockets get
    /// a close frame, then connections to the backends close.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let address = self.listener.local_addr()?;
        let database = self.backends.database.backend_name();
        let graphql = format!("http://{address}/graphql");
        let websocket = format!("ws://{address}/graphql/ws");
        if self.web.is_some() {
            tracing::info!(web = %format!("http://{address}/"), "the web client is served at /");
        }
        match self.playground {
            true => {
                tracing::info!(%graphql, %websocket, database, "Knowledge Hub is serving: open {graphql} in a browser for the playground")
            }
            false => tracing::info!(%graphql, %websocket, database, "Knowledge Hub is serving"),
        }
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(self.shutdown.clone().cancelled_owned())
            .await
            .context("the server failed")?;
        self.websockets.close();
        if tokio::time::timeout(DRAIN_TIMEOUT, self.websockets.wait())
            .await
            .is_err()
        {
            tracing::warn!("websockets still open after the drain timeout");
        }
        if tokio::time::timeout(DRAIN_TIMEOUT, self.usage_flush)
            .await
            .is_err()
        {
            tracing::warn!("API token use was not written before the drain timeout");
        }
        self.backends.database.close().await;
        tracing::info!("Knowledge Hub stopped");
        Ok(())
    }
}
