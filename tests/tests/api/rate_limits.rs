//! Query-cost budgets per token and per anonymous client: they trip, and recover when the
//! window ends.

use std::time::Duration;

use khub_tests::TestApp;
use serde_json::{Value, json};

async fn spend(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let body = json!({ "query": "{ __typename }" });
    match token {
        Some(token) => app.post_as(token, &body).await,
        None => app.post(&body).await,
    }
}

fn header(response: &reqwest::Response, name: &str) -> Option<u64> {
    response.headers().get(name)?.to_str().ok()?.parse().ok()
}

#[tokio::test]
async fn the_budget_trips_with_retry_information_and_recovers_in_the_next_window() {
    let app = TestApp::spawn_with(|s| {
        s.sessions.rate_limit_budget = 3;
        s.sessions.rate_limit_window = Duration::from_secs(60);
    })
    .await;
    for remaining in [2, 1, 0] {
        let response = spend(&app, None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "ratelimit-remaining"), Some(remaining));
        assert_eq!(header(&response, "ratelimit-limit"), Some(3));
    }
    let refused = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(json!({ "query": "{ __typename }" }).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 429);
    let retry_after = header(&refused, "retry-after").expect("Retry-After");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    assert_eq!(body["errors"][0]["extensions"]["retryAfter"], retry_after);

    app.clock.advance(Duration::from_secs(retry_after));
    assert_eq!(spend(&app, None).await.status(), 200);
}

#[tokio::test]
async fn each_token_has_a_budget_of_its_own() {
    // Enough for the anonymous registration, which spends the address's own budget.
    let app = TestApp::spawn_with(|s| s.sessions.rate_limit_budget = 20).await;
    let owner = app.register("sol@example.org", "sol").await;
    let (secret, _) = app.create_api_token(&owner, &["READ"]).await;
    for _ in 0..20 {
        assert_eq!(spend(&app, Some(&secret)).await.status(), 200);
    }
    let refused: Value = spend(&app, Some(&secret)).await.json().await.expect("JSON");
    assert_eq!(refused["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    // The owner's own session spends a different budget.
    let session = spend(&app, Some(&owner.access_token)).await;
    let body: Value = session.json().await.expect("JSON");
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn a_costly_query_spends_more_of_the_budget() {
    let app = TestApp::spawn_with(|s| s.sessions.rate_limit_budget = 1_000).await;
    let cheap = spend(&app, None).await;
    let after_cheap = header(&cheap, "ratelimit-remaining").expect("remaining");
    let costly = app
        .post(&json!({ "query": "{ organisations(first: 100) { nodes { name slug } } }" }))
        .await;
    let after_costly = header(&costly, "ratelimit-remaining").expect("remaining");
    assert!(
        after_cheap - after_costly >= 200,
        "{after_cheap} -> {after_costly}"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_budget() {
    let app = TestApp::spawn_with(|s| {
        s.sessions.rate_limit_budget = 1;
        s.trusted_proxy_hops = 1;
    })
    .await;
    let from = |client: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("content-type", "application/json")
            .header("x-forwarded-for", client)
            .body(json!({ "query": "{ __typename }" }).to_string())
            .send()
    };
    assert_eq!(from("203.0.113.1").await.expect("answer").status(), 200);
    assert_eq!(from("203.0.113.2").await.expect("answer").status(), 200);
    assert_eq!(from("203.0.113.1").await.expect("answer").status(), 429);
    // A client cannot escape by prepending addresses of its own.
    assert_eq!(
        from("198.51.100.9, 203.0.113.1")
            .await
            .expect("answer")
            .status(),
        429
    );
}

/// `extensions.cost` of an answer, checked against the answer's `RateLimit-*` headers.
async fn reported_cost(response: reqwest::Response) -> Value {
    let limit = header(&response, "ratelimit-limit");
    let remaining = header(&response, "ratelimit-remaining");
    let reset = header(&response, "ratelimit-reset");
    let body: Value = response.json().await.expect("JSON");
    let cost = body["extensions"]["cost"].clone();
    assert_eq!(cost["limit"].as_u64(), limit, "{body}");
    assert_eq!(cost["remaining"].as_u64(), remaining, "{body}");
    assert_eq!(cost["resetAfterSeconds"].as_u64(), reset, "{body}");
    assert!(
        cost["actual"].as_u64() <= cost["requested"].as_u64(),
        "{body}"
    );
    cost
}

#[tokio::test]
async fn every_answer_reports_its_cost_as_the_headers_do() {
    let app = TestApp::spawn().await;
    let me = app.register("ana@example.org", "ana").await;
    app.create_community(&me, "care", "OPEN").await;
    let list = json!({ "query": "{ communities(first: 50) { nodes { slug name } } }" });

    // Ran, then answered from the read cache: the same cost, the budget spent again.
    let ran = reported_cost(app.post(&list).await).await;
    assert_eq!(
        ran["actual"],
        1 + 1 + 2,
        "one community of the fifty asked for: {ran}"
    );
    assert!(ran["requested"].as_u64() > Some(50), "{ran}");
    let kept = reported_cost(app.post(&list).await).await;
    assert_eq!(
        (&kept["requested"], &kept["actual"]),
        (&ran["requested"], &ran["actual"])
    );
    let spent = ran["remaining"].as_u64().zip(kept["remaining"].as_u64());
    assert_eq!(spent.map(|(a, b)| a - b), ran["requested"].as_u64());

    let signed_in = reported_cost(app.post_as(&me.access_token, &list).await).await;
    assert_eq!(signed_in["actual"], ran["actual"]);
    let mutation =
        json!({ "query": "mutation { markAllNotificationsRead { unreadNotificationCount } }" });
    let wrote = reported_cost(app.post_as(&me.access_token, &mutation).await).await;
    assert!(wrote["requested"].as_u64() >= Some(1), "{wrote}");
}
