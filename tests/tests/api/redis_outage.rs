//! Losing Redis: readiness says so, and the event bus reconnects when Redis is back.
//! Runs against a private redis-server on a free port, so other tests are undisturbed.

use std::time::Duration;

use futures_util::StreamExt;
use khub_domain::ports::BusDelivery;
use khub_infra::Backends;
use khub_tests::{
    PrivateRedis, Session, TestApp, TestBackend, WsProtocol, free_port, hub_on_private_redis,
};
use serde_json::{Value, json};

#[tokio::test]
async fn the_event_bus_resumes_after_redis_restarts() {
    let backend = TestBackend::create().await;
    if !backend.has_redis() {
        return; // The in-process bus has no Redis to lose.
    }
    let port = free_port();
    let mut redis = PrivateRedis::start(port).expect("redis-server on PATH");
    redis.ready().await;
    let mut settings = backend.settings();
    settings.redis_url = Some(redis.url());
    let hub = Backends::connect(&settings)
        .await
        .expect("backends connect");
    let mut subscription = hub.events.subscribe("thread:9").await.expect("subscribe");

    redis.stop();
    let mut redis = PrivateRedis::start(port).expect("redis-server restarts");
    redis.ready().await;

    // Publish until the listener has reconnected and resubscribed.
    let delivered = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let _ = hub
                .events
                .publish(&["thread:9".to_owned()], b"after restart")
                .await;
            if let Ok(Some(delivery)) =
                tokio::time::timeout(Duration::from_millis(200), subscription.next()).await
            {
                return delivery;
            }
        }
    })
    .await
    .expect("the bus reconnected");
    assert_eq!(delivered, BusDelivery::Message(b"after restart".to_vec()));
    redis.stop();
}

#[tokio::test]
async fn readiness_names_redis_when_it_is_down_and_recovers_when_it_is_back() {
    let Some((mut redis, app)) = hub_on_private_redis().await else {
        return; // Nothing outside the process to lose.
    };
    let port = redis.port;
    let readiness = |app: &TestApp| {
        let request = app.client.get(app.url("/readyz"));
        async move {
            let response = request.send().await.expect("answer");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.expect("JSON"))
        }
    };
    assert_eq!(readiness(&app).await.0, 200);

    redis.stop();
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["components"]["sessions"], "unavailable");
    assert_eq!(body["components"]["database"], "ok");

    let redis = PrivateRedis::start(port).expect("redis-server restarts");
    redis.ready().await;
    let recovered = tokio::time::timeout(Duration::from_secs(15), async {
        while readiness(&app).await.0 != 200 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(recovered.is_ok(), "readiness did not recover");
}

#[tokio::test]
async fn a_live_subscription_survives_a_redis_restart() {
    let Some((mut redis, app)) = hub_on_private_redis().await else {
        return; // Nothing outside the process to lose.
    };
    let port = redis.port;
    let owner = app.register("own@example.org", "own").await;
    let community = app.create_community(&owner, "live", "OPEN").await;
    let (thread, _) = app
        .start_thread(&owner, &community, "Through a restart", "DISCUSSION")
        .await;
    // Sessions live in Redis and die with it; an API token lives in the database.
    let (secret, _) = app
        .create_api_token(&owner, &["READ", "WRITE_CONVERSATIONS"])
        .await;
    let poster = Session {
        access_token: secret,
        ..owner.clone()
    };
    let mut ws = app.live(None).await;
    ws.subscribe_thread("s", &thread).await;
    app.wait_for_subscribers(1).await;

    redis.stop();
    let mut redis = PrivateRedis::start(port).expect("redis-server restarts");
    redis.ready().await;

    let reply = json!({
        "query": "mutation R($input: PostReplyInput!) { postReply(input: $input) { post { id } } }",
        "variables": { "input": { "threadId": thread, "body": "After the restart" } },
    });
    let received = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            // Until the hub has reconnected, a write is refused with 503 and Retry-After.
            let status = app.post_as(&poster.access_token, &reply).await.status();
            assert!(matches!(status.as_u16(), 200 | 503), "{status}");
            if let Some(frame) = ws.next_within(Duration::from_millis(300)).await {
                return frame;
            }
        }
    })
    .await
    .expect("the subscription resumed");
    assert_eq!(
        received["payload"]["data"]["threadEvents"]["post"]["body"], "After the restart",
        "{received}"
    );
    redis.stop();
}

#[tokio::test]
async fn while_redis_is_down_a_signed_in_request_is_told_503_unavailable_and_changes_nothing() {
    let Some((mut redis, app)) = hub_on_private_redis().await else {
        return; // Nothing outside the process to lose.
    };
    let port = redis.port;
    let member = app.register("down@example.org", "down").await;
    let community = app.create_community(&member, "outage", "OPEN").await;
    let (thread, _) = app
        .start_thread(&member, &community, "Through an outage", "DISCUSSION")
        .await;

    redis.stop();
    let reply = json!({
        "query": "mutation R($input: PostReplyInput!) { postReply(input: $input) { post { id } } }",
        "variables": { "input": { "threadId": thread, "body": "Written during the outage" } },
    });
    let response = app.post_as(&member.access_token, &reply).await;
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    let body: Value = response.json().await.expect("JSON");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "UNAVAILABLE", "{body}");
    assert_eq!(error["extensions"]["retryAfter"], 5);

    // Redis comes back without persistence: the session is gone, the reply never happened.
    let redis = PrivateRedis::start(port).expect("redis-server restarts");
    redis.ready().await;
    let read = app
        .graphql(
            "query T($id: ID!) { node(id: $id) { ... on Thread { replyCount } } }",
            json!({ "id": thread }),
        )
        .await;
    assert_eq!(read["data"]["node"]["replyCount"], 0, "{read}");
}

#[tokio::test]
async fn while_redis_is_down_a_signed_in_socket_is_told_to_try_again_not_that_it_is_refused() {
    let Some((mut redis, app)) = hub_on_private_redis().await else {
        return; // Nothing outside the process to lose.
    };
    let member = app.register("socket@example.org", "socket").await;
    redis.stop();

    let mut ws = app.websocket(WsProtocol::TransportWs).await;
    let init = json!({ "authorization": format!("Bearer {}", member.access_token) });
    ws.send(json!({ "type": "connection_init", "payload": init }))
        .await;
    let (code, reason) = ws.closed().await;
    assert_eq!(code, 1013, "{reason}");
    assert!(reason.contains("try again"), "{reason}");
}
