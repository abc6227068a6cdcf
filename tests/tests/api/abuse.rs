//! Abusive requests get a clear GraphQL error and the hub keeps serving.

use khub_tests::TestApp;
use serde_json::{Value, json};

async fn still_serving(app: &TestApp) {
    let body = app.graphql("{ __typename }", Value::Null).await;
    assert_eq!(body["data"]["__typename"], "Query");
}

fn first_error(body: &Value) -> (&str, &str) {
    let error = &body["errors"][0];
    (
        error["message"].as_str().unwrap_or(""),
        error["extensions"]["code"].as_str().unwrap_or(""),
    )
}

#[tokio::test]
async fn a_ten_thousand_deep_query_is_refused() {
    let app = TestApp::spawn().await;
    let query = format!("{}{}", "{ a ".repeat(10_000), "}".repeat(10_000));
    let response = app.post(&json!({ "query": query })).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    let (message, code) = first_error(&body);
    assert!(message.contains("nests deeper"), "{message}");
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
    still_serving(&app).await;
}

#[tokio::test]
async fn a_five_megabyte_body_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let padding = "x".repeat(5 * 1024 * 1024);
    let response = app
        .post(&json!({ "query": "{ __typename }", "extensions": { "padding": padding } }))
        .await;
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.expect("JSON");
    assert!(first_error(&body).0.contains("larger than"));
    still_serving(&app).await;
}

#[tokio::test]
async fn a_query_deeper_than_the_limit_is_refused() {
    let app = TestApp::spawn_with(|s| s.limits.max_depth = 3).await;
    let query = "{ organisations { edges { node { name } } } }";
    let body = app.graphql(query, Value::Null).await;
    assert!(body.get("data").is_none(), "{body}");
    assert!(first_error(&body).0.contains("nested too deep"), "{body}");
}

#[tokio::test]
async fn a_query_more_complex_than_the_limit_is_refused() {
    let app = TestApp::spawn_with(|s| s.limits.max_complexity = 10).await;
    let query =
        "{ organisations(first: 100) { nodes { id slug name kind verifiedDomains createdAt } } }";
    let body = app.graphql(query, Value::Null).await;
    assert!(
        first_error(&body).0.to_lowercase().contains("complex"),
        "{body}"
    );
}

#[tokio::test]
async fn too_many_aliases_are_refused() {
    let app = TestApp::spawn().await;
    let aliases: String = (0..31).map(|i| format!("a{i}: __typename ")).collect();
    let body = app.graphql(&format!("{{ {aliases} }}"), Value::Null).await;
    assert!(first_error(&body).0.contains("aliases"), "{body}");
}

#[tokio::test]
async fn circular_introspection_is_refused() {
    let app = TestApp::spawn().await;
    let query =
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    let body = app.graphql(query, Value::Null).await;
    assert_eq!(first_error(&body).0, "Maximum introspection depth exceeded");
}

#[tokio::test]
async fn the_playgrounds_introspection_query_keeps_working() {
    let app = TestApp::spawn().await;
    let query = include_str!("../../fixtures/introspection.graphql");
    let body = app.graphql(query, Value::Null).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
}
