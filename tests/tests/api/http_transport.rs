//! GraphQL over HTTP, per the GraphQL-over-HTTP spec.

use khub_tests::TestApp;
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

async fn post_accepting(app: &TestApp, accept: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", accept)
        .body(body.to_string())
        .send()
        .await
        .expect("answer")
}

async fn error_message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("JSON");
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn a_fresh_hub_answers_typename() {
    let app = TestApp::spawn().await;
    let body = app.graphql("{ __typename }", Value::Null).await;
    assert_eq!(body["data"], json!({ "__typename": "Query" }), "{body}");
    assert_eq!(body["extensions"]["cost"]["actual"], 1, "{body}");
}

#[tokio::test]
async fn the_response_media_type_follows_accept() {
    let app = TestApp::spawn().await;
    let query = json!({ "query": "{ __typename }" });
    let modern = post_accepting(&app, GRAPHQL_RESPONSE, &query).await;
    assert!(content_type(&modern).starts_with(GRAPHQL_RESPONSE));
    let legacy = post_accepting(&app, "application/json", &query).await;
    assert!(content_type(&legacy).starts_with("application/json"));
    let unacceptable = post_accepting(&app, "text/csv", &query).await;
    assert_eq!(unacceptable.status(), 406);
}

#[tokio::test]
async fn parse_and_validation_errors_are_400_without_data_under_graphql_response_json() {
    let app = TestApp::spawn().await;
    for (query, code) in [
        ("{ __typename ", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
    ] {
        let response = post_accepting(&app, GRAPHQL_RESPONSE, &json!({ "query": query })).await;
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.expect("JSON");
        assert!(body.get("data").is_none(), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], code);
    }
}

#[tokio::test]
async fn parse_errors_are_200_under_legacy_json() {
    let app = TestApp::spawn().await;
    let response = post_accepting(&app, "application/json", &json!({ "query": "{" })).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_PARSE_FAILED"
    );
}

#[tokio::test]
async fn a_malformed_json_body_is_a_clear_400() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.expect("JSON");
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("not valid JSON"), "{message}");
    app.graphql("{ __typename }", Value::Null).await;
}

#[tokio::test]
async fn an_unknown_operation_name_is_refused() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": "query A { __typename }", "operationName": "B" });
    let response = post_accepting(&app, GRAPHQL_RESPONSE, &body).await;
    assert_eq!(response.status(), 400);
    assert!(error_message(response).await.contains("`B`"));
}

#[tokio::test]
async fn queries_may_be_sent_with_get() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[
            (
                "query",
                "query Q($x: Int) { __typename organisations(first: $x) { totalCount } }",
            ),
            ("variables", "{\"x\":1}"),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn a_mutation_over_get_is_refused_with_405() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .query(&[("query", "mutation { __typename }")])
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 405);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("POST")
    );
}

#[tokio::test]
async fn bodies_a_browser_can_send_cross_site_are_refused() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": "{ __typename }" }).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .header("content-type", content_type)
            .body(body.clone())
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), 415, "{content_type}");
    }
}

#[tokio::test]
async fn batched_requests_are_refused() {
    let app = TestApp::spawn().await;
    let batch = json!([{ "query": "{ __typename }" }, { "query": "{ __typename }" }]);
    let response = app.post(&batch).await;
    assert_eq!(response.status(), 400);
    assert!(error_message(response).await.contains("batched"));
}

#[tokio::test]
async fn the_playground_is_served_to_browsers() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("text");
    assert!(page.to_lowercase().contains("graphiql"));
    // It opens on the first steps: register, then confirm with the mailed code.
    assert!(page.contains("defaultQuery:") && page.contains("confirmEmail(input:"));
}

#[tokio::test]
async fn the_playground_and_introspection_can_be_turned_off() {
    let app = TestApp::spawn_with(|s| {
        s.playground = false;
        s.introspection = false;
    })
    .await;
    let page = app
        .client
        .get(app.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("answer");
    assert_ne!(page.status(), 200);
    let body = app
        .graphql("{ __schema { queryType { name } } }", Value::Null)
        .await;
    assert_eq!(
        body["errors"][0]["message"],
        "introspection is turned off on this server"
    );
    assert_eq!(
        app.graphql("{ __typename }", Value::Null).await["data"]["__typename"],
        "Query"
    );
}

#[tokio::test]
async fn an_unverifiable_bearer_token_is_refused_not_served_as_anonymous() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", GRAPHQL_RESPONSE)
        .header("authorization", "Bearer forged.token.value")
        .body(json!({ "query": "{ __typename }" }).to_string())
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn subscriptions_over_http_point_to_the_websocket() {
    let app = TestApp::spawn().await;
    let response = post_accepting(
        &app,
        GRAPHQL_RESPONSE,
        &json!({ "query": "subscription { x }" }),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert!(error_message(response).await.contains("/graphql/ws"));
}
