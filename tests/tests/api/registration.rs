//! Joining e-mail first: nobody is signed in, or counts for an organisation, before proving
//! their address; `register` tells nobody who already has an account.

use std::time::Duration;

use khub_domain::organisation::OrganisationKind;
use khub_tests::{DEFAULT_PASSWORD, Session, TestApp};
use serde_json::{Value, json};

fn codes(payload: &Value) -> Vec<&str> {
    payload["userErrors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["code"].as_str()).collect())
        .unwrap_or_default()
}

async fn resend(app: &TestApp, email: &str) -> reqwest::Response {
    let query = "mutation R($input: ResendConfirmationInput!) { resendConfirmation(input: $input) { email userErrors { code } } }";
    app.post(&json!({ "query": query, "variables": { "input": { "email": email } } }))
        .await
}

#[tokio::test]
async fn register_answers_a_new_and_an_existing_address_alike_and_signs_nobody_in() {
    let app = TestApp::spawn().await;
    app.register("owner@example.org", "owner").await;

    let new = app
        .register_payload("newcomer@example.org", "newcomer", DEFAULT_PASSWORD)
        .await;
    let existing = app
        .register_payload("OWNER@example.org", "someone-else", DEFAULT_PASSWORD)
        .await;
    let keys = |payload: &Value| {
        let mut keys: Vec<String> = payload
            .as_object()
            .expect("payload")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&new), keys(&existing));
    assert_eq!(new["userErrors"], json!([]));
    assert_eq!(existing["userErrors"], json!([]));
    assert_eq!(existing["email"], "owner@example.org");
    assert!(new.get("accessToken").is_none() && new["codeExpiresAt"].is_string());

    // The owner is told instead; the newcomer cannot sign in before confirming.
    let told = app.last_mail_to("owner@example.org").await;
    assert!(
        told.text.contains("already has an account"),
        "{}",
        told.text
    );
    let early = app
        .login_payload("newcomer@example.org", DEFAULT_PASSWORD)
        .await;
    assert_eq!(codes(&early), ["INVALID_CREDENTIALS"]);

    let code = app.last_mail_to("newcomer@example.org").await.code();
    let confirmed = app
        .confirm_payload(json!({ "email": "newcomer@example.org", "code": code }))
        .await;
    assert_eq!(confirmed["person"]["handle"], "newcomer");
    let signed_in = app
        .login_payload("newcomer@example.org", DEFAULT_PASSWORD)
        .await;
    assert!(signed_in["accessToken"].is_string(), "{signed_in}");
}

#[tokio::test]
async fn a_code_works_once_and_five_wrong_codes_void_it() {
    let app = TestApp::spawn().await;
    app.register_payload("ana@example.org", "ana", DEFAULT_PASSWORD)
        .await;
    let code = app.last_mail_to("ana@example.org").await.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let refused = app
            .confirm_payload(json!({ "email": "ana@example.org", "code": wrong }))
            .await;
        assert_eq!(codes(&refused), ["INVALID_CODE"]);
    }
    let voided = app
        .confirm_payload(json!({ "email": "ana@example.org", "code": code }))
        .await;
    assert_eq!(
        codes(&voided),
        ["INVALID_CODE"],
        "the right code after five wrong ones"
    );

    app.register_payload("bo@example.org", "bo-b", DEFAULT_PASSWORD)
        .await;
    let code = app.last_mail_to("bo@example.org").await.code();
    let input = json!({ "email": "bo@example.org", "code": code });
    Session::from_payload(&app.confirm_payload(input.clone()).await);
    assert_eq!(codes(&app.confirm_payload(input).await), ["INVALID_CODE"]);
}

#[tokio::test]
async fn the_link_confirms_once_and_a_code_expires_after_thirty_minutes() {
    let app = TestApp::spawn().await;
    app.register_payload("cy@example.org", "cyx", DEFAULT_PASSWORD)
        .await;
    let token = app.last_mail_to("cy@example.org").await.link_token();
    let confirmed = app.confirm_payload(json!({ "token": token })).await;
    assert_eq!(confirmed["person"]["handle"], "cyx");
    let again = app.confirm_payload(json!({ "token": token })).await;
    assert_eq!(codes(&again), ["INVALID_CODE"]);

    app.register_payload("dee@example.org", "dee", DEFAULT_PASSWORD)
        .await;
    let code = app.last_mail_to("dee@example.org").await.code();
    app.clock.advance(Duration::from_secs(31 * 60));
    let late = app
        .confirm_payload(json!({ "email": "dee@example.org", "code": code }))
        .await;
    assert_eq!(codes(&late), ["INVALID_CODE"]);
}

#[tokio::test]
async fn a_resent_code_replaces_the_old_one_and_resending_is_throttled() {
    let app = TestApp::spawn().await;
    app.register_payload("eve@example.org", "eve", DEFAULT_PASSWORD)
        .await;
    let first = app.last_mail_to("eve@example.org").await.code();
    assert_eq!(resend(&app, "eve@example.org").await.status(), 200);
    let mails = app.mail_to("eve@example.org");
    assert_eq!(mails.len(), 2);
    let second = mails[1].code();

    let throttled = resend(&app, "eve@example.org").await;
    assert_eq!(throttled.status(), 429);
    assert!(throttled.headers().contains_key("retry-after"));
    let body: Value = throttled.json().await.expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    // An address nobody registered is answered the same way, and throttled the same way.
    assert_eq!(resend(&app, "nobody@example.org").await.status(), 200);
    assert!(app.mail_to("nobody@example.org").is_empty());

    if first != second {
        let old = app
            .confirm_payload(json!({ "email": "eve@example.org", "code": first }))
            .await;
        assert_eq!(codes(&old), ["INVALID_CODE"]);
    }
    let new = app
        .confirm_payload(json!({ "email": "eve@example.org", "code": second }))
        .await;
    assert_eq!(new["person"]["handle"], "eve");
}

#[tokio::test]
async fn common_and_guessable_passwords_are_refused_with_a_clear_message() {
    let app = TestApp::spawn().await;
    for weak in ["aaaaaaaaaaaa", "password1234", "finn-finn-finn"] {
        let refused = app.register_payload("finn@example.org", "finn", weak).await;
        assert_eq!(refused["userErrors"][0]["field"], "password", "{weak}");
        assert_eq!(refused["userErrors"][0]["code"], "WEAK_PASSWORD", "{weak}");
        let message = refused["userErrors"][0]["message"].as_str().unwrap_or("");
        assert!(
            message.contains("guess") || message.contains("common"),
            "{message}"
        );
    }
    assert!(app.mail_to("finn@example.org").is_empty());
}

#[tokio::test]
async fn a_confirmed_address_joins_the_organisation_of_its_domain() {
    let app = TestApp::spawn().await;
    app.create_organisation(
        "leeds",
        "Leeds",
        OrganisationKind::Council,
        &["leeds.gov.uk"],
    )
    .await;
    let session = app.register("gil@leeds.gov.uk", "gil").await;
    let viewer = app
        .graphql_as(
            &session.access_token,
            "{ viewer { organisation { slug } } }",
            Value::Null,
        )
        .await;
    assert_eq!(viewer["data"]["viewer"]["organisation"]["slug"], "leeds");
}
