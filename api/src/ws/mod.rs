//! Websockets at `/graphql/ws`: `graphql-transport-ws` (to the letter of its PROTOCOL.md, close
//! codes included) and the legacy `graphql-ws` subprotocol, over one connection engine.

mod connection;
mod protocol;

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::response::Response;
use connection::ConnectionEnv;
use futures_util::StreamExt;

pub use protocol::Protocol;

use crate::state::AppState;

/// `GET /graphql/ws`: upgrades to a websocket speaking the subprotocol the client offered.
pub async fn upgrade(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> Response {
    let upgrade = upgrade.protocols([Protocol::TRANSPORT_WS, Protocol::LEGACY]);
    // A client that names no subprotocol gets the current one.
    let protocol = upgrade
        .selected_protocol()
        .and_then(|p| p.to_str().ok())
        .map_or(Protocol::TransportWs, Protocol::from_header);
    let tracker = state.websockets().clone();
    upgrade.on_upgrade(move |socket| {
        tracker.track_future(async move {
            let _counted = state.metrics().websocket_opened();
            connection::run(socket, protocol, environment(&state)).await;
        })
    })
}

fn environment(state: &AppState) -> ConnectionEnv {
    let schema = state.schema().clone();
    ConnectionEnv {
        rules: state.rules().clone(),
        shutdown: state.shutdown().clone(),
        execute: Arc::new(move |request| schema.execute_stream(request).boxed()),
    }
}

#[cfg(test)]
mod tests;
