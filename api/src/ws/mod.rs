//! Websockets at `/graphql/ws`: `graphql-transport-ws` (to the letter of its PROTOCOL.md, close
//! codes included) and the legacy `graphql-ws` subprotocol, over one connection engine.

mod connection;
mod env;
mod operation;
mod protocol;
mod replies;
mod shared;
mod watch;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;
use env::ConnectionEnv;
use futures_util::FutureExt;
use khub_domain::identity::ClientInfo;

pub use connection::Executor;
pub use protocol::Protocol;
pub use shared::SharedOperations;
pub use watch::CredentialWatch;

use crate::graphql::engine::Engine;
use crate::state::AppState;

/// The read buffer a connection starts with; client messages are small.
const IDLE_BUFFER: usize = 1024;

/// `GET /graphql/ws`: upgrades to a websocket speaking the subprotocol the client offered.
pub async fn upgrade(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let client = crate::http::client::address(peer, &headers, state.trusted_proxy_hops());
    let client_info = crate::http::client::info(client, &headers);
    let upgrade = upgrade
        .protocols([Protocol::TRANSPORT_WS, Protocol::LEGACY])
        // Mostly idle connections: tungstenite's 128 KiB default buffers, allocated up front,
        // made each one cost 155 KiB of memory (bench/results). Buffers grow for larger frames.
        .read_buffer_size(IDLE_BUFFER)
        .write_buffer_size(0);
    // A client that names no subprotocol gets the current one.
    let protocol = upgrade
        .selected_protocol()
        .and_then(|p| p.to_str().ok())
        .map_or(Protocol::TransportWs, Protocol::from_header);
    let tracker = state.websockets().clone();
    upgrade.on_upgrade(move |socket| {
        tracker.track_future(async move {
            let _counted = state.metrics().websocket_opened();
            connection::run(socket, protocol, environment(&state, client_info)).await;
        })
    })
}

fn environment(state: &AppState, client_info: ClientInfo) -> ConnectionEnv {
    let identity = state.identity().clone();
    let documents = state.documents().clone();
    ConnectionEnv {
        authenticate: Arc::new(move |authorization| {
            let identity = identity.clone();
            async move { crate::auth::authenticate(&identity, authorization.as_deref()).await }
                .boxed()
        }),
        resolve: Arc::new(move |actor, raw| {
            let documents = documents.clone();
            async move { crate::graphql::documents::resolve(&documents, &actor, raw).await }.boxed()
        }),
        client: client_info.address,
        client_info,
        watch: state.credential_watch().clone(),
        rules: state.rules().clone(),
        shutdown: state.shutdown().clone(),
        shared: state.shared_operations().clone(),
        content_version: state.content_version().clone(),
    }
}

/// Runs operations on `engine`.
pub fn executor(engine: Engine) -> Executor {
    Arc::new(move |request| engine.execute_stream(request))
}

#[cfg(test)]
mod tests;
