//! Websockets follow their session: when it ends, or their API token is revoked or expires,
//! every socket holding it is closed with 4403 within two seconds, on every instance. The
//! access token a socket opened with may expire meanwhile without closing it.

use std::time::Duration;

use chrono::Utc;
use khub_domain::ports::Clock;
use khub_tests::{TestApp, WsClient};
use serde_json::{Value, json};

const WITHIN: Duration = Duration::from_secs(2);

async fn closed_within(ws: &mut WsClient, limit: Duration) -> (u16, String) {
    tokio::time::timeout(limit, ws.closed())
        .await
        .expect("the socket is closed in time")
}

async fn ws_with_token(app: &TestApp, token: &str) -> WsClient {
    let mut ws = app.websocket(khub_tests::WsProtocol::TransportWs).await;
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
    ws.send(init).await;
    assert_eq!(ws.next_json().await["type"], "connection_ack");
    ws
}

#[tokio::test]
async fn a_socket_is_closed_within_two_seconds_of_its_sessions_logout_on_another_instance() {
    let a = TestApp::spawn().await;
    // Without Redis each embedded hub runs alone: the logout then happens on the same one.
    let b = match a.backend_has_redis() {
        true => Some(a.spawn_sibling().await),
        false => None,
    };
    let elsewhere = b.as_ref().unwrap_or(&a);
    let ana = a.register("ana@example.org", "ana").await;
    let community = a.create_community(&ana, "live", "OPEN").await;
    let (thread, _) = a.start_thread(&ana, &community, "Live", "DISCUSSION").await;
    let mut ws = a.live(Some(&ana)).await;
    ws.subscribe_thread("s1", &thread).await;
    a.wait_for_subscribers(1).await;

    let logout = elsewhere
        .graphql_as(
            &ana.access_token,
            "mutation { logout { loggedOut } }",
            Value::Null,
        )
        .await;
    assert_eq!(logout["data"]["logout"]["loggedOut"], true);
    assert_eq!(closed_within(&mut ws, WITHIN).await.0, 4403);
}

#[tokio::test]
async fn a_socket_outlives_its_access_token_but_not_its_session() {
    let app = TestApp::spawn().await;
    let bo = app.register("bo@example.org", "bo-b").await;
    let community = app.create_community(&bo, "live", "OPEN").await;
    let (thread, _) = app
        .start_thread(&bo, &community, "Live", "DISCUSSION")
        .await;
    let mut ws = app.live(Some(&bo)).await;
    app.clock.advance(Duration::from_secs(20 * 60));
    // The access token has expired; the session has not: the socket still runs operations.
    ws.subscribe_thread("s1", &thread).await;
    app.wait_for_subscribers(1).await;
    assert!(ws.next_within(Duration::from_millis(300)).await.is_none());

    let query = "mutation { endOtherSessions { ended } }";
    let other = khub_tests::Session::from_payload(
        &app.login_payload("bo@example.org", khub_tests::DEFAULT_PASSWORD)
            .await,
    );
    let ended = app
        .graphql_as(&other.access_token, query, Value::Null)
        .await;
    assert_eq!(ended["data"]["endOtherSessions"]["ended"], 1, "{ended}");
    assert_eq!(closed_within(&mut ws, WITHIN).await.0, 4403);
}

#[tokio::test]
async fn a_socket_holding_a_revoked_or_expired_api_token_is_closed() {
    let app = TestApp::spawn().await;
    let cy = app.register("cy@example.org", "cyx").await;
    let (secret, id) = app.create_api_token(&cy, &["READ"]).await;
    let mut ws = ws_with_token(&app, &secret).await;
    let revoke = "mutation R($id: ID!) { revokeApiToken(input: { apiTokenId: $id }) { apiToken { revokedAt } } }";
    app.graphql_as(&cy.access_token, revoke, json!({ "id": id }))
        .await;
    assert_eq!(closed_within(&mut ws, WITHIN).await.0, 4403);

    let expires_at = app.clock.now() + chrono::Duration::seconds(1);
    let query =
        "mutation C($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }";
    let input =
        json!({ "name": "brief", "scopes": ["READ"], "expiresAt": expires_at.to_rfc3339() });
    let created = app
        .graphql_as(&cy.access_token, query, json!({ "input": input }))
        .await;
    let secret = created["data"]["createApiToken"]["secret"]
        .as_str()
        .expect("secret");
    let started = Utc::now();
    let mut ws = ws_with_token(&app, secret).await;
    assert_eq!(closed_within(&mut ws, Duration::from_secs(3)).await.0, 4403);
    assert!(Utc::now() - started < chrono::Duration::seconds(3));
}
