//! Flags that hide content at a community's threshold, bans with an end, and owners changing
//! a community's settings.

use std::time::Duration;

use khub_tests::{Session, TestApp, error_code, logged_actions, no_user_errors, post_id};
use serde_json::{Value, json};

#[tokio::test]
async fn members_flags_at_the_threshold_hide_content_until_a_facilitator_reviews_it() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana", "bob", "cat"])
        .await;
    let [own, fac, ana, bob, cat] = <[Session; 5]>::try_from(people).expect("five");
    let settings = json!({ "communityId": community, "flagThreshold": 2 });
    let updated = app
        .mutate(
            &own,
            "updateCommunity",
            settings,
            "community { flagThreshold }",
        )
        .await;
    assert_eq!(updated["community"]["flagThreshold"], 2, "{updated}");
    let (thread, _) = app
        .start_thread(&own, &community, "Bins", "DISCUSSION")
        .await;
    let reply = post_id(&app.reply(&ana, &thread, "Buy my bins at example.com").await);

    let flag = |who: &Session, reason: &str| {
        let input = json!({ "contentId": reply, "reason": reason, "note": "Advert" });
        let (app, who) = (&app, who.clone());
        async move {
            app.mutate(&who, "flagContent", input, "flagged hidden")
                .await
        }
    };
    assert_eq!(error_code(&flag(&ana, "SPAM").await), "OWN_CONTENT");
    let first = flag(&bob, "SPAM").await;
    assert_eq!(
        (&first["flagged"], &first["hidden"]),
        (&json!(true), &json!(false)),
        "{first}"
    );
    assert_eq!(error_code(&flag(&bob, "OTHER").await), "ALREADY_FLAGGED");
    let anonymous = app
        .graphql(
            "mutation F($id: ID!) { flagContent(input: { contentId: $id, reason: SPAM }) { flagged } }",
            json!({ "id": reply }),
        )
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
    let second = flag(&cat, "ABUSIVE").await;
    assert_eq!(second["hidden"], true, "{second}");

    assert!(
        app.node(Some(&bob), &reply, "... on Post { id }")
            .await
            .is_null()
    );
    let authors = app
        .node(
            Some(&ana),
            &reply,
            "... on Post { status moderationReason }",
        )
        .await;
    assert_eq!(authors["status"], "HIDDEN", "{authors}");
    assert!(
        authors["moderationReason"]
            .as_str()
            .is_some_and(|r| r.contains("flags"))
    );

    let queue = "... on Community { moderationQueue(first: 10) { totalCount nodes { contentId flagCount content { ... on Post { status } } flags { reason note flagger { handle } } } } }";
    assert!(app.node(Some(&bob), &community, queue).await["moderationQueue"].is_null());
    let waiting = app.node(Some(&fac), &community, queue).await["moderationQueue"].clone();
    assert_eq!(waiting["totalCount"], 1, "{waiting}");
    let item = &waiting["nodes"][0];
    assert_eq!(
        (&item["contentId"], &item["flagCount"]),
        (&json!(reply), &json!(2))
    );
    assert_eq!(item["content"]["status"], "HIDDEN");
    assert_eq!(item["flags"][0]["flagger"]["handle"], "bob");
    assert_eq!(item["flags"][1]["reason"], "ABUSIVE");

    // Restoring closes the flags and shows it again; a dismissal needs open flags.
    let restored = app
        .moderate(&fac, json!({ "action": "RESTORE", "contentId": reply }))
        .await;
    assert_eq!(restored["post"]["status"], "APPROVED", "{restored}");
    let waiting = app.node(Some(&fac), &community, queue).await["moderationQueue"].clone();
    assert_eq!(waiting["totalCount"], 0, "{waiting}");
    let dismiss = json!({ "action": "DISMISS_FLAGS", "contentId": reply });
    assert_eq!(
        error_code(&app.moderate(&fac, dismiss.clone()).await),
        "NO_OPEN_FLAGS"
    );
    let own_flag = flag(&own, "OFF_TOPIC").await;
    assert_eq!(own_flag["hidden"], false, "{own_flag}");
    no_user_errors(&app.moderate(&fac, dismiss).await);
    assert_eq!(
        logged_actions(&app.moderation_log(None, &community).await),
        ["DISMISS_FLAGS", "RESTORE", "HIDDEN_BY_FLAGS"]
    );
}

#[tokio::test]
async fn a_ban_keeps_someone_out_until_it_ends() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana", "bob"])
        .await;
    let [own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    let (practice, _) = app
        .published_practice_in(&ana, "Photos of blocked bins", Some(&community))
        .await;
    let (thread, _) = app
        .start_thread(&ana, &community, "Bins", "DISCUSSION")
        .await;
    let reply = post_id(&app.reply(&ana, &thread, "Photos").await);

    let until = chrono::Utc::now() + chrono::Duration::minutes(5);
    let ban = json!({ "action": "BAN_MEMBER", "communityId": community, "personId": bob.person_id, "reason": "Abuse", "until": until });
    let banned = app.moderate(&fac, ban).await;
    assert_eq!(banned["community"]["memberCount"], 3, "{banned}");
    let past = json!({ "action": "BAN_MEMBER", "communityId": community, "personId": ana.person_id, "until": "2020-01-01T00:00:00Z" });
    assert_eq!(error_code(&app.moderate(&own, past).await), "IN_THE_PAST");

    let join = || {
        app.mutate(
            &bob,
            "joinCommunity",
            json!({ "communityId": community }),
            "community { viewerRole }",
        )
    };
    assert_eq!(error_code(&join().await), "BANNED");
    assert_eq!(
        error_code(&app.reply(&bob, &thread, "Back").await),
        "NOT_A_MEMBER"
    );
    let endorse = app
        .mutate(
            &bob,
            "endorsePractice",
            json!({ "practiceId": practice, "comment": "Works" }),
            "",
        )
        .await;
    assert_eq!(error_code(&endorse), "BANNED");
    let flag = app
        .mutate(
            &bob,
            "flagContent",
            json!({ "contentId": reply, "reason": "SPAM" }),
            "flagged",
        )
        .await;
    assert_eq!(error_code(&flag), "BANNED");

    app.clock.advance(Duration::from_secs(6 * 60));
    let rejoined = join().await;
    assert_eq!(rejoined["community"]["viewerRole"], "MEMBER", "{rejoined}");
    let entries = app.moderation_log(Some(&own), &community).await;
    assert_eq!(logged_actions(&entries), ["BAN_MEMBER"]);
    assert!(entries["nodes"][0]["until"].is_string(), "{entries}");
}

#[tokio::test]
async fn owners_change_a_communitys_settings_and_visibility_applies_at_once() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana"])
        .await;
    let [own, fac, ana] = <[Session; 3]>::try_from(people).expect("three");
    let (thread, _) = app
        .start_thread(&ana, &community, "Recycling rounds", "DISCUSSION")
        .await;
    let thread_title = "... on Thread { title }";
    assert_eq!(
        app.node(None, &thread, thread_title).await["title"],
        "Recycling rounds"
    );
    let search = "{ search(query: \"recycling\") { totalCount } }";
    let found = app.graphql(search, Value::Null).await;
    assert_eq!(found["data"]["search"]["totalCount"], 1, "{found}");

    let selection = "community { name visibility discussionMode promotionThreshold flagThreshold }";
    let change = json!({ "communityId": community, "visibility": "PRIVATE" });
    assert_eq!(
        error_code(
            &app.mutate(&fac, "updateCommunity", change.clone(), selection)
                .await
        ),
        "FORBIDDEN"
    );
    let bad = json!({ "communityId": community, "name": " ", "promotionThreshold": 0, "flagThreshold": 101 });
    let refused = app.mutate(&own, "updateCommunity", bad, selection).await;
    let fields: Vec<&str> = refused["userErrors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["name", "promotionThreshold", "flagThreshold"],
        "{refused}"
    );

    let all = json!({ "communityId": community, "name": "Waste", "visibility": "PRIVATE", "discussionMode": "FACILITATED", "promotionThreshold": 5 });
    let updated = app.mutate(&own, "updateCommunity", all, selection).await;
    let expected = json!({ "name": "Waste", "visibility": "PRIVATE", "discussionMode": "FACILITATED", "promotionThreshold": 5, "flagThreshold": 3 });
    assert_eq!(updated["community"], expected, "{updated}");

    // Private now: gone for anyone outside, on every path; members keep it.
    assert!(app.node(None, &thread, thread_title).await.is_null());
    assert!(
        app.node(None, &community, "... on Community { name }")
            .await
            .is_null()
    );
    let searched = app.graphql(search, Value::Null).await;
    assert_eq!(searched["data"]["search"]["totalCount"], 0, "{searched}");
    assert_eq!(
        app.node(Some(&ana), &thread, thread_title).await["title"],
        "Recycling rounds"
    );
    // Facilitated now: members' posts wait.
    let waiting = app.reply(&ana, &thread, "Still here").await;
    assert_eq!(waiting["post"]["status"], "PENDING", "{waiting}");
}
