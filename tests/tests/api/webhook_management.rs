//! Managing webhooks: a person's own, an organisation's by its administrators; secrets shown
//! once and rotated with a day's overlap; nobody else's reachable.

use std::time::Duration;

use khub_tests::{DEFAULT_PASSWORD, Receiver, Session, TestApp, error_code};
use serde_json::{Value, json};

const ORG_WEBHOOKS: &str =
    "query O($slug: String!) { organisation(slug: $slug) { webhooks { nodes { id url } } } }";

async fn organisation_webhooks(app: &TestApp, who: &Session) -> Value {
    let body = app
        .graphql_as(&who.access_token, ORG_WEBHOOKS, json!({ "slug": "york" }))
        .await;
    body["data"]["organisation"]["webhooks"].clone()
}

#[tokio::test]
async fn an_organisations_administrators_manage_its_webhooks_which_read_as_the_organisation() {
    let app = TestApp::spawn_for_webhooks().await;
    let receiver = Receiver::start().await;
    let york = app.council_with("york", &["admin", "officer"]).await;
    let (admin, officer) = (&york[0], &york[1]);
    app.make_organisation_administrator("admin@york.gov.uk", "york")
        .await;
    let organisation = app
        .graphql("{ organisation(slug: \"york\") { id } }", json!({}))
        .await["data"]["organisation"]["id"]
        .clone();
    let input = json!({ "organisationId": organisation });

    let refused = app
        .create_webhook(
            officer,
            &receiver.url,
            &["PRACTICE_PUBLISHED"],
            input.clone(),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    let created = app
        .create_webhook(admin, &receiver.url, &["PRACTICE_PUBLISHED"], input)
        .await;
    let webhook = created["webhook"]["id"]
        .as_str()
        .expect("created")
        .to_owned();
    let listed = organisation_webhooks(&app, admin).await;
    assert_eq!(listed["nodes"][0]["id"], webhook, "{listed}");
    assert!(organisation_webhooks(&app, officer).await.is_null());
    let own = app
        .graphql_as(
            &admin.access_token,
            "{ viewer { webhooks { totalCount } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        own["data"]["viewer"]["webhooks"]["totalCount"], 0,
        "the organisation's, not theirs"
    );

    // Deliveries read as the organisation: a practice shared hub-wide reaches it.
    let (practice, _) = app.published_practice(officer, "Fewer missed bins").await;
    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].json()["data"]["practiceId"], practice);
    assert!(received[0].verifies_with(created["secret"].as_str().expect("secret")));
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day() {
    let app = TestApp::spawn_for_webhooks().await;
    let receiver = Receiver::start().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let (ana, bob) = (&people[0], &people[1]);
    let (webhook, old) = app.webhook(ana, &receiver.url, &["THREAD_STARTED"]).await;
    let rotated = app
        .mutate(
            ana,
            "rotateWebhookSecret",
            json!({ "webhookId": webhook }),
            "secret webhook { id }",
        )
        .await;
    let new = rotated["secret"].as_str().expect("a new secret").to_owned();
    assert_ne!(new, old);

    app.start_thread(bob, &community, "Both", "DISCUSSION")
        .await;
    let received = receiver.wait_for(1).await;
    assert!(received[0].verifies_with(&new) && received[0].verifies_with(&old));

    app.clock.advance(Duration::from_secs(25 * 3600));
    let email = "bob@example.org";
    let bob = Session::from_payload(&app.login_payload(email, DEFAULT_PASSWORD).await);
    app.start_thread(&bob, &community, "New only", "DISCUSSION")
        .await;
    let received = receiver.wait_for(2).await;
    assert!(received[1].verifies_with(&new) && !received[1].verifies_with(&old));
}

#[tokio::test]
async fn webhooks_are_changed_and_deleted_by_their_owner_alone_and_need_a_session() {
    let app = TestApp::spawn_for_webhooks().await;
    let receiver = Receiver::start().await;
    let ana = app.register("ana@example.org", "ana").await;
    let eve = app.register("eve@example.org", "eve").await;
    let (webhook, _) = app.webhook(&ana, &receiver.url, &["REPLY_POSTED"]).await;

    let change = json!({ "webhookId": webhook, "events": ["POST_EDITED", "POST_DELETED"], "url": "https://93.184.216.34/h" });
    let selection = "webhook { url events enabled }";
    let stolen = app
        .mutate(&eve, "updateWebhook", change.clone(), selection)
        .await;
    assert_eq!(error_code(&stolen), "NOT_FOUND", "{stolen}");
    assert!(app.node(Some(&eve), &webhook, "id").await.is_null());
    let bad = json!({ "webhookId": webhook, "events": [], "url": "nonsense" });
    let refused = app.mutate(&ana, "updateWebhook", bad, selection).await;
    let fields: Vec<_> = refused["userErrors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(fields, [json!("url"), json!("events")], "{refused}");
    let changed = app.mutate(&ana, "updateWebhook", change, selection).await;
    assert_eq!(
        changed["webhook"]["events"],
        json!(["POST_EDITED", "POST_DELETED"]),
        "{changed}"
    );
    assert_eq!(changed["webhook"]["url"], "https://93.184.216.34/h");
    let paused = json!({ "webhookId": webhook, "enabled": false });
    let paused = app
        .mutate(
            &ana,
            "updateWebhook",
            paused,
            "webhook { enabled disabledReason }",
        )
        .await;
    assert_eq!(paused["webhook"]["enabled"], false, "{paused}");

    let (token, _) = app
        .create_api_token(&ana, &["READ", "WRITE_CONVERSATIONS"])
        .await;
    let query = "mutation { createWebhook(input: { url: \"https://93.184.216.34/\", events: [REPLY_POSTED] }) { secret } }";
    let body = app.graphql_as(&token, query, json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body}"
    );

    let gone = json!({ "webhookId": webhook });
    let refused = app
        .mutate(&eve, "deleteWebhook", gone.clone(), "webhook { id }")
        .await;
    assert_eq!(error_code(&refused), "NOT_FOUND");
    let deleted = app
        .mutate(&ana, "deleteWebhook", gone, "webhook { id }")
        .await;
    assert_eq!(deleted["webhook"]["id"], webhook, "{deleted}");
    assert!(app.node(Some(&ana), &webhook, "id").await.is_null());
}
