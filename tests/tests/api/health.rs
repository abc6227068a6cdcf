use std::time::{Duration, Instant};

use khub_tests::TestApp;
use serde_json::Value;

#[tokio::test]
async fn the_hub_is_alive_and_ready_with_every_component_reachable() {
    let app = TestApp::spawn().await;
    let alive = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("answer");
    assert_eq!(alive.status(), 200);
    let ready = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("answer");
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.expect("JSON");
    for component in ["database", "sessions", "events"] {
        assert_eq!(body["components"][component], "ok", "{component}");
    }
}

#[tokio::test]
async fn metrics_count_operations_by_name_and_report_the_pool_and_websockets() {
    let app = TestApp::spawn().await;
    app.graphql("query Probe { __typename }", Value::Null).await;
    let text = app.metrics().await;
    assert!(
        text.contains(
            r#"khub_graphql_requests_total{operation="Probe",kind="query",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("khub_graphql_request_duration_seconds_bucket"));
    assert!(text.contains("khub_websocket_connections 0"));
    assert!(text.contains("khub_db_pool_max_connections 5"));
}

#[tokio::test]
async fn statements_of_background_work_are_counted_apart_from_requests() {
    const REQUESTS: &str = r#"khub_db_queries_total{origin="request"}"#;
    const BACKGROUND: &str = r#"khub_db_queries_total{origin="background"}"#;
    let app = TestApp::spawn().await;
    let (requests, background) = (app.metric(REQUESTS).await, app.metric(BACKGROUND).await);
    // The outbox's consumers look for events at least every 250 ms, unasked.
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.metric(BACKGROUND).await == background {
        assert!(Instant::now() < deadline, "no background statement counted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.metric(REQUESTS).await, requests, "no request ran");
    app.graphql("{ communities(first: 1) { nodes { id } } }", Value::Null)
        .await;
    assert!(app.metric(REQUESTS).await > requests);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("answer");
    let id = response.headers().get("x-request-id").expect("request id");
    assert!(!id.is_empty());
}

#[tokio::test]
async fn khub_health_answers_for_a_running_hub_and_fails_for_none() {
    let app = TestApp::spawn().await;
    let bind: std::net::SocketAddr = format!("0.0.0.0:{}", app.port).parse().expect("address");
    khub_api::cli::health::check(bind, false)
        .await
        .expect("alive");
    khub_api::cli::health::check(bind, true)
        .await
        .expect("ready");
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let closed = nobody.local_addr().expect("address");
    drop(nobody);
    assert!(khub_api::cli::health::check(closed, false).await.is_err());
}
