//! Safe retries: a mutation sent again with the same `Idempotency-Key` is answered again, not
//! run again; the same key with another body is refused; keys are each requester's own.

use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

async fn keyed(app: &TestApp, who: &Session, key: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {}", who.access_token))
        .header("idempotency-key", key)
        .body(body.to_string())
        .send()
        .await
        .expect("the hub answers")
}

fn replayed(response: &reqwest::Response) -> bool {
    response.headers().get("idempotent-replayed").is_some()
}

fn start(title: &str, community: &str) -> Value {
    let query = "mutation S($input: StartThreadInput!) { startThread(input: $input) { thread { id title } userErrors { code } } }";
    let input = json!({ "communityId": community, "title": title, "body": "Weekly rounds" });
    json!({ "query": query, "variables": { "input": input } })
}

async fn thread_count(app: &TestApp, community: &str) -> Value {
    let counted = app
        .node(
            None,
            community,
            "... on Community { threads { totalCount } }",
        )
        .await;
    counted["threads"]["totalCount"].clone()
}

#[tokio::test]
async fn a_retried_mutation_is_answered_again_and_not_run_again() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let (ana, bob) = (&people[0], &people[1]);
    let body = start("Bin rounds", &community);

    let first = keyed(&app, ana, "retry-0001", &body).await;
    assert!(!replayed(&first));
    let first: Value = first.json().await.expect("JSON");
    let again = keyed(&app, ana, "retry-0001", &body).await;
    assert_eq!(again.status(), 200);
    assert!(replayed(&again), "the second answer is the first, replayed");
    let again: Value = again.json().await.expect("JSON");
    assert_eq!(again, first);
    assert_eq!(thread_count(&app, &community).await, 1);

    let other = keyed(&app, ana, "retry-0001", &start("Other rounds", &community)).await;
    assert_eq!(other.status(), 422);
    let other: Value = other.json().await.expect("JSON");
    assert_eq!(
        other["errors"][0]["extensions"]["code"], "IDEMPOTENCY_KEY_REUSED",
        "{other}"
    );
    assert_eq!(thread_count(&app, &community).await, 1, "nothing ran");

    // Keys are each requester's own: Bob's runs.
    let bobs = keyed(&app, bob, "retry-0001", &body).await;
    assert!(!replayed(&bobs));
    let bobs: Value = bobs.json().await.expect("JSON");
    assert_ne!(
        bobs["data"]["startThread"]["thread"]["id"],
        first["data"]["startThread"]["thread"]["id"]
    );
    assert_eq!(thread_count(&app, &community).await, 2);

    let bad = keyed(&app, ana, "has space", &body).await;
    assert_eq!(bad.status(), 400);
    // Queries are safe to repeat: a key on one changes nothing.
    let query = json!({ "query": "{ __typename }" });
    keyed(&app, ana, "query-key", &query).await;
    assert!(!replayed(&keyed(&app, ana, "query-key", &query).await));
}
