//! Failed deliveries: retried with back-off, in order, redelivered on request; a webhook that
//! fails for three days is disabled and its creator told.

use std::time::Duration;

use khub_tests::{DEFAULT_PASSWORD, Receiver, Session, TestApp};
use serde_json::{Value, json};

/// A fresh session: days on the hub's clock outlive access tokens.
async fn signed_in(app: &TestApp, handle: &str) -> Session {
    let email = format!("{handle}@example.org");
    Session::from_payload(&app.login_payload(&email, DEFAULT_PASSWORD).await)
}

fn statuses(log: &[Value]) -> Vec<&str> {
    log.iter().filter_map(|d| d["status"].as_str()).collect()
}

#[tokio::test]
async fn failures_are_retried_with_back_off_in_order_and_can_be_redelivered() {
    let app = TestApp::spawn_for_webhooks().await;
    let receiver = Receiver::start().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let (ana, bob) = (&people[0], &people[1]);
    let (webhook, secret) = app.webhook(ana, &receiver.url, &["REPLY_POSTED"]).await;
    let (thread, _) = app
        .start_thread(bob, &community, "Bins", "DISCUSSION")
        .await;

    receiver.answer_with(&[500, 503]);
    app.reply(bob, &thread, "First").await;
    let log = app
        .deliveries_until(ana, &webhook, |log| {
            log.first().is_some_and(|d| d["attempts"] == 1)
        })
        .await;
    assert_eq!(log[0]["status"], "PENDING");
    assert_eq!(log[0]["responseCode"], 500);
    assert!(log[0]["nextAttemptAt"].is_string(), "{log:?}");
    // A later reply waits behind the first: a webhook hears of events in order.
    app.reply(bob, &thread, "Second").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.received().len(), 1, "nothing overtakes a retry");

    // About 5 s after the first failure (spread by a fifth), then about 20 s after the second.
    app.clock.advance(Duration::from_secs(7));
    app.deliveries_until(ana, &webhook, |log| {
        log.last().is_some_and(|d| d["attempts"] == 2)
    })
    .await;
    app.clock.advance(Duration::from_secs(25));
    let log = app
        .deliveries_until(ana, &webhook, |log| {
            statuses(log) == ["DELIVERED", "DELIVERED"]
        })
        .await;
    assert_eq!(log[1]["attempts"], 3, "{log:?}");
    let codes: Vec<_> = log[1]["attemptLog"]
        .as_array()
        .expect("attempts")
        .iter()
        .map(|a| (a["number"].clone(), a["responseCode"].clone()))
        .collect();
    assert_eq!(
        codes,
        [
            (json!(1), json!(500)),
            (json!(2), json!(503)),
            (json!(3), json!(200))
        ]
    );
    let received = receiver.received();
    let bodies: Vec<_> = received
        .iter()
        .map(|r| r.json()["data"]["postId"].clone())
        .collect();
    assert_eq!(bodies.len(), 4, "three attempts, then the second reply");
    assert!(bodies[0] == bodies[1] && bodies[1] == bodies[2] && bodies[2] != bodies[3]);
    assert!(
        received[0].id == received[2].id,
        "one message id for every attempt"
    );
    assert!(
        received[2].timestamp != received[0].timestamp,
        "each attempt signed afresh"
    );
    assert!(received.iter().all(|r| r.verifies_with(&secret)));

    // Redelivered on request: the same message again, newest in the log.
    let first = log[1]["id"].clone();
    let again = app
        .mutate(
            ana,
            "redeliverWebhook",
            json!({ "deliveryId": first }),
            "delivery { status messageId }",
        )
        .await;
    assert_eq!(again["delivery"]["status"], "PENDING", "{again}");
    let received = receiver.wait_for(5).await;
    assert_eq!(received[4].id, received[0].id);
    assert_eq!(again["delivery"]["messageId"], received[0].id);
}

#[tokio::test]
async fn a_receiver_that_is_down_is_retried_until_it_is_up() {
    let app = TestApp::spawn_for_webhooks().await;
    let port = Receiver::free_port().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let (ana, bob) = (&people[0], &people[1]);
    let url = format!("http://127.0.0.1:{port}/hooks");
    let (webhook, secret) = app.webhook(ana, &url, &["THREAD_STARTED"]).await;

    app.start_thread(bob, &community, "Anyone there?", "DISCUSSION")
        .await;
    let log = app
        .deliveries_until(ana, &webhook, |log| {
            log.first().is_some_and(|d| d["attempts"] == 1)
        })
        .await;
    assert!(log[0]["responseCode"].is_null(), "{log:?}");
    let refused = log[0]["attemptLog"][0]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(!refused.is_empty(), "why no answer came: {log:?}");

    let receiver = Receiver::start_on(port).await;
    app.clock.advance(Duration::from_secs(7));
    let received = receiver.wait_for(1).await;
    assert!(received[0].verifies_with(&secret));
    let log = app
        .deliveries_until(ana, &webhook, |log| log[0]["status"] == "DELIVERED")
        .await;
    assert_eq!(log[0]["attemptLog"][1]["responseCode"], 200, "{log:?}");
}

#[tokio::test]
async fn a_webhook_failing_for_three_days_is_disabled_its_creator_told_and_it_can_be_enabled() {
    let app = TestApp::spawn_for_webhooks().await;
    let receiver = Receiver::start().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let (ana, bob) = (&people[0], &people[1]);
    app.clear_notifications(ana, 1).await;
    let (webhook, _) = app.webhook(ana, &receiver.url, &["THREAD_STARTED"]).await;
    receiver.always_answer(500);

    app.start_thread(bob, &community, "Day one", "DISCUSSION")
        .await;
    app.deliveries_until(ana, &webhook, |log| {
        log.first().is_some_and(|d| d["attempts"] == 1)
    })
    .await;
    let failing = app
        .node(
            Some(ana),
            &webhook,
            "... on Webhook { enabled failingSince }",
        )
        .await;
    assert_eq!(failing["enabled"], true, "{failing}");
    assert!(failing["failingSince"].is_string(), "{failing}");

    // Retries run out a day after the event; three days after the first failure, the next
    // failure disables the webhook.
    app.clock.advance(Duration::from_secs(25 * 3600));
    let ana = &signed_in(&app, "ana").await;
    app.deliveries_until(ana, &webhook, |log| log[0]["status"] == "FAILED")
        .await;
    app.clock.advance(Duration::from_secs(2 * 24 * 3600));
    let (ana, bob) = (&signed_in(&app, "ana").await, &signed_in(&app, "bob").await);
    app.start_thread(bob, &community, "Day four", "DISCUSSION")
        .await;
    let told = app.unread_notifications(ana, 1).await;
    assert_eq!(told[0]["kind"], "WEBHOOK_DISABLED", "{told:?}");
    let query = "{ viewer { notifications(first: 1) { nodes { webhookId } } } }";
    let body = app.graphql_as(&ana.access_token, query, json!({})).await;
    assert_eq!(
        body["data"]["viewer"]["notifications"]["nodes"][0]["webhookId"],
        webhook
    );
    let disabled = app
        .node(
            Some(ana),
            &webhook,
            "... on Webhook { enabled disabledReason }",
        )
        .await;
    assert_eq!(disabled["enabled"], false, "{disabled}");
    assert!(
        disabled["disabledReason"]
            .as_str()
            .is_some_and(|r| r.contains("3 days"))
    );

    // Disabled: nothing is attempted, and events meanwhile are not queued. Enabled again: the
    // delivery that was waiting goes out.
    let attempts = receiver.received().len();
    app.start_thread(bob, &community, "Day five", "DISCUSSION")
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(receiver.received().len(), attempts);
    receiver.always_answer(200);
    let enabled = app
        .mutate(
            ana,
            "updateWebhook",
            json!({ "webhookId": webhook, "enabled": true }),
            "webhook { enabled failingSince }",
        )
        .await;
    assert_eq!(enabled["webhook"]["enabled"], true, "{enabled}");
    assert!(enabled["webhook"]["failingSince"].is_null());
    app.clock.advance(Duration::from_secs(10));
    let received = receiver.wait_for(attempts + 1).await;
    assert_eq!(
        received[attempts].id,
        received[attempts - 1].id,
        "day four's"
    );
    let log = app
        .deliveries_until(ana, &webhook, |log| log[0]["status"] == "DELIVERED")
        .await;
    assert_eq!(statuses(&log), ["DELIVERED", "FAILED"]);
}
