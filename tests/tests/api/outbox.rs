//! Events are never lost: a change records its events in its own transaction, and the outbox
//! relay hands them on after commit, however late: live subscribers hear each once, and the
//! notifications it makes are written.

use std::time::Duration;

use khub_tests::{Session, TestApp, WsClient, hub_on_private_redis};
use serde_json::Value;

/// A thread Ana started in an open community Bob belongs to, and an anonymous live subscriber
/// to it on `app`.
async fn watched_thread(app: &TestApp) -> (Session, Session, String, WsClient) {
    let (community, mut people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let (thread, _) = app
        .start_thread(&people[0], &community, "Nothing lost", "DISCUSSION")
        .await;
    let mut ws = app.live(None).await;
    ws.subscribe_thread("s", &thread).await;
    app.wait_for_subscribers(1).await;
    let bob = people.remove(1);
    (people.remove(0), bob, thread, ws)
}

fn body_of(frame: &Value) -> &Value {
    &frame["payload"]["data"]["threadEvents"]["post"]["body"]
}

/// Redis refusing PUBLISH after the reply committed stands for Redis lost between the commit
/// and the relay: every other command keeps working, so the write itself succeeds (with Redis
/// stopped, it would be refused with 503 before it ran: sessions and budgets live there).
#[tokio::test]
async fn an_event_the_bus_refused_reaches_subscribers_once_it_accepts_again_and_notifies_meanwhile()
{
    let Some((redis, app)) = hub_on_private_redis().await else {
        return; // The in-process bus cannot refuse.
    };
    let (ana, bob, thread, mut ws) = watched_thread(&app).await;
    app.clear_notifications(&ana, 1).await;

    redis.allow_publish(false).await;
    let reply = app
        .reply(&bob, &thread, "Written while the bus refused")
        .await;
    assert_eq!(reply["post"]["status"], "APPROVED", "{reply}");
    assert!(
        ws.next_within(Duration::from_millis(800)).await.is_none(),
        "nothing can be relayed yet"
    );
    // Notifications are written apart from the relay: they do not wait for the bus.
    let told = app.unread_notifications(&ana, 1).await;
    assert_eq!(told[0]["kind"], "REPLIED");

    redis.allow_publish(true).await;
    let frame = ws
        .next_within(Duration::from_secs(15))
        .await
        .expect("the event was relayed once the bus accepted it");
    assert_eq!(body_of(&frame), "Written while the bus refused", "{frame}");
    assert_eq!(app.notifications(&ana, true).await.1, 1, "notified once");
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
    let (ana, bob, thread, mut ws) = watched_thread(&first).await;
    first.reply(&bob, &thread, "Committed, not relayed").await;
    assert!(
        ws.next_within(Duration::from_millis(800)).await.is_none(),
        "no instance relays yet"
    );
    assert_eq!(first.notifications(&ana, true).await.1, 0);

    let _next = first.spawn_sibling_with(|s| s.relay_events = true).await;
    // Her Facilitator badge (for founding the community) waited too.
    let told = first.unread_notifications(&ana, 2).await;
    let reply = told
        .iter()
        .find(|n| n["kind"] == "REPLIED")
        .expect("told of the reply");
    assert_eq!(reply["post"]["body"], "Committed, not relayed");
    if first.backend_has_redis() {
        // In-process events cannot reach another process's subscribers.
        let frame = ws
            .next_within(Duration::from_secs(10))
            .await
            .expect("the next hub relayed the waiting event");
        assert_eq!(body_of(&frame), "Committed, not relayed", "{frame}");
    }
}

/// Replies relayed in one pass reach a thread's watchers as one write (the relay merges them),
/// and still as each would have: counted for everyone but their own, the latest shown, and the
/// thread's author told REPLIED rather than THREAD_ACTIVITY as well.
#[tokio::test]
async fn replies_relayed_in_one_pass_are_counted_for_each_watcher_as_if_relayed_one_by_one() {
    let first = TestApp::spawn_with(|s| s.relay_events = false).await;
    let (community, people) = first
        .community_with_members("OPEN", &["ana", "bob", "cyd", "dee", "eve"])
        .await;
    let [ana, bob, cy, dee, eve] = [0, 1, 2, 3, 4].map(|i| &people[i]);
    let (thread, _) = first
        .start_thread(ana, &community, "One pass", "DISCUSSION")
        .await;
    first.watch_thread(dee, &thread, "WATCHING").await;
    first.watch_thread(eve, &thread, "WATCHING").await;
    for (who, body) in [(bob, "One"), (cy, "Two"), (bob, "Three"), (dee, "Four")] {
        first.reply(who, &thread, body).await;
    }

    let _relay = first.spawn_sibling_with(|s| s.relay_events = true).await;
    let activity = |told: &[Value]| {
        told.iter()
            .find(|n| n["kind"] == "THREAD_ACTIVITY")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let eves = first
        .unread_notifications_when(eve, 1, |told| activity(told)["count"] == 4)
        .await;
    let eves = activity(&eves);
    assert_eq!(eves["actor"]["handle"], "dee");
    assert_eq!(eves["post"]["body"], "Four");

    let dees = activity(&first.unread_notifications(dee, 1).await);
    assert_eq!(dees["count"], 3, "all but her own: {dees}");
    assert_eq!(dees["actor"]["handle"], "bob");
    assert_eq!(dees["post"]["body"], "Three");

    let anas = first.unread_notifications(ana, 2).await; // and her Facilitator badge
    assert_eq!(activity(&anas), Value::Null, "{anas:?}");
    let replied = anas
        .iter()
        .find(|n| n["kind"] == "REPLIED")
        .expect("REPLIED");
    assert_eq!(replied["count"], 4);
    assert_eq!(replied["post"]["body"], "Four");
}
