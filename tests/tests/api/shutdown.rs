//! Graceful shutdown: websockets are told, the server stops cleanly.

use khub_tests::{TestApp, WsProtocol};
use serde_json::json;

#[tokio::test]
async fn shutting_down_sends_open_websockets_a_going_away_close() {
    let mut app = TestApp::spawn().await;
    let mut ws = app.websocket(WsProtocol::TransportWs).await;
    ws.send(json!({ "type": "connection_init" })).await;
    assert_eq!(ws.next_json().await["type"], "connection_ack");
    app.stop().await;
    assert_eq!(ws.closed().await, (1001, "Server shutting down".to_owned()));
    assert!(app.has_stopped());
}
