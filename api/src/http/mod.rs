//! HTTP routes: GraphQL (anonymous queries through the read cache), websockets, probes and
//! metrics, behind request ids, tracing, CORS, compression and a body size limit.

mod admit;
mod cached_query;
pub mod client;
mod cost;
pub mod feeds;
pub mod graphql;
pub mod health;
mod idempotency;
pub mod media;
pub mod metrics;
mod playground;
pub mod read_cache;
pub mod respond;
mod unsubscribe;
pub mod web;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Request, header};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use playground::Playground;

use crate::state::AppState;
use crate::ws;

/// Every route the hub serves, and the web client at `/` when it was built.
pub fn router(state: AppState, web: Option<&web::WebBuild>) -> Router {
    let body_limit = state.limits().max_body_bytes;
    let routes = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/feeds/promoted", get(feeds::promoted))
        .route("/feeds/communities/{slug}", get(feeds::community))
        .route("/feeds/tags/{tag}", get(feeds::tag))
        .route("/feeds/people/{handle}", get(feeds::person))
        .route("/feeds/saved-searches/{id}", get(feeds::saved_search))
        .route(
            "/unsubscribe/{token}",
            get(unsubscribe::page).post(unsubscribe::confirm),
        )
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/metrics", get(metrics::serve));
    match web {
        Some(build) => build.serve(routes),
        None => routes,
    }
    .layer(DefaultBodyLimit::max(body_limit))
        .layer(CompressionLayer::new().gzip(true))
        // Credentials travel in the Authorization header, never in cookies, so any origin may
        // call the API from a browser.
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT]),
        )
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("http", method = %request.method(), path = %request.uri().path(), request_id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
