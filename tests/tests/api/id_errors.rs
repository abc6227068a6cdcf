//! Bad ids and bad credentials are told apart from missing things: an id of the wrong shape or
//! type names the argument and the type it expects, a wrong `Authorization` scheme is told to
//! use `Bearer`, and a spent refresh token says so.

use khub_tests::TestApp;
use serde_json::{Value, json};

fn error(body: &Value) -> (&str, &str) {
    (
        body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or(""),
        body["errors"][0]["message"].as_str().unwrap_or(""),
    )
}

#[tokio::test]
async fn an_id_of_the_wrong_shape_or_type_names_the_argument_and_the_type_expected() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    app.create_community(&ana, "bins", "OPEN").await;

    let slug = app
        .graphql(
            "{ leaderboard(communityId: \"bins\") { points } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        error(&slug),
        ("BAD_USER_INPUT", "communityId: expected a Community id")
    );
    // A person's id where a community's is expected.
    let join = json!({ "communityId": ana.person_id });
    let wrong_type = app.mutate(&ana, "joinCommunity", join, "").await;
    assert_eq!(
        error(&wrong_type),
        ("BAD_USER_INPUT", "communityId: expected a Community id"),
        "{wrong_type}"
    );
    let reply = json!({ "threadId": "not-an-id", "body": "Hello" });
    let malformed = app.mutate(&ana, "postReply", reply, "post { id }").await;
    assert_eq!(
        error(&malformed),
        ("BAD_USER_INPUT", "threadId: expected a Thread id"),
        "{malformed}"
    );

    let mut ws = app.live(None).await;
    let query = "subscription { threadEvents(threadId: \"bins\") { kind } }";
    ws.send(json!({ "type": "subscribe", "id": "1", "payload": { "query": query } }))
        .await;
    let refused = ws.next_json().await;
    let message = refused["payload"][0]["message"]
        .as_str()
        .or(refused["payload"]["errors"][0]["message"].as_str())
        .unwrap_or_default();
    assert_eq!(message, "threadId: expected a Thread id", "{refused}");
}

#[tokio::test]
async fn another_authorization_scheme_is_told_to_use_bearer() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("authorization", "Basic YW5hOnNlY3JldA==")
        .body(json!({ "query": "{ viewer { handle } }" }).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("json");
    let (code, message) = error(&body);
    assert_eq!(code, "UNAUTHENTICATED");
    assert!(
        message.contains("`Basic`") && message.contains("Bearer"),
        "{message}"
    );
}

#[tokio::test]
async fn a_spent_refresh_token_says_the_session_has_ended() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    app.refresh(&ana.refresh_token).await;
    let spent = app.refresh(&ana.refresh_token).await;
    let (code, message) = error(&spent);
    assert_eq!(code, "UNAUTHENTICATED");
    assert!(
        message.contains("refresh token") && message.contains("sign in again"),
        "{message}"
    );
    let unknown = app.refresh("never-issued").await;
    assert_eq!(error(&unknown).0, "UNAUTHENTICATED");
}
