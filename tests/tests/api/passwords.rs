//! Forgotten and changed passwords, and a person's sessions.

use khub_tests::{DEFAULT_PASSWORD, Session, TestApp};
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "lantern orchard quietly humming";
const SESSIONS: &str = "{ viewer { sessions { id current client } } }";

async fn status_of(app: &TestApp, session: &Session) -> u16 {
    app.post_as(
        &session.access_token,
        &json!({ "query": "{ viewer { handle } }" }),
    )
    .await
    .status()
    .as_u16()
}

async fn request_reset(app: &TestApp, email: &str) -> Value {
    let query = "mutation R($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { requested userErrors { code } } }";
    app.graphql(query, json!({ "input": { "email": email } }))
        .await["data"]
        .clone()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> Value {
    let query = "mutation R($input: ResetPasswordInput!) { resetPassword(input: $input) { accessToken refreshToken person { id handle } userErrors { field code message } } }";
    let input = json!({ "token": token, "newPassword": password });
    app.graphql(query, json!({ "input": input })).await["data"]["resetPassword"].clone()
}

#[tokio::test]
async fn a_reset_link_arrives_works_once_and_ends_every_session() {
    let app = TestApp::spawn().await;
    let first = app.register("ana@example.org", "ana").await;
    let second =
        Session::from_payload(&app.login_payload("ana@example.org", DEFAULT_PASSWORD).await);

    let unknown = request_reset(&app, "nobody@example.org").await;
    let known = request_reset(&app, "ana@example.org").await;
    assert_eq!(
        unknown, known,
        "the same answer whether or not the address has an account"
    );
    assert!(app.mail_to("nobody@example.org").is_empty());
    let mail = app.last_mail_to("ana@example.org").await;
    assert!(mail.subject.contains("Reset"), "{}", mail.subject);
    assert!(mail.html.contains("reset-password?token="), "{}", mail.html);
    let token = mail.link_token();

    let weak = reset(&app, &token, "aaaaaaaaaaaa").await;
    assert_eq!(weak["userErrors"][0]["code"], "WEAK_PASSWORD");
    assert_eq!(
        status_of(&app, &first).await,
        200,
        "a refused password changes nothing"
    );

    let signed_in = Session::from_payload(&reset(&app, &token, NEW_PASSWORD).await);
    assert_eq!(status_of(&app, &first).await, 401);
    assert_eq!(status_of(&app, &second).await, 401);
    assert_eq!(status_of(&app, &signed_in).await, 200);
    let again = reset(&app, &token, "another fine passphrase here").await;
    assert_eq!(again["userErrors"][0]["code"], "INVALID_TOKEN");
    let old = app.login_payload("ana@example.org", DEFAULT_PASSWORD).await;
    assert_eq!(old["userErrors"][0]["code"], "INVALID_CREDENTIALS");
    let new = app.login_payload("ana@example.org", NEW_PASSWORD).await;
    assert!(new["accessToken"].is_string());
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = TestApp::spawn().await;
    let here = app.register("bo@example.org", "bo-b").await;
    let elsewhere =
        Session::from_payload(&app.login_payload("bo@example.org", DEFAULT_PASSWORD).await);
    let change = |current: &str| json!({ "currentPassword": current, "newPassword": NEW_PASSWORD });
    let wrong = app
        .mutate(
            &here,
            "changePassword",
            change("not my password at all"),
            "changed",
        )
        .await;
    assert_eq!(wrong["userErrors"][0]["field"], "currentPassword");
    assert_eq!(status_of(&app, &elsewhere).await, 200);

    let changed = app
        .mutate(&here, "changePassword", change(DEFAULT_PASSWORD), "changed")
        .await;
    assert_eq!(changed["changed"], true, "{changed}");
    assert_eq!(status_of(&app, &here).await, 200);
    assert_eq!(status_of(&app, &elsewhere).await, 401);
    assert!(app.login_payload("bo@example.org", NEW_PASSWORD).await["accessToken"].is_string());
}

#[tokio::test]
async fn a_person_lists_their_sessions_and_ends_one_or_all_the_others() {
    let app = TestApp::spawn().await;
    let here = app.register("cy@example.org", "cyx").await;
    let phone = Session::from_payload(&app.login_payload("cy@example.org", DEFAULT_PASSWORD).await);
    let laptop =
        Session::from_payload(&app.login_payload("cy@example.org", DEFAULT_PASSWORD).await);

    let listed = app
        .graphql_as(&here.access_token, SESSIONS, Value::Null)
        .await;
    let sessions = listed["data"]["viewer"]["sessions"]
        .as_array()
        .expect("sessions")
        .clone();
    assert_eq!(sessions.len(), 3, "{listed}");
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);

    // Someone else's view of this person shows no sessions.
    let other = app.register("dee@example.org", "dee").await;
    let seen = app
        .graphql_as(
            &other.access_token,
            "{ person(handle: \"cyx\") { sessions { id } } }",
            Value::Null,
        )
        .await;
    assert!(seen["data"]["person"]["sessions"].is_null());
    let theirs = sessions[0]["id"].clone();
    let refused = app
        .mutate(
            &other,
            "endSession",
            json!({ "sessionId": theirs }),
            "ended",
        )
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "NOT_FOUND");

    let phone_id = app
        .graphql_as(&phone.access_token, SESSIONS, Value::Null)
        .await["data"]["viewer"]["sessions"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["current"] == true).cloned())
        .expect("the phone's session")["id"]
        .clone();
    let ended = app
        .mutate(
            &here,
            "endSession",
            json!({ "sessionId": phone_id }),
            "ended",
        )
        .await;
    assert_eq!(ended["ended"], 1, "{ended}");
    assert_eq!(status_of(&app, &phone).await, 401);
    assert_eq!(status_of(&app, &laptop).await, 200);

    let query = "mutation { endOtherSessions { ended } }";
    let others = app.graphql_as(&here.access_token, query, Value::Null).await;
    assert_eq!(others["data"]["endOtherSessions"]["ended"], 1, "{others}");
    assert_eq!(status_of(&app, &laptop).await, 401);
    assert_eq!(status_of(&app, &here).await, 200);
}
