//! Sign-in throttling: per account (five failures lock it, with a growing back-off, whatever
//! the next password) and per client address.

use std::time::Duration;

use khub_tests::{DEFAULT_PASSWORD, TestApp};
use serde_json::{Value, json};

const LOGIN: &str =
    "mutation L($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }";

/// Signs in and returns the status, the `Retry-After` header and the body.
async fn login(app: &TestApp, email: &str, password: &str) -> (u16, Option<u64>, Value) {
    let body = json!({ "query": LOGIN, "variables": { "input": { "email": email, "password": password } } });
    let response = app.post(&body).await;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (status, retry_after, response.json().await.expect("json"))
}

#[tokio::test]
async fn the_sixth_wrong_password_is_refused_with_429_and_so_is_the_right_one_until_the_back_off_passes()
 {
    let app = TestApp::spawn().await;
    app.register("ana@example.org", "ana").await;
    for _ in 0..5 {
        let (status, _, body) = login(&app, "ana@example.org", "not the password at all").await;
        assert_eq!(status, 200);
        assert_eq!(
            body["data"]["login"]["userErrors"][0]["code"],
            "INVALID_CREDENTIALS"
        );
    }
    for password in ["still not the password", DEFAULT_PASSWORD] {
        let (status, retry_after, body) = login(&app, "ana@example.org", password).await;
        assert_eq!(status, 429, "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
        assert!(
            retry_after.is_some_and(|secs| (1..=60).contains(&secs)),
            "{retry_after:?}"
        );
    }
    // An address with no account is locked alike: nothing tells the two apart.
    for _ in 0..5 {
        login(&app, "nobody@example.org", "not the password at all").await;
    }
    assert_eq!(
        login(&app, "nobody@example.org", "anything at all").await.0,
        429
    );

    app.clock.advance(Duration::from_secs(61));
    // The next failure doubles the back-off.
    let (status, _, _) = login(&app, "ana@example.org", "wrong again, sadly").await;
    assert_eq!(status, 200);
    let (status, retry_after, _) = login(&app, "ana@example.org", DEFAULT_PASSWORD).await;
    assert_eq!(status, 429);
    assert!(retry_after.is_some_and(|secs| secs > 60), "{retry_after:?}");
    app.clock.advance(Duration::from_secs(121));
    let (status, _, body) = login(&app, "ana@example.org", DEFAULT_PASSWORD).await;
    assert_eq!(status, 200);
    assert!(body["data"]["login"]["accessToken"].is_string(), "{body}");
}

#[tokio::test]
async fn one_address_has_a_budget_of_attempts_across_sign_in_registration_and_resets() {
    let app = TestApp::spawn_with(|s| s.throttle.address_attempts = 3).await;
    let reset = json!({
        "query": "mutation R($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) { requested } }",
        "variables": { "input": { "email": "someone@example.org" } },
    });
    assert_eq!(app.post(&reset).await.status(), 200);
    assert_eq!(
        login(&app, "a@example.org", "whatever it may be").await.0,
        200
    );
    let registered = app
        .register_payload("b@example.org", "bee", DEFAULT_PASSWORD)
        .await;
    assert_eq!(registered["userErrors"], json!([]));
    let (status, retry_after, body) = login(&app, "c@example.org", "whatever it may be").await;
    assert_eq!(status, 429, "{body}");
    assert!(retry_after.is_some());
}
