//! Events are never lost: a change records its events in its own transaction, and the outbox
//! relay hands them on after commit, however late, exactly once to each live subscriber.

use std::time::Duration;

use khub_tests::{TestApp, hub_on_private_redis};
use serde_json::Value;

/// A thread in an open community, and a live subscriber to it on `app`.
async fn watched_thread(app: &TestApp) -> (khub_tests::Session, String, khub_tests::WsClient) {
    let owner = app.register("own@example.org", "own").await;
    let community = app.create_community(&owner, "kept", "OPEN").await;
    let (thread, _) = app
        .start_thread(&owner, &community, "Nothing lost", "DISCUSSION")
        .await;
    let mut ws = app.live(None).await;
    ws.subscribe_thread("s", &thread).await;
    app.wait_for_subscribers(1).await;
    (owner, thread, ws)
}

fn body_of(frame: &Value) -> &Value {
    &frame["payload"]["data"]["threadEvents"]["post"]["body"]
}

/// Redis refusing PUBLISH after the reply committed stands for Redis lost between the commit
/// and the relay: every other command keeps working, so the write itself succeeds (with Redis
/// stopped, it would be refused with 503 before it ran: sessions and budgets live there).
#[tokio::test]
async fn an_event_the_bus_refused_reaches_live_subscribers_once_it_accepts_again() {
    let Some((redis, app)) = hub_on_private_redis().await else {
        return; // The in-process bus cannot refuse.
    };
    let (owner, thread, mut ws) = watched_thread(&app).await;

    redis.allow_publish(false).await;
    let reply = app
        .reply(&owner, &thread, "Written while the bus refused")
        .await;
    assert_eq!(reply["post"]["status"], "APPROVED", "{reply}");
    assert!(
        ws.next_within(Duration::from_millis(800)).await.is_none(),
        "nothing can be relayed yet"
    );

    redis.allow_publish(true).await;
    let frame = ws
        .next_within(Duration::from_secs(15))
        .await
        .expect("the event was relayed once the bus accepted it");
    assert_eq!(body_of(&frame), "Written while the bus refused", "{frame}");
    assert!(
        ws.next_within(Duration::from_millis(800)).await.is_none(),
        "relayed exactly once"
    );
}

/// A hub that commits but does not relay (as one killed between the two) leaves its events in
/// the outbox; the next hub to start relays them.
#[tokio::test]
async fn events_a_stopped_hub_left_are_relayed_by_the_next_to_start() {
    let first = TestApp::spawn_with(|s| s.relay_events = false).await;
    if !first.backend_has_redis() {
        return; // In-process events cannot reach another process's subscribers.
    }
    let (owner, thread, mut ws) = watched_thread(&first).await;
    first.reply(&owner, &thread, "Committed, not relayed").await;
    assert!(
        ws.next_within(Duration::from_millis(800)).await.is_none(),
        "no instance relays yet"
    );

    let _next = first.spawn_sibling_with(|s| s.relay_events = true).await;
    let frame = ws
        .next_within(Duration::from_secs(10))
        .await
        .expect("the next hub relayed the waiting event");
    assert_eq!(body_of(&frame), "Committed, not relayed", "{frame}");
}
