//! The session store and event bus adapters, through their ports, on the configured backend.

use std::time::Duration;

use futures_util::StreamExt;
use khub_domain::ports::{BusDelivery, BusMessage, SessionStore};
use khub_infra::Backends;
use khub_infra::sessions::SqlSessions;
use khub_tests::TestBackend;

/// The adapters over `backend`, its schema migrated as a hub would.
async fn backends(backend: &TestBackend) -> Backends {
    let backends = Backends::connect(&backend.settings())
        .await
        .expect("backends connect");
    backends.database.migrate_up(None).await.expect("migrated");
    backends
}

async fn next_message(stream: &mut khub_domain::ports::BusStream) -> Option<BusDelivery> {
    tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .ok()
        .flatten()
}

#[tokio::test]
async fn the_session_store_keeps_takes_and_counts() {
    let backend = TestBackend::create().await;
    let backends = backends(&backend).await;
    keeps_takes_and_counts(backends.sessions.as_ref(), "configured:").await;
    // The database store too, on whichever database this is (it serves hubs without Redis).
    let database = SqlSessions::new(backends.database.connection().clone());
    keeps_takes_and_counts(&database, "database:").await;
}

async fn keeps_takes_and_counts(sessions: &dyn SessionStore, prefix: &str) {
    let ttl = Duration::from_secs(60);
    let key = |name: &str| format!("{prefix}{name}");
    sessions
        .put(&key("refresh:1"), "family-a", ttl)
        .await
        .expect("put");
    assert_eq!(
        sessions
            .get(&key("refresh:1"))
            .await
            .expect("get")
            .as_deref(),
        Some("family-a")
    );
    assert_eq!(
        sessions
            .take(&key("refresh:1"))
            .await
            .expect("take")
            .as_deref(),
        Some("family-a")
    );
    assert_eq!(sessions.take(&key("refresh:1")).await.expect("take"), None);
    sessions.put(&key("gone"), "x", ttl).await.expect("put");
    sessions.remove(&key("gone")).await.expect("remove");
    assert_eq!(sessions.get(&key("gone")).await.expect("get"), None);
    assert_eq!(
        sessions
            .increment(&key("budget"), 3, ttl)
            .await
            .expect("incr")
            .0,
        3
    );
    let (total, left) = sessions
        .increment(&key("budget"), 4, ttl)
        .await
        .expect("incr");
    assert_eq!(total, 7);
    assert!(left <= ttl && left > Duration::from_secs(50), "{left:?}");
}

#[tokio::test]
async fn two_instances_share_sessions_through_redis_or_the_database() {
    let backend = TestBackend::create().await;
    let (a, b) = (backends(&backend).await, backends(&backend).await);
    a.sessions
        .put("shared", "yes", Duration::from_secs(60))
        .await
        .expect("put");
    let seen = b.sessions.get("shared").await.expect("get");
    assert_eq!(seen.as_deref(), Some("yes"));
    a.sessions
        .add_member("set", "one", Duration::from_secs(60))
        .await
        .expect("add");
    b.sessions
        .add_member("set", "two", Duration::from_secs(60))
        .await
        .expect("add");
    let mut members = a.sessions.members("set").await.expect("members");
    members.sort();
    assert_eq!(members, ["one", "two"]);
    b.sessions
        .remove_member("set", "one")
        .await
        .expect("remove");
    assert_eq!(a.sessions.members("set").await.expect("members"), ["two"]);
}

#[tokio::test]
async fn an_event_reaches_subscribers_of_its_topic_on_every_instance() {
    let backend = TestBackend::create().await;
    let (a, b) = (backends(&backend).await, backends(&backend).await);
    let mut here = a.events.subscribe("thread:1").await.expect("subscribe");
    let mut there = b.events.subscribe("thread:1").await.expect("subscribe");
    let mut elsewhere = a.events.subscribe("thread:2").await.expect("subscribe");
    a.events
        .publish(&["thread:1".to_owned()], b"reply")
        .await
        .expect("publish");
    assert_eq!(
        next_message(&mut here).await,
        Some(BusDelivery::Message(b"reply".to_vec()))
    );
    if backend.has_redis() {
        assert_eq!(
            next_message(&mut there).await,
            Some(BusDelivery::Message(b"reply".to_vec()))
        );
    }
    a.events
        .publish(&["thread:2".to_owned()], b"other")
        .await
        .expect("publish");
    assert_eq!(
        next_message(&mut elsewhere).await,
        Some(BusDelivery::Message(b"other".to_vec()))
    );
}

#[tokio::test]
async fn one_publish_reaches_the_subscribers_of_every_topic_it_names_in_order() {
    let backend = TestBackend::create().await;
    let (a, b) = (backends(&backend).await, backends(&backend).await);
    // Another instance hears it through Redis; the in-process bus only its own.
    let listener = if backend.has_redis() { &b } else { &a };
    let mut all = listener
        .events
        .subscribe("domain")
        .await
        .expect("subscribe");
    let mut thread = listener
        .events
        .subscribe("thread:3")
        .await
        .expect("subscribe");
    let mut unnamed = listener
        .events
        .subscribe("thread:4")
        .await
        .expect("subscribe");
    let topics = ["domain".to_owned(), "thread:3".to_owned()];
    for payload in [b"first", b"again"] {
        a.events.publish(&topics, payload).await.expect("publish");
    }
    for stream in [&mut all, &mut thread] {
        for payload in [b"first", b"again"] {
            let expected = Some(BusDelivery::Message(payload.to_vec()));
            assert_eq!(next_message(stream).await, expected);
        }
    }
    a.events
        .publish(&["thread:4".to_owned()], b"later")
        .await
        .expect("publish");
    assert_eq!(
        next_message(&mut unnamed).await,
        Some(BusDelivery::Message(b"later".to_vec()))
    );
}

#[tokio::test]
async fn a_batch_reaches_the_subscribers_of_each_message_in_order() {
    let backend = TestBackend::create().await;
    let (a, b) = (backends(&backend).await, backends(&backend).await);
    let listener = if backend.has_redis() { &b } else { &a };
    let mut all = listener
        .events
        .subscribe("domain")
        .await
        .expect("subscribe");
    let mut second = listener
        .events
        .subscribe("thread:6")
        .await
        .expect("subscribe");
    let message = |topics: &[&str], payload: &[u8]| BusMessage {
        topics: topics.iter().map(|topic| (*topic).to_owned()).collect(),
        payload: payload.to_vec(),
    };
    a.events.publish_all(&[]).await.expect("an empty batch");
    let batch = [
        message(&["domain", "thread:5"], b"one"),
        message(&["domain", "thread:6"], b"two"),
        message(&["domain"], b"three"),
    ];
    a.events.publish_all(&batch).await.expect("publish a batch");
    for payload in ["one", "two", "three"] {
        let expected = Some(BusDelivery::Message(payload.as_bytes().to_vec()));
        assert_eq!(next_message(&mut all).await, expected);
    }
    assert_eq!(
        next_message(&mut second).await,
        Some(BusDelivery::Message(b"two".to_vec()))
    );
    a.events
        .publish(&["thread:6".to_owned()], b"after")
        .await
        .expect("publish");
    assert_eq!(
        next_message(&mut second).await,
        Some(BusDelivery::Message(b"after".to_vec())),
        "the batch's other messages never reached thread:6"
    );
}

#[tokio::test]
async fn instances_with_different_prefixes_do_not_hear_each_other() {
    let (one, two) = (TestBackend::create().await, TestBackend::create().await);
    let (a, b) = (backends(&one).await, backends(&two).await);
    let mut theirs = b.events.subscribe("t").await.expect("subscribe");
    a.events
        .publish(&["t".to_owned()], b"private")
        .await
        .expect("publish");
    b.events
        .publish(&["t".to_owned()], b"own")
        .await
        .expect("publish");
    assert_eq!(
        next_message(&mut theirs).await,
        Some(BusDelivery::Message(b"own".to_vec()))
    );
}
