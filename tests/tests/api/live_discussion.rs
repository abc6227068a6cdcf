//! Live discussion: subscriptions over websockets, checked when subscribing and for every
//! event, delivered across instances through the event bus.

use std::time::Duration;

use khub_tests::{Session, TestApp, WsClient, WsProtocol};
use serde_json::{Value, json};

/// How long an event may take to arrive.
const WITHIN: Duration = Duration::from_secs(1);
/// How long to wait before concluding nothing is coming.
const QUIET: Duration = Duration::from_millis(700);

async fn open_community(
    app: &TestApp,
    visibility: &str,
    mode: &str,
    handles: &[&str],
) -> (String, Vec<Session>) {
    let mut people = Vec::new();
    for handle in handles {
        people.push(app.register(&format!("{handle}@example.org"), handle).await);
    }
    let input =
        json!({ "name": "Live", "slug": "live", "visibility": visibility, "discussionMode": mode });
    let created = app
        .mutate(&people[0], "createCommunity", input, "community { id }")
        .await;
    let community = created["community"]["id"]
        .as_str()
        .expect("community")
        .to_owned();
    for member in &people[1..] {
        if visibility == "PRIVATE" {
            let invite = json!({ "communityId": community, "personId": member.person_id });
            app.community_mutation(&people[0], "inviteToCommunity", invite)
                .await;
        }
        app.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    (community, people)
}

/// The next event's payload for subscription `id`, within a second.
async fn event(ws: &mut WsClient, id: &str) -> Value {
    let frame = ws
        .next_within(WITHIN)
        .await
        .expect("an event within a second");
    assert_eq!(
        (frame["type"].as_str(), frame["id"].as_str()),
        (Some("next"), Some(id)),
        "{frame}"
    );
    frame["payload"]["data"]["threadEvents"].clone()
}

#[tokio::test]
async fn a_reply_posted_on_one_instance_reaches_a_subscriber_on_another() {
    let a = TestApp::spawn().await;
    // Without Redis each instance has its own in-process bus: embedded hubs run alone.
    let b = match a.backend_has_redis() {
        true => Some(a.spawn_sibling().await),
        false => None,
    };
    let poster = b.as_ref().unwrap_or(&a);
    let (community, people) = open_community(&a, "OPEN", "OPEN", &["own", "ana"]).await;
    let (thread, _) = a
        .start_thread(&people[0], &community, "Live one", "DISCUSSION")
        .await;
    let mut ws = a.live(Some(&people[1])).await;
    ws.subscribe_thread("s1", &thread).await;
    let mut anonymous = a.live(None).await;
    anonymous.subscribe_thread("s2", &thread).await;
    a.wait_for_subscribers(2).await;

    let reply = poster.reply(&people[0], &thread, "Posted elsewhere").await;
    let reply_id = reply["post"]["id"].clone();
    for (client, id) in [(&mut ws, "s1"), (&mut anonymous, "s2")] {
        let received = event(client, id).await;
        assert_eq!(received["kind"], "REPLY_POSTED");
        assert_eq!(received["post"]["id"], reply_id);
        assert_eq!(received["post"]["body"], "Posted elsewhere");
        assert_eq!(received["post"]["author"]["handle"], "own");
    }

    let react = json!({ "postId": reply_id, "reaction": "HELPFUL" });
    poster.mutate(&people[1], "react", react, "active").await;
    let reacted = event(&mut ws, "s1").await;
    assert_eq!(
        (reacted["kind"].as_str(), reacted["reaction"].as_str()),
        (Some("REACTION_CHANGED"), Some("HELPFUL"))
    );
    assert_eq!(reacted["reactionCounts"]["helpful"], 1);
    let lock = json!({ "threadId": thread, "locked": true });
    poster.mutate(&people[0], "lockThread", lock, "").await;
    assert_eq!(event(&mut ws, "s1").await["kind"], "THREAD_LOCKED");
}

#[tokio::test]
async fn an_unauthorized_subscriber_receives_nothing() {
    let app = TestApp::spawn().await;
    let (community, people) = open_community(&app, "PRIVATE", "OPEN", &["own", "mem"]).await;
    let [own, member] = <[Session; 2]>::try_from(people).expect("two");
    let outsider = app.register("out@example.org", "out").await;
    let (thread, _) = app
        .start_thread(&own, &community, "Quiet", "DISCUSSION")
        .await;

    let mut stranger = app.live(Some(&outsider)).await;
    stranger.subscribe_thread("x", &thread).await;
    let refused = stranger.next_within(WITHIN).await.expect("an answer");
    // An execution error: one `next` carrying it, then `complete`.
    assert_eq!(refused["type"], "next", "{refused}");
    assert_eq!(
        refused["payload"]["errors"][0]["extensions"]["code"],
        "NOT_FOUND"
    );
    assert_eq!(stranger.next_json().await["type"], "complete");

    let mut ws = app.live(Some(&member)).await;
    ws.subscribe_thread("m", &thread).await;
    app.wait_for_subscribers(1).await;
    app.reply(&own, &thread, "Members only").await;
    assert_eq!(event(&mut ws, "m").await["post"]["body"], "Members only");

    app.community_mutation(
        &member,
        "leaveCommunity",
        json!({ "communityId": community }),
    )
    .await;
    app.reply(&own, &thread, "After you left").await;
    assert_eq!(
        ws.next_within(QUIET).await,
        None,
        "a former member receives nothing more"
    );
    // Subscribing again is checked again, though the earlier subscription still runs.
    ws.subscribe_thread("m2", &thread).await;
    let refused = ws.next_within(WITHIN).await.expect("an answer");
    assert_eq!(
        (
            refused["id"].as_str(),
            refused["payload"]["errors"][0]["extensions"]["code"].as_str()
        ),
        (Some("m2"), Some("NOT_FOUND")),
        "{refused}"
    );
}

#[tokio::test]
async fn readers_of_the_same_operation_receive_the_same_event_and_leave_independently() {
    let app = TestApp::spawn().await;
    let (community, people) = open_community(&app, "OPEN", "OPEN", &["own"]).await;
    let (thread, _) = app
        .start_thread(&people[0], &community, "Shared", "DISCUSSION")
        .await;
    let mut readers = Vec::new();
    for _ in 0..3 {
        let mut reader = app.live(None).await;
        reader.subscribe_thread("s", &thread).await;
        readers.push(reader);
    }
    app.wait_for_subscribers(3).await;
    app.reply(&people[0], &thread, "For everyone").await;
    let mut received = Vec::new();
    for reader in &mut readers {
        received.push(event(reader, "s").await);
    }
    assert_eq!(received[0]["post"]["body"], "For everyone");
    assert!(received.iter().all(|event| *event == received[0]));

    let [mut leaving, mut staying, _third] =
        <[WsClient; 3]>::try_from(readers).ok().expect("three");
    leaving.send(json!({ "type": "complete", "id": "s" })).await;
    drop(leaving);
    app.wait_for_subscribers_exactly(2).await;
    app.reply(&people[0], &thread, "Still here").await;
    assert_eq!(event(&mut staying, "s").await["post"]["body"], "Still here");
}

#[tokio::test]
async fn a_pending_facilitated_post_reaches_only_facilitators_until_approved() {
    let app = TestApp::spawn().await;
    let (community, people) =
        open_community(&app, "OPEN", "FACILITATED", &["own", "ana", "bob"]).await;
    let [own, ana, bob] = <[Session; 3]>::try_from(people).expect("three");
    let (thread, _) = app
        .start_thread(&own, &community, "Garden waste", "DISCUSSION")
        .await;
    let mut facilitator = app.live(Some(&own)).await;
    facilitator.subscribe_thread("f", &thread).await;
    let mut member = app.live(Some(&bob)).await;
    member.subscribe_thread("m", &thread).await;
    app.wait_for_subscribers(2).await;

    let pending = app.reply(&ana, &thread, "Charge for it").await;
    let seen = event(&mut facilitator, "f").await;
    assert_eq!(
        (seen["kind"].as_str(), seen["post"]["status"].as_str()),
        (Some("REPLY_POSTED"), Some("PENDING"))
    );
    assert_eq!(
        member.next_within(QUIET).await,
        None,
        "members do not see a pending post"
    );

    let approve = json!({ "postId": pending["post"]["id"] });
    app.mutate(&own, "approvePost", approve, "post { status }")
        .await;
    let approved = event(&mut member, "m").await;
    assert_eq!(
        (approved["kind"].as_str(), approved["post"]["body"].as_str()),
        (Some("POST_APPROVED"), Some("Charge for it"))
    );
}

#[tokio::test]
async fn the_legacy_subprotocol_delivers_thread_events() {
    let app = TestApp::spawn().await;
    let (community, people) = open_community(&app, "OPEN", "OPEN", &["own"]).await;
    let (thread, _) = app
        .start_thread(&people[0], &community, "Old clients", "DISCUSSION")
        .await;
    let mut ws = app.websocket(WsProtocol::Legacy).await;
    ws.send(json!({ "type": "connection_init", "payload": {} }))
        .await;
    assert_eq!(ws.next_json().await["type"], "connection_ack");
    let query = "subscription S($t: ID!) { threadEvents(threadId: $t) { kind post { body } } }";
    ws.send(json!({ "type": "start", "id": "1", "payload": { "query": query, "variables": { "t": thread } } }))
        .await;
    app.wait_for_subscribers(1).await;
    app.reply(&people[0], &thread, "Still works").await;
    let frame = ws.next_within(WITHIN).await.expect("an event");
    assert_eq!(frame["type"], "data", "{frame}");
    assert_eq!(
        frame["payload"]["data"]["threadEvents"],
        json!({ "kind": "REPLY_POSTED", "post": { "body": "Still works" } })
    );
}

#[tokio::test]
async fn community_activity_announces_threads_and_practices() {
    let app = TestApp::spawn().await;
    let (community, people) = open_community(&app, "OPEN", "OPEN", &["own"]).await;
    let mut ws = app.live(None).await;
    let query = "subscription S($c: ID!) { communityActivity(communityId: $c) { kind thread { title } practice { title } } }";
    ws.send(json!({ "type": "subscribe", "id": "c", "payload": { "query": query, "variables": { "c": community } } }))
        .await;
    app.wait_for_subscribers(1).await;
    app.start_thread(&people[0], &community, "Fresh thread", "DISCUSSION")
        .await;
    app.published_practice_in(&people[0], "Fresh practice", Some(&community))
        .await;
    let mut kinds = Vec::new();
    for _ in 0..2 {
        let frame = ws.next_within(WITHIN).await.expect("an event");
        kinds.push(frame["payload"]["data"]["communityActivity"].clone());
    }
    assert_eq!(
        kinds,
        [
            json!({ "kind": "THREAD_STARTED", "thread": { "title": "Fresh thread" }, "practice": null }),
            json!({ "kind": "PRACTICE_PUBLISHED", "thread": null, "practice": { "title": "Fresh practice" } }),
        ]
    );
}
