//! Anonymous queries are answered from the read cache until anything is written, on any
//! instance, by any transport.

use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

const FEED: &str = "query Feed($slug: String!) { community(slug: $slug) { name
    threads(first: 20) { nodes { title author { displayName }
    replies(last: 5) { nodes { body author { displayName } } } } } } }";

/// An open community with a thread, started by its owner.
async fn community_with_thread(app: &TestApp) -> (Session, String) {
    let owner = app.register("own@example.org", "own").await;
    let community = app.create_community(&owner, "care", "OPEN").await;
    let (thread, _) = app
        .start_thread(&owner, &community, "Discharge to assess", "DISCUSSION")
        .await;
    (owner, thread)
}

/// The feed's answer (`data`: its cost report differs from one request to the next).
async fn feed(app: &TestApp) -> Value {
    let body = app.graphql(FEED, json!({ "slug": "care" })).await;
    assert!(body.get("errors").is_none(), "{body}");
    assert!(body["extensions"]["cost"].is_object(), "{body}");
    body["data"].clone()
}

fn replies(feed: &Value) -> Vec<String> {
    let nodes = &feed["community"]["threads"]["nodes"][0]["replies"]["nodes"];
    nodes
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|reply| reply["body"].as_str())
        .map(str::to_owned)
        .collect()
}

async fn hits_and_statements(app: &TestApp) -> (u64, u64) {
    (
        app.metric(r#"khub_read_cache_lookups_total{outcome="hit"}"#)
            .await,
        app.metric(r#"khub_db_queries_total{origin="request"}"#)
            .await,
    )
}

#[tokio::test]
async fn an_anonymous_query_runs_once_and_is_then_answered_without_the_database() {
    let app = TestApp::spawn().await;
    community_with_thread(&app).await;
    let first = feed(&app).await;
    let (hits, statements) = hits_and_statements(&app).await;
    assert_eq!(feed(&app).await, first);
    let (hits_after, statements_after) = hits_and_statements(&app).await;
    assert_eq!(hits_after, hits + 1, "answered from the cache");
    // No content is read: with Redis no SQL at all; an embedded hub's session store is its
    // database, where the hit reads the content version and charges the reader's budget.
    let session_store = if app.backend_has_redis() { 0 } else { 2 };
    assert!(
        statements_after - statements <= session_store,
        "{} statements for a cached answer",
        statements_after - statements
    );
}

#[tokio::test]
async fn a_reply_is_in_the_next_anonymous_answer() {
    let app = TestApp::spawn().await;
    let (owner, thread) = community_with_thread(&app).await;
    assert!(replies(&feed(&app).await).is_empty());
    app.reply(&owner, &thread, "Start with the ward rounds.")
        .await;
    assert_eq!(replies(&feed(&app).await), ["Start with the ward rounds."]);
}

#[tokio::test]
async fn a_mutation_over_a_websocket_is_in_the_next_anonymous_answer() {
    let app = TestApp::spawn().await;
    let (owner, thread) = community_with_thread(&app).await;
    assert!(replies(&feed(&app).await).is_empty());
    let mut ws = app.live(Some(&owner)).await;
    let mutation =
        "mutation R($input: PostReplyInput!) { postReply(input: $input) { post { id } } }";
    let input = json!({ "threadId": thread, "body": "Over the socket." });
    ws.send(json!({ "type": "subscribe", "id": "1",
        "payload": { "query": mutation, "variables": { "input": input } } }))
        .await;
    let answer = ws.next_json().await;
    assert_eq!(answer["type"], "next", "{answer}");
    assert_eq!(replies(&feed(&app).await), ["Over the socket."]);
}

#[tokio::test]
async fn a_write_on_one_instance_is_in_the_next_anonymous_answer_of_another() {
    let a = TestApp::spawn().await;
    if !a.backend_has_redis() {
        // Embedded instances share no session store, so there is no second instance to ask.
        return;
    }
    let b = a.spawn_sibling().await;
    let (owner, thread) = community_with_thread(&a).await;
    assert!(replies(&feed(&b).await).is_empty());
    assert!(replies(&feed(&b).await).is_empty(), "kept by b");
    a.reply(&owner, &thread, "Written on a.").await;
    assert_eq!(replies(&feed(&b).await), ["Written on a."]);
}

#[tokio::test]
async fn answers_with_errors_are_not_kept() {
    let app = TestApp::spawn().await;
    let too_many = json!({ "query": "query N($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        "variables": { "ids": vec!["x"; 101] } });
    for _ in 0..2 {
        let body: Value = app.post(&too_many).await.json().await.expect("JSON");
        assert!(body["errors"].is_array(), "{body}");
    }
    assert_eq!(hits_and_statements(&app).await.0, 0);
}

#[tokio::test]
async fn signed_in_readers_are_never_answered_from_the_cache() {
    let app = TestApp::spawn().await;
    let (owner, _) = community_with_thread(&app).await;
    for _ in 0..2 {
        let body = app
            .graphql_as(&owner.access_token, FEED, json!({ "slug": "care" }))
            .await;
        assert!(body.get("errors").is_none(), "{body}");
    }
    assert_eq!(hits_and_statements(&app).await.0, 0);
}

#[tokio::test]
async fn with_no_capacity_nothing_is_kept() {
    let app = TestApp::spawn_with(|s| s.read_cache.capacity_bytes = 0).await;
    community_with_thread(&app).await;
    let first = feed(&app).await;
    assert_eq!(feed(&app).await, first);
    assert!(
        !app.metrics()
            .await
            .contains("khub_read_cache_lookups_total")
    );
}
