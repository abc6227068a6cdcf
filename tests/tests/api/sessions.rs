//! Signing up, in, refreshing and out; what happens to tokens afterwards.

use std::time::Duration;

use khub_domain::organisation::OrganisationKind;
use khub_tests::{DEFAULT_PASSWORD, Session, TestApp};
use serde_json::{Value, json};

const VIEWER: &str = "{ viewer { handle email organisation { slug } } }";

async fn status_of(app: &TestApp, token: &str) -> u16 {
    app.post_as(token, &json!({ "query": VIEWER }))
        .await
        .status()
        .as_u16()
}

fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

#[tokio::test]
async fn register_login_refresh_logout_and_the_old_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let registered = app.register("Ana@Example.org", "ana").await;
    let viewer = app
        .graphql_as(&registered.access_token, VIEWER, Value::Null)
        .await;
    assert_eq!(viewer["data"]["viewer"]["handle"], "ana");
    assert_eq!(viewer["data"]["viewer"]["email"], "ana@example.org");

    let login =
        Session::from_payload(&app.login_payload("ana@example.org", DEFAULT_PASSWORD).await);
    let refreshed = app.refresh(&login.refresh_token).await;
    let refreshed = Session::from_payload(&refreshed["data"]["refreshSession"]);
    assert_ne!(refreshed.refresh_token, login.refresh_token);
    assert_eq!(status_of(&app, &refreshed.access_token).await, 200);

    let logout = app
        .graphql_as(
            &refreshed.access_token,
            "mutation { logout { loggedOut } }",
            Value::Null,
        )
        .await;
    assert_eq!(logout["data"]["logout"]["loggedOut"], true);
    assert_eq!(status_of(&app, &refreshed.access_token).await, 401);
    assert_eq!(
        status_of(&app, &login.access_token).await,
        401,
        "same session"
    );
    assert_eq!(
        error_code(&app.refresh(&refreshed.refresh_token).await),
        "UNAUTHENTICATED"
    );
    // Another session of the same person is untouched.
    assert_eq!(status_of(&app, &registered.access_token).await, 200);
}

#[tokio::test]
async fn reusing_a_spent_refresh_token_ends_the_whole_session() {
    let app = TestApp::spawn().await;
    let first = app.register("bo@example.org", "box").await;
    let second =
        Session::from_payload(&app.refresh(&first.refresh_token).await["data"]["refreshSession"]);
    let replay = app.refresh(&first.refresh_token).await;
    assert_eq!(error_code(&replay), "UNAUTHENTICATED");
    assert_eq!(status_of(&app, &second.access_token).await, 401);
    assert_eq!(
        error_code(&app.refresh(&second.refresh_token).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn an_access_token_expires_after_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let session = app.register("cy@example.org", "cyx").await;
    app.clock.advance(Duration::from_secs(14 * 60));
    assert_eq!(status_of(&app, &session.access_token).await, 200);
    app.clock.advance(Duration::from_secs(2 * 60));
    assert_eq!(status_of(&app, &session.access_token).await, 401);
    let renewed = app.refresh(&session.refresh_token).await;
    let renewed = Session::from_payload(&renewed["data"]["refreshSession"]);
    assert_eq!(status_of(&app, &renewed.access_token).await, 200);
}

#[tokio::test]
async fn every_broken_registration_rule_is_a_user_error_naming_its_field() {
    let app = TestApp::spawn().await;
    let payload = app
        .register_payload("not-an-email", "no spaces!", "short")
        .await;
    assert!(payload["email"].is_null());
    let fields: Vec<&str> = payload["userErrors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["email", "handle", "password"], "{payload}");
    let long = app
        .register_payload("long@example.org", "long", &"p".repeat(129))
        .await;
    assert_eq!(long["userErrors"][0]["field"], "password");
}

#[tokio::test]
async fn handles_are_unique_whatever_their_case() {
    let app = TestApp::spawn().await;
    app.register("dee@example.org", "dee").await;
    let same_handle = app
        .register_payload("other@example.org", "DEE", DEFAULT_PASSWORD)
        .await;
    assert_eq!(same_handle["userErrors"][0]["field"], "handle");
    assert_eq!(same_handle["userErrors"][0]["code"], "TAKEN");
}

#[tokio::test]
async fn registering_on_a_verified_domain_joins_that_organisation() {
    let app = TestApp::spawn().await;
    app.create_organisation(
        "leeds",
        "Leeds City Council",
        OrganisationKind::Council,
        &["leeds.gov.uk"],
    )
    .await;
    let member = app.register("eve@leeds.gov.uk", "eve").await;
    let outsider = app.register("fay@elsewhere.org", "fay").await;
    let viewer = app
        .graphql_as(&member.access_token, VIEWER, Value::Null)
        .await;
    assert_eq!(viewer["data"]["viewer"]["organisation"]["slug"], "leeds");
    let viewer = app
        .graphql_as(&outsider.access_token, VIEWER, Value::Null)
        .await;
    assert!(viewer["data"]["viewer"]["organisation"].is_null());
}

#[tokio::test]
async fn a_failed_login_does_not_say_whether_the_address_exists() {
    let app = TestApp::spawn().await;
    app.register("gus@example.org", "gus").await;
    let wrong_password = app
        .login_payload("gus@example.org", "not the password at all")
        .await;
    let unknown = app
        .login_payload("nobody@example.org", DEFAULT_PASSWORD)
        .await;
    assert!(wrong_password["accessToken"].is_null());
    assert_eq!(wrong_password["userErrors"], unknown["userErrors"]);
    assert_eq!(unknown["userErrors"][0]["code"], "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn anonymous_viewer_is_null_and_logout_needs_a_session() {
    let app = TestApp::spawn().await;
    let body = app.graphql(VIEWER, Value::Null).await;
    assert!(body["data"]["viewer"].is_null());
    let logout = app
        .graphql("mutation { logout { loggedOut } }", Value::Null)
        .await;
    assert_eq!(error_code(&logout), "UNAUTHENTICATED");
}

#[tokio::test]
async fn two_instances_accept_each_others_sessions_and_revocations() {
    let a = TestApp::spawn().await;
    if a.settings().redis_url.is_none() {
        return; // In-process sessions are, by design, one instance's own.
    }
    let b = a.spawn_sibling().await;
    let session = a.register("hal@example.org", "hal").await;
    assert_eq!(status_of(&b, &session.access_token).await, 200);
    let refreshed = b.refresh(&session.refresh_token).await;
    let refreshed = Session::from_payload(&refreshed["data"]["refreshSession"]);
    assert_eq!(status_of(&a, &refreshed.access_token).await, 200);
    b.graphql_as(
        &refreshed.access_token,
        "mutation { logout { loggedOut } }",
        Value::Null,
    )
    .await;
    assert_eq!(status_of(&a, &refreshed.access_token).await, 401);
}

#[tokio::test]
async fn a_websocket_signs_in_with_an_access_token() {
    let app = TestApp::spawn().await;
    let session = app.register("ivy@example.org", "ivy").await;
    let mut ws = app.websocket(khub_tests::WsProtocol::TransportWs).await;
    let authorization = format!("Bearer {}", session.access_token);
    ws.send(json!({ "type": "connection_init", "payload": { "authorization": authorization } }))
        .await;
    assert_eq!(ws.next_json().await["type"], "connection_ack");
    ws.send(
        json!({ "type": "subscribe", "id": "1", "payload": { "query": "{ viewer { handle } }" } }),
    )
    .await;
    assert_eq!(
        ws.next_json().await["payload"]["data"]["viewer"]["handle"],
        "ivy"
    );
}

#[tokio::test]
async fn sessions_survive_a_restart_of_the_hub() {
    let mut app = TestApp::spawn().await;
    let session = app.register("ana@example.org", "ana").await;
    app.stop().await;
    // The same database (and Redis, if any): an embedded hub keeps sessions in its database.
    let restarted = app.spawn_sibling().await;
    assert_eq!(status_of(&restarted, &session.access_token).await, 200);
    let renewed = restarted.refresh(&session.refresh_token).await;
    let renewed = Session::from_payload(&renewed["data"]["refreshSession"]);
    assert_eq!(status_of(&restarted, &renewed.access_token).await, 200);
}
