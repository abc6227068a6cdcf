//! Notification mail through the real mail path (SMTP on the PostgreSQL leg, `.eml` files
//! embedded): mentions and replies at once, daily digests, one-click unsubscribe (RFC 8058).

use std::time::Duration;

use khub_tests::{Delivered, Session, TestApp};
use serde_json::json;

async fn frequency(app: &TestApp, who: &Session) -> String {
    let body = app
        .graphql_as(
            &who.access_token,
            "{ viewer { notificationEmail } }",
            json!({}),
        )
        .await;
    body["data"]["viewer"]["notificationEmail"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// The path of a mail's unsubscribe link, checked to be one-click.
fn unsubscribe_path(mail: &Delivered, public_url: &str) -> String {
    let (link, post) = mail.unsubscribe.clone().expect("List-Unsubscribe headers");
    assert_eq!(post, "List-Unsubscribe=One-Click");
    let link = link.trim_start_matches('<').trim_end_matches('>');
    link.strip_prefix(public_url)
        .unwrap_or_else(|| panic!("{link} is not on {public_url}"))
        .to_owned()
}

#[tokio::test]
async fn a_reply_is_mailed_at_once_until_one_click_unsubscribes() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let [ana, bob] = [&people[0], &people[1]];
    app.clear_notifications(ana, 1).await;
    let (thread, _) = app
        .start_thread(ana, &community, "Fewer missed bins", "DISCUSSION")
        .await;
    assert_eq!(frequency(&app, ana).await, "IMMEDIATELY");

    app.reply(bob, &thread, "We moved **collections** to Tuesdays")
        .await;
    let mail = app.nth_notification_mail_to("ana@example.org", 1).await;
    assert_eq!(mail.subject, "bob replied to you in “Fewer missed bins”");
    assert!(
        mail.text.contains("We moved collections to Tuesdays"),
        "{}",
        mail.text
    );

    let public_url = app.settings().public_url();
    let path = unsubscribe_path(&mail, &public_url);
    // Following the link shows a button; it changes nothing (link scanners follow links).
    let page = app.client.get(app.url(&path)).send().await.expect("page");
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .expect("text")
            .contains("<form method=\"post\"")
    );
    assert_eq!(frequency(&app, ana).await, "IMMEDIATELY");

    let tampered = format!("{}x", path);
    let refused = app
        .client
        .post(app.url(&tampered))
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 404);
    let clicked = app
        .client
        .post(app.url(&path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("answer");
    assert_eq!(clicked.status(), 200);
    assert_eq!(frequency(&app, ana).await, "NEVER");

    let before = app.notification_mail_to("ana@example.org").len();
    app.reply(bob, &thread, "One more thing").await;
    app.unread_notifications(ana, 1).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        app.notification_mail_to("ana@example.org").len(),
        before,
        "no more mail"
    );
}

#[tokio::test]
async fn a_daily_digest_lists_what_is_unread_once_a_day() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("OPEN", &["ana", "bob", "cyd"])
        .await;
    let [ana, bob, cyd] = [&people[0], &people[1], &people[2]];
    let chosen = app
        .mutate(
            bob,
            "setNotificationEmail",
            json!({ "frequency": "DAILY" }),
            "frequency",
        )
        .await;
    assert_eq!(chosen["frequency"], "DAILY", "{chosen}");
    let (thread, _) = app
        .start_thread(ana, &community, "Damp and mould", "DISCUSSION")
        .await;
    app.watch_thread(bob, &thread, "WATCHING").await;
    app.reply(cyd, &thread, "We survey every home").await;
    app.reply(ana, &thread, "@bob, what do you do?").await;
    app.unread_notifications(bob, 2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        app.notification_mail_to("bob@example.org").is_empty(),
        "nothing at once"
    );

    app.clock.advance(Duration::from_secs(24 * 60 * 60 + 60));
    let digest = app.nth_notification_mail_to("bob@example.org", 1).await;
    assert_eq!(digest.subject, "Knowledge Hub: 2 unread today");
    assert!(
        digest
            .text
            .contains("ana mentioned you in “Damp and mould”"),
        "{}",
        digest.text
    );
    assert!(
        digest.text.contains("posted in “Damp and mould”"),
        "{}",
        digest.text
    );
    assert!(digest.unsubscribe.is_some());

    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        app.notification_mail_to("bob@example.org").len(),
        1,
        "one digest a day"
    );
}
