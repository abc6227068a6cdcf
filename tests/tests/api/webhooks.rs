//! Webhooks: signed deliveries of what their owner may read, in order, to a real receiver.

use khub_tests::{Receiver, TestApp, error_code, post_id};
use serde_json::json;

#[tokio::test]
async fn replies_are_delivered_in_order_signed_as_standard_webhooks_verify() {
    let app = TestApp::spawn_for_webhooks().await;
    let receiver = Receiver::start().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let (ana, bob) = (&people[0], &people[1]);
    let events = ["THREAD_STARTED", "REPLY_POSTED"];
    let (webhook, secret) = app.webhook(ana, &receiver.url, &events).await;
    assert!(secret.starts_with("whsec_"), "{secret}");

    let (thread, _) = app
        .start_thread(bob, &community, "Bins", "DISCUSSION")
        .await;
    let reply = app.reply(bob, &thread, "Fortnightly works").await;
    app.published_practice_in(bob, "Not subscribed", Some(&community))
        .await;

    let received = receiver.wait_for(2).await;
    let types: Vec<_> = received.iter().map(|r| r.json()["type"].clone()).collect();
    assert_eq!(types, [json!("thread.started"), json!("reply.posted")]);
    for delivery in &received {
        assert!(delivery.verifies_with(&secret), "{delivery:?}");
        assert!(delivery.id.starts_with("msg_"), "{delivery:?}");
        assert!(!delivery.verifies_with(&format!("whsec_{}", "A".repeat(44))));
    }
    let body = received[1].json();
    assert_eq!(body["data"]["postId"], post_id(&reply));
    assert_eq!(body["data"]["threadId"], thread);
    assert_eq!(body["data"]["communityId"], community);
    assert_eq!(body["data"]["authorId"], bob.person_id);
    assert!(body["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')));

    let log = app
        .deliveries_until(ana, &webhook, |log| {
            log.len() == 2 && log.iter().all(|d| d["status"] == "DELIVERED")
        })
        .await;
    assert_eq!(log[0]["event"], "REPLY_POSTED", "newest first: {log:?}");
    assert_eq!(log[0]["responseCode"], 200);
    assert_eq!(log[0]["attempts"], 1);
    assert_eq!(log[0]["messageId"], received[1].id);
    assert!(log[0]["latencyMs"].is_u64() && log[0]["nextAttemptAt"].is_null());
    // The practice was never queued: it was not subscribed to.
    assert_eq!(receiver.received().len(), 2);
}

#[tokio::test]
async fn a_webhook_hears_only_what_its_owner_may_read_and_nothing_pending_or_hidden() {
    let app = TestApp::spawn_for_webhooks().await;
    let receiver = Receiver::start().await;
    let (open, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana"])
        .await;
    let (own, fac, ana) = (&people[0], &people[1], &people[2]);
    let outsider = app.register("eve@example.org", "eve").await;
    let private = app.create_community(own, "inner", "PRIVATE").await;

    let refused = app
        .create_webhook(
            &outsider,
            &receiver.url,
            &["REPLY_POSTED"],
            json!({ "communityId": private }),
        )
        .await;
    assert_eq!(
        refused["userErrors"][0]["field"], "communityId",
        "{refused}"
    );
    assert_eq!(error_code(&refused), "NOT_FOUND");
    let events = ["THREAD_STARTED", "REPLY_POSTED"];
    let (webhook, _) = app.webhook(&outsider, &receiver.url, &events).await;

    // In the private community: never sent to the outsider's webhook.
    app.start_thread(own, &private, "Inner talk", "DISCUSSION")
        .await;
    // A DEBATE thread's replies wait for a facilitator: told once approved.
    let (debate, _) = app.start_thread(fac, &open, "Fees", "DEBATE").await;
    let pending = app.reply(ana, &debate, "Fees should fall").await;
    assert_eq!(pending["post"]["status"], "PENDING", "{pending}");
    let told = receiver.wait_for(1).await;
    assert_eq!(told[0].json()["data"]["threadId"], debate);
    app.moderate(
        fac,
        json!({ "action": "APPROVE", "contentId": post_id(&pending) }),
    )
    .await;
    let told = receiver.wait_for(2).await;
    assert_eq!(told[1].json()["type"], "reply.posted");
    assert_eq!(told[1].json()["data"]["postId"], post_id(&pending));

    // A reply hidden while its delivery waits for a retry is skipped, never sent.
    receiver.answer_with(&[500]);
    let hidden = app.reply(ana, &debate, "Spam spam").await;
    let hidden = post_id(&hidden);
    app.moderate(fac, json!({ "action": "APPROVE", "contentId": hidden }))
        .await;
    app.deliveries_until(&outsider, &webhook, |log| log[0]["responseCode"] == 500)
        .await;
    let hide = json!({ "action": "HIDE", "contentId": hidden, "reason": "Spam" });
    app.moderate(fac, hide).await;
    app.clock.advance(std::time::Duration::from_secs(60));
    let log = app
        .deliveries_until(&outsider, &webhook, |log| log[0]["status"] == "SKIPPED")
        .await;
    assert_eq!(log[0]["attempts"], 1, "{log:?}");
    assert_eq!(log.len(), 3, "no trace of the private community: {log:?}");
}

#[tokio::test]
async fn private_addresses_and_plain_http_in_production_are_refused_and_nothing_is_made() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    for (url, code) in [
        ("http://127.0.0.1:9/hooks", "PRIVATE_ADDRESS"),
        ("http://localhost:9/hooks", "PRIVATE_ADDRESS"),
        ("http://169.254.169.254/latest", "PRIVATE_ADDRESS"),
        ("http://[::1]/hooks", "PRIVATE_ADDRESS"),
        ("https://10.0.0.8/hooks", "PRIVATE_ADDRESS"),
        ("ftp://partner.example/", "INVALID"),
        ("https://user:pw@partner.example/", "INVALID"),
    ] {
        let refused = app
            .create_webhook(&ana, url, &["REPLY_POSTED"], json!({}))
            .await;
        assert_eq!(refused["userErrors"][0]["field"], "url", "{url}: {refused}");
        assert_eq!(error_code(&refused), code, "{url}: {refused}");
        assert!(refused["webhook"].is_null() && refused["secret"].is_null());
    }
    let none = app
        .create_webhook(&ana, "https://partner.example/", &[], json!({}))
        .await;
    assert_eq!(error_code(&none), "REQUIRED", "{none}");
    let listed = app
        .graphql_as(
            &ana.access_token,
            "{ viewer { webhooks { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["viewer"]["webhooks"]["totalCount"], 0,
        "{listed}"
    );

    let strict = TestApp::spawn_with(|s| s.webhooks.https_only = true).await;
    let bob = strict.register("bob@example.org", "bob").await;
    let insecure = strict
        .create_webhook(
            &bob,
            "http://93.184.216.34/hooks",
            &["REPLY_POSTED"],
            json!({}),
        )
        .await;
    assert_eq!(error_code(&insecure), "INSECURE", "{insecure}");
}
