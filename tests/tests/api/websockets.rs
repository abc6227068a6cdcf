//! Websockets at /graphql/ws: graphql-transport-ws to the letter, and the legacy graphql-ws.

use std::time::Duration;

use khub_tests::{TestApp, WsProtocol, keys};
use serde_json::json;

async fn acknowledged(app: &TestApp) -> khub_tests::WsClient {
    let mut ws = app.websocket(WsProtocol::TransportWs).await;
    ws.send(json!({ "type": "connection_init", "payload": {} }))
        .await;
    assert_eq!(ws.next_json().await["type"], "connection_ack");
    ws
}

#[tokio::test]
async fn the_current_protocol_runs_an_operation_to_completion() {
    let app = TestApp::spawn().await;
    let mut ws = acknowledged(&app).await;
    assert_eq!(
        ws.accepted_protocol.as_deref(),
        Some("graphql-transport-ws")
    );
    ws.send(json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ __typename }" } }))
        .await;
    let next = ws.next_json().await;
    assert_eq!(
        next,
        json!({ "type": "next", "id": "1", "payload": { "data": { "__typename": "Query" } } })
    );
    assert_eq!(
        ws.next_json().await,
        json!({ "type": "complete", "id": "1" })
    );
}

#[tokio::test]
async fn ping_is_answered_with_pong_carrying_the_payload() {
    let app = TestApp::spawn().await;
    let mut ws = acknowledged(&app).await;
    ws.send(json!({ "type": "ping", "payload": { "n": 1 } }))
        .await;
    assert_eq!(
        ws.next_json().await,
        json!({ "type": "pong", "payload": { "n": 1 } })
    );
}

#[tokio::test]
async fn an_invalid_operation_gets_an_error_message_and_no_complete() {
    let app = TestApp::spawn().await;
    let mut ws = acknowledged(&app).await;
    ws.send(json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ nope }" } }))
        .await;
    let error = ws.next_json().await;
    assert_eq!(error["type"], "error");
    assert_eq!(
        error["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    ws.send(json!({ "type": "ping" })).await;
    assert_eq!(ws.next_json().await["type"], "pong");
}

#[tokio::test]
async fn subscribing_before_the_ack_closes_with_4401() {
    let app = TestApp::spawn().await;
    let mut ws = app.websocket(WsProtocol::TransportWs).await;
    ws.send(json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ __typename }" } }))
        .await;
    assert_eq!(ws.closed().await, (4401, "Unauthorized".to_owned()));
}

#[tokio::test]
async fn a_second_connection_init_closes_with_4429() {
    let app = TestApp::spawn().await;
    let mut ws = acknowledged(&app).await;
    ws.send(json!({ "type": "connection_init" })).await;
    assert_eq!(
        ws.closed().await,
        (4429, "Too many initialisation requests".to_owned())
    );
}

#[tokio::test]
async fn a_bad_message_closes_with_4400() {
    let app = TestApp::spawn().await;
    let mut ws = acknowledged(&app).await;
    ws.send_text("{ not json").await;
    assert_eq!(ws.closed().await.0, 4400);
    let mut ws = acknowledged(&app).await;
    ws.send(json!({ "type": "start", "id": "1", "payload": { "query": "{ __typename }" } }))
        .await;
    assert_eq!(ws.closed().await.0, 4400);
}

#[tokio::test]
async fn a_rejected_connection_init_closes_with_4403() {
    let app = TestApp::spawn().await;
    let mut ws = app.websocket(WsProtocol::TransportWs).await;
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": "Bearer forged" } }))
        .await;
    assert_eq!(ws.closed().await, (4403, "Forbidden".to_owned()));
}

#[tokio::test]
async fn no_connection_init_in_time_closes_with_4408() {
    let app = TestApp::spawn_with(|s| s.limits.ws_init_timeout = Duration::from_millis(200)).await;
    let mut ws = app.websocket(WsProtocol::TransportWs).await;
    assert_eq!(
        ws.closed().await,
        (4408, "Connection initialisation timeout".to_owned())
    );
}

#[tokio::test]
async fn the_server_pings_an_idle_acknowledged_client() {
    let app = TestApp::spawn_with(|s| s.limits.ws_keepalive = Duration::from_millis(100)).await;
    let mut ws = acknowledged(&app).await;
    assert_eq!(ws.next_json().await, json!({ "type": "ping" }));
}

#[tokio::test]
async fn the_legacy_protocol_runs_an_operation_to_completion() {
    let app = TestApp::spawn().await;
    let mut ws = app.websocket(WsProtocol::Legacy).await;
    assert_eq!(ws.accepted_protocol.as_deref(), Some("graphql-ws"));
    ws.send(json!({ "type": "connection_init", "payload": {} }))
        .await;
    assert_eq!(ws.next_json().await["type"], "connection_ack");
    ws.send(json!({ "type": "start", "id": "7", "payload": { "query": "{ __typename }" } }))
        .await;
    let data = ws.next_json().await;
    assert_eq!(
        data,
        json!({ "type": "data", "id": "7", "payload": { "data": { "__typename": "Query" } } })
    );
    assert_eq!(
        ws.next_json().await,
        json!({ "type": "complete", "id": "7" })
    );
    ws.send(json!({ "type": "connection_terminate" })).await;
    assert_eq!(ws.closed().await.0, 1000);
}

#[tokio::test]
async fn the_legacy_protocol_explains_a_rejected_init_before_closing() {
    let app = TestApp::spawn().await;
    let mut ws = app.websocket(WsProtocol::Legacy).await;
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": "Bearer forged" } }))
        .await;
    assert_eq!(ws.next_json().await["type"], "connection_error");
    assert_eq!(ws.closed().await.0, 4403);
}

#[tokio::test]
async fn open_websockets_are_counted_in_metrics() {
    let app = TestApp::spawn().await;
    let _ws = acknowledged(&app).await;
    let text = app.metrics().await;
    assert!(text.contains("khub_websocket_connections 1"), "{text}");
}

/// Operations over a websocket run on the same engine as over HTTP: checked and charged at the
/// gate, answered with the root's fields in the order selected.
#[tokio::test]
async fn a_websocket_operation_is_charged_and_answered_in_selection_order() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    app.create_community(&ana, "bins", "OPEN").await;
    // The root's fields belong to different parts of the merged Query, declared in another order.
    let query = "{ leaderboard(first: 1) { points } viewer { handle } communities(first: 1) { totalCount } }";
    let remaining = |response: &reqwest::Response| -> u64 {
        let value = response
            .headers()
            .get("ratelimit-remaining")
            .expect("header");
        value.to_str().expect("text").parse().expect("number")
    };
    let first = app
        .post_as(&ana.access_token, &json!({ "query": query }))
        .await;
    let before = remaining(&first);
    let body: serde_json::Value = first.json().await.expect("JSON");
    let cost = body["extensions"]["cost"]["requested"]
        .as_u64()
        .expect("cost");

    let mut ws = app.websocket(WsProtocol::TransportWs).await;
    let authorization = format!("Bearer {}", ana.access_token);
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": authorization } }))
        .await;
    assert_eq!(ws.next_json().await["type"], "connection_ack");
    ws.send(json!({ "type": "subscribe", "id": "1", "payload": { "query": query } }))
        .await;
    let next = ws.next_json().await;
    let data = &next["payload"]["data"];
    assert_eq!(
        keys(data),
        ["leaderboard", "viewer", "communities"],
        "{next}"
    );
    assert_eq!(data["viewer"]["handle"], "ana");
    assert_eq!(ws.next_json().await["type"], "complete");

    let after = app
        .post_as(&ana.access_token, &json!({ "query": query }))
        .await;
    assert_eq!(
        remaining(&after),
        before - 2 * cost,
        "the websocket operation and the second request are each charged"
    );
}
