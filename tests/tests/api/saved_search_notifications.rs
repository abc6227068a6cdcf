//! A saved search that finds something new tells its owner, every few minutes, as they may read
//! it then: one notification per search, collapsing while unread.

use std::time::Duration;

use khub_tests::{Session, TestApp};
use serde_json::json;

/// Longer than a saved search waits between checks.
const CHECK: Duration = Duration::from_secs(11 * 60);

/// Moves the hub's clock past the next check; `who` signs in afresh (access tokens expire).
async fn after_a_check(app: &TestApp, who: &mut Session) {
    app.clock.advance(CHECK);
    let body = app.refresh(&who.refresh_token).await;
    *who = Session::from_payload(&body["data"]["refreshSession"]);
}

#[tokio::test]
async fn a_saved_search_tells_its_owner_of_new_matches() {
    let app = TestApp::spawn().await;
    let mut ana = app.register("ana@example.org", "ana").await;
    let bob = app.register("bob@example.org", "bob").await;
    let input = json!({ "name": "Winter roads", "query": "gritting" });
    let saved = app
        .mutate(&ana, "saveSearch", input, "savedSearch { id }")
        .await;
    let id = saved["savedSearch"]["id"].clone();
    // Checked once at once (nothing new yet), then after the interval.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    app.clock.advance(Duration::from_secs(60));
    app.published_practice(&bob, "Gritting before the frost")
        .await;
    app.published_practice(&bob, "Gritting cycle lanes").await;
    after_a_check(&app, &mut ana).await;
    let query = "{ viewer { notifications(first: 5, unreadOnly: true) { nodes { kind count savedSearch { id name } } } } }";
    let mut told = json!(null);
    for _ in 0..100 {
        let body = app.graphql_as(&ana.access_token, query, json!({})).await;
        told = body["data"]["viewer"]["notifications"]["nodes"][0].clone();
        if !told.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(told["kind"], "SAVED_SEARCH_MATCH", "{told}");
    assert_eq!(told["count"], 2, "{told}");
    assert_eq!(told["savedSearch"]["id"], id);
    assert_eq!(told["savedSearch"]["name"], "Winter roads");

    // Another match after the next interval collapses into the same unread notification.
    app.clock.advance(Duration::from_secs(1)); // this clock stands still between steps
    app.published_practice(&bob, "Gritting the hills").await;
    after_a_check(&app, &mut ana).await;
    for _ in 0..100 {
        let body = app.graphql_as(&ana.access_token, query, json!({})).await;
        told = body["data"]["viewer"]["notifications"]["nodes"][0].clone();
        if told["count"] == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(told["count"], 3, "{told}");

    // Deleting the search takes its notification away.
    app.mutate(
        &ana,
        "deleteSavedSearch",
        json!({ "savedSearchId": id }),
        "savedSearch { id }",
    )
    .await;
    let (left, unread) = app.notifications(&ana, false).await;
    assert!(left.is_empty() && unread == 0, "{left:?}");
}
