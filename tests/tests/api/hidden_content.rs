//! Hidden content leaves every read path for everyone but its author and the community's
//! facilitators, who see it marked HIDDEN with the reason; its reputation goes and comes back
//! with it.

use khub_tests::{Session, TestApp, WsClient, error_code, no_user_errors, post_id};
use serde_json::{Value, json};

async fn thread_titles(app: &TestApp, who: Option<&Session>, community: &str) -> Vec<String> {
    let selection = "... on Community { threads(first: 20) { nodes { title } } }";
    let listed = app.node(who, community, selection).await;
    listed["threads"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["title"].as_str())
        .map(str::to_owned)
        .collect()
}

async fn feed(app: &TestApp) -> String {
    let body = app
        .graphql("{ community(slug: \"care\") { feedUrl } }", Value::Null)
        .await;
    let address = body["data"]["community"]["feedUrl"].as_str().expect("feed");
    let public = app.settings().public_url();
    let path = address
        .strip_prefix(public.as_str())
        .expect("a hub address");
    let response = reqwest::get(app.url(path)).await.expect("feed");
    response.text().await.expect("feed text")
}

#[tokio::test]
async fn a_hidden_thread_leaves_every_read_path_but_its_authors_and_facilitators() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana", "cat"])
        .await;
    let [_own, fac, ana, cat] = <[Session; 4]>::try_from(people).expect("four");
    app.watch_community(&cat, &community, "WATCHING").await;
    let (thread, _) = app
        .start_thread(&ana, &community, "Composting pilots", "DISCUSSION")
        .await;
    app.unread_notifications(&cat, 1).await;
    assert_eq!(app.search_count(None, "composting").await, 1);
    assert!(feed(&app).await.contains("Composting pilots"));

    let hide = json!({ "action": "HIDE", "contentId": thread, "reason": "Names a resident" });
    let hidden = app.moderate(&fac, hide).await;
    no_user_errors(&hidden);
    assert_eq!(hidden["post"]["status"], "HIDDEN", "{hidden}");

    let title = "... on Thread { title status openingPost { moderationReason } }";
    for reader in [None, Some(&cat)] {
        assert!(app.node(reader, &thread, title).await.is_null());
        assert!(thread_titles(&app, reader, &community).await.is_empty());
        assert_eq!(app.search_count(reader, "composting").await, 0);
    }
    assert!(!feed(&app).await.contains("Composting pilots"));
    // The open log says what was done, never what the hidden thread said.
    let logged = app.moderation_log(None, &community).await;
    assert_eq!(logged["nodes"][0]["action"], "HIDE", "{logged}");
    assert_eq!(logged["nodes"][0]["contentId"], thread.as_str());
    assert!(logged["nodes"][0]["content"].is_null(), "{logged}");
    let for_facilitator = app.moderation_log(Some(&fac), &community).await;
    assert_eq!(
        for_facilitator["nodes"][0]["content"]["__typename"],
        "Thread"
    );
    assert_eq!(
        app.notifications(&cat, false).await.1,
        0,
        "its notification went too"
    );
    for insider in [&ana, &fac] {
        let seen = app.node(Some(insider), &thread, title).await;
        assert_eq!(seen["status"], "HIDDEN", "{seen}");
        assert_eq!(seen["openingPost"]["moderationReason"], "Names a resident");
    }
    assert_eq!(
        error_code(&app.reply(&cat, &thread, "Hello?").await),
        "NOT_FOUND"
    );

    no_user_errors(
        &app.moderate(&fac, json!({ "action": "RESTORE", "contentId": thread }))
            .await,
    );
    assert_eq!(
        app.node(Some(&cat), &thread, title).await["status"],
        "APPROVED"
    );
    assert_eq!(app.search_count(None, "composting").await, 1);
    assert_eq!(
        thread_titles(&app, None, &community).await,
        ["Composting pilots"]
    );
    assert_eq!(app.notifications(&cat, false).await.1, 1);
}

/// The next `threadEvents` payload on `ws`.
async fn thread_event(ws: &mut WsClient) -> Value {
    let frame = ws
        .next_within(std::time::Duration::from_secs(5))
        .await
        .expect("an event");
    frame["payload"]["data"]["threadEvents"].clone()
}

#[tokio::test]
async fn a_hidden_reply_leaves_live_readers_and_the_thread_and_its_points_go_with_it() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana", "bob", "cat"])
        .await;
    let [_own, fac, ana, bob, cat] = <[Session; 5]>::try_from(people).expect("five");
    let (question, _) = app
        .start_thread(&ana, &community, "How to cut missed bins?", "QUESTION")
        .await;
    let answer = post_id(&app.reply(&bob, &question, "Photograph blocked bins").await);
    let accepted = app
        .mutate(
            &ana,
            "acceptAnswer",
            json!({ "postId": answer }),
            "thread { id }",
        )
        .await;
    assert!(
        accepted["userErrors"].as_array().is_some_and(Vec::is_empty),
        "{accepted}"
    );
    let earned = app.reputation_of(&bob).await;
    assert!(earned > 0);

    let query = "subscription S($t: ID!) { threadEvents(threadId: $t) { kind postId post { status body } } }";
    let mut reader = app.live(Some(&cat)).await;
    let mut facilitator = app.live(Some(&fac)).await;
    for ws in [&mut reader, &mut facilitator] {
        ws.send(json!({ "type": "subscribe", "id": "t", "payload": { "query": query, "variables": { "t": question } } }))
            .await;
    }
    app.wait_for_subscribers(2).await;
    let hide = json!({ "action": "HIDE", "contentId": answer, "reason": "Off topic" });
    no_user_errors(&app.moderate(&fac, hide).await);

    let told = thread_event(&mut reader).await;
    assert_eq!(
        (&told["kind"], &told["postId"]),
        (&json!("POST_HIDDEN"), &json!(answer)),
        "{told}"
    );
    assert!(told["post"].is_null(), "readers no longer get it: {told}");
    let told = thread_event(&mut facilitator).await;
    assert_eq!(told["post"]["status"], "HIDDEN", "{told}");

    let replies = "... on Thread { replyCount replies(first: 5) { nodes { body } } }";
    let seen = app.node(Some(&cat), &question, replies).await;
    assert_eq!(seen["replyCount"], 0, "{seen}");
    assert_eq!(seen["replies"]["nodes"], json!([]));
    assert_eq!(
        seen_by(&app, &bob, &question).await,
        ["Photograph blocked bins"]
    );
    assert!(
        app.reputation_of(&bob).await < earned,
        "its points were taken back"
    );

    no_user_errors(
        &app.moderate(&fac, json!({ "action": "RESTORE", "contentId": answer }))
            .await,
    );
    let told = thread_event(&mut reader).await;
    assert_eq!(told["kind"], "POST_RESTORED", "{told}");
    assert_eq!(told["post"]["body"], "Photograph blocked bins");
    assert_eq!(
        app.node(Some(&cat), &question, replies).await["replyCount"],
        1
    );
    assert_eq!(app.reputation_of(&bob).await, earned, "and given back");
}

async fn seen_by(app: &TestApp, who: &Session, thread: &str) -> Vec<String> {
    let selection = "... on Thread { replies(first: 5) { nodes { body } } }";
    let seen = app.node(Some(who), thread, selection).await;
    seen["replies"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["body"].as_str())
        .map(str::to_owned)
        .collect()
}
