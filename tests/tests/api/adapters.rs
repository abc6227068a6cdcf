//! The session store and event bus adapters, through their ports, on the configured backend.

use std::time::Duration;

use futures_util::StreamExt;
use khub_domain::ports::BusDelivery;
use khub_infra::Backends;
use khub_tests::TestBackend;

async fn backends(backend: &TestBackend) -> Backends {
    Backends::connect(&backend.settings())
        .await
        .expect("backends connect")
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
    let sessions = backends(&backend).await.sessions;
    let ttl = Duration::from_secs(60);
    sessions
        .put("refresh:1", "family-a", ttl)
        .await
        .expect("put");
    assert_eq!(
        sessions.get("refresh:1").await.expect("get").as_deref(),
        Some("family-a")
    );
    assert_eq!(
        sessions.take("refresh:1").await.expect("take").as_deref(),
        Some("family-a")
    );
    assert_eq!(sessions.take("refresh:1").await.expect("take"), None);
    sessions.put("gone", "x", ttl).await.expect("put");
    sessions.remove("gone").await.expect("remove");
    assert_eq!(sessions.get("gone").await.expect("get"), None);
    assert_eq!(
        sessions.increment("budget", 3, ttl).await.expect("incr").0,
        3
    );
    let (total, left) = sessions.increment("budget", 4, ttl).await.expect("incr");
    assert_eq!(total, 7);
    assert!(left <= ttl && left > Duration::from_secs(50), "{left:?}");
}

#[tokio::test]
async fn two_instances_share_sessions_when_redis_is_configured() {
    let backend = TestBackend::create().await;
    let (a, b) = (backends(&backend).await, backends(&backend).await);
    a.sessions
        .put("shared", "yes", Duration::from_secs(60))
        .await
        .expect("put");
    let seen = b.sessions.get("shared").await.expect("get");
    let expected = backend.has_redis().then(|| "yes".to_owned());
    assert_eq!(seen, expected);
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
