//! Facilitation through `moderate`: who may act on what, the pending and flag queues, bans
//! with an end, the open log, and `updateCommunity`.

use std::time::Duration;

use khub_tests::{Session, TestApp, error_code};
use serde_json::{Value, json};

const ACTED: &str =
    "post { id status moderationReason } thread { id pinned locked } community { id memberCount }";

/// A community `care` of `visibility` owned by `own`, where `fac` facilitates and the others
/// are members.
async fn facilitated(app: &TestApp, visibility: &str, handles: &[&str]) -> (String, Vec<Session>) {
    let (community, people) = app.community_with_members(visibility, handles).await;
    let role =
        json!({ "communityId": community, "personId": people[1].person_id, "role": "FACILITATOR" });
    app.community_mutation(&people[0], "setMemberRole", role)
        .await;
    (community, people)
}

async fn moderate(app: &TestApp, who: &Session, input: Value) -> Value {
    app.mutate(who, "moderate", input, ACTED).await
}

fn ok(payload: &Value) {
    assert!(
        payload["userErrors"].as_array().is_some_and(Vec::is_empty),
        "{payload}"
    );
}

fn id_of(payload: &Value) -> String {
    payload["post"]["id"].as_str().expect("post id").to_owned()
}

async fn log(app: &TestApp, who: Option<&Session>, community: &str) -> Value {
    let selection = "... on Community { moderationLog(first: 20) { totalCount nodes { action reason until contentId content { __typename } actor { handle } subject { handle } } } }";
    app.node(who, community, selection).await["moderationLog"].clone()
}

fn actions(log: &Value) -> Vec<String> {
    log["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["action"].as_str())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn members_cannot_moderate_and_facilitators_cannot_act_on_owners_or_each_others_bans() {
    let app = TestApp::spawn().await;
    let (community, people) = facilitated(&app, "OPEN", &["own", "fac", "ana", "bob"]).await;
    let [own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    let (thread, _) = app
        .start_thread(&ana, &community, "Bins", "DISCUSSION")
        .await;
    let reply = id_of(&app.reply(&bob, &thread, "Photos").await);

    for action in ["HIDE", "LOCK", "PIN"] {
        let input = json!({ "action": action, "contentId": thread, "reason": "Because" });
        assert_eq!(
            error_code(&moderate(&app, &ana, input).await),
            "FORBIDDEN",
            "{action}"
        );
    }
    let ban = |who: &Session| json!({ "action": "BAN_MEMBER", "communityId": community, "personId": who.person_id, "reason": "Abuse" });
    assert_eq!(
        error_code(&moderate(&app, &ana, ban(&bob)).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&moderate(&app, &fac, ban(&own)).await),
        "FORBIDDEN"
    );
    assert_eq!(error_code(&moderate(&app, &fac, ban(&fac)).await), "SELF");

    // An owner's ban is the owner's to lift; a facilitator's may be lifted by an owner.
    ok(&moderate(&app, &own, ban(&bob)).await);
    let unban = |who: &Session| json!({ "action": "UNBAN", "communityId": community, "personId": who.person_id });
    assert_eq!(
        error_code(&moderate(&app, &fac, unban(&bob)).await),
        "FORBIDDEN"
    );
    ok(&moderate(&app, &own, unban(&bob)).await);
    assert_eq!(
        error_code(&moderate(&app, &own, unban(&bob)).await),
        "NOT_BANNED"
    );

    // Bad input names the field and changes nothing.
    let no_reason = json!({ "action": "HIDE", "contentId": reply });
    assert_eq!(
        error_code(&moderate(&app, &fac, no_reason).await),
        "REQUIRED"
    );
    let not_content = json!({ "action": "HIDE", "contentId": community, "reason": "Spam" });
    assert_eq!(
        error_code(&moderate(&app, &fac, not_content).await),
        "INVALID_ID"
    );
    let recorded_only = json!({ "action": "HIDDEN_BY_FLAGS", "contentId": reply });
    assert_eq!(
        error_code(&moderate(&app, &fac, recorded_only).await),
        "NOT_AN_ACTION"
    );
    let seen = app.node(Some(&ana), &reply, "... on Post { status }").await;
    assert_eq!(seen["status"], "APPROVED");
}

#[tokio::test]
async fn facilitators_pin_lock_and_remove_and_the_log_keeps_who_did_what() {
    let app = TestApp::spawn().await;
    let (community, people) = facilitated(&app, "OPEN", &["own", "fac", "ana", "bob"]).await;
    let [_own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    let (thread, _) = app
        .start_thread(&ana, &community, "Bins", "DISCUSSION")
        .await;

    let pinned = moderate(&app, &fac, json!({ "action": "PIN", "contentId": thread })).await;
    assert_eq!(pinned["thread"]["pinned"], true, "{pinned}");
    let locked = moderate(
        &app,
        &fac,
        json!({ "action": "LOCK", "contentId": thread, "reason": "Cooling off" }),
    )
    .await;
    assert_eq!(locked["thread"]["locked"], true, "{locked}");
    assert_eq!(
        error_code(&app.reply(&bob, &thread, "Late").await),
        "THREAD_LOCKED"
    );
    ok(&moderate(
        &app,
        &fac,
        json!({ "action": "UNLOCK", "contentId": thread }),
    )
    .await);
    ok(&moderate(
        &app,
        &fac,
        json!({ "action": "UNPIN", "contentId": thread }),
    )
    .await);

    let remove = json!({ "action": "REMOVE_MEMBER", "communityId": community, "personId": bob.person_id, "reason": "Left the council" });
    let removed = moderate(&app, &fac, remove.clone()).await;
    assert_eq!(removed["community"]["memberCount"], 3, "{removed}");
    assert_eq!(
        error_code(&moderate(&app, &fac, remove).await),
        "NOT_A_MEMBER"
    );
    // Removed is not banned: the normal path lets them back.
    let rejoined = app
        .mutate(
            &bob,
            "joinCommunity",
            json!({ "communityId": community }),
            "community { viewerRole }",
        )
        .await;
    assert_eq!(rejoined["community"]["viewerRole"], "MEMBER", "{rejoined}");

    // The log is open to anyone for an OPEN community, newest first.
    let entries = log(&app, None, &community).await;
    assert_eq!(
        actions(&entries),
        ["REMOVE_MEMBER", "UNPIN", "UNLOCK", "LOCK", "PIN"],
        "{entries}"
    );
    assert_eq!(entries["totalCount"], 5);
    let first = &entries["nodes"][0];
    assert_eq!(first["actor"]["handle"], "fac");
    assert_eq!(first["subject"]["handle"], "bob");
    assert_eq!(first["reason"], "Left the council");
    assert_eq!(entries["nodes"][3]["content"]["__typename"], "Thread");
}

#[tokio::test]
async fn the_log_of_a_restricted_community_is_for_its_members() {
    let app = TestApp::spawn().await;
    let (community, people) = facilitated(&app, "RESTRICTED", &["own", "fac"]).await;
    let outsider = app.register("out@example.org", "out").await;
    let (thread, _) = app
        .start_thread(&people[0], &community, "Bins", "DISCUSSION")
        .await;
    ok(&moderate(
        &app,
        &people[0],
        json!({ "action": "PIN", "contentId": thread }),
    )
    .await);
    assert_eq!(
        actions(&log(&app, Some(&people[0]), &community).await),
        ["PIN"]
    );
    assert!(log(&app, Some(&outsider), &community).await.is_null());
    assert!(log(&app, None, &community).await.is_null());
}

#[tokio::test]
async fn pending_posts_queue_for_facilitators_who_approve_or_reject_them_with_a_reason() {
    let app = TestApp::spawn().await;
    let (community, people) = facilitated(&app, "OPEN", &["own", "fac", "ana", "bob"]).await;
    let [own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    // A DEBATE thread is always facilitated: members' replies wait, even in an OPEN space.
    let (debate, _) = app
        .start_thread(&own, &community, "Should bins be weekly?", "DEBATE")
        .await;
    let first = app.reply(&ana, &debate, "Yes, weekly").await;
    assert_eq!(first["post"]["status"], "PENDING", "{first}");
    let second = app.reply(&bob, &debate, "No, fortnightly").await;
    let (first, second) = (id_of(&first), id_of(&second));
    let from_facilitator = app.reply(&fac, &debate, "Keep it civil").await;
    assert_eq!(from_facilitator["post"]["status"], "APPROVED");

    let queue =
        "... on Community { pendingQueue(first: 10) { totalCount nodes { id body status } } }";
    assert!(app.node(Some(&ana), &community, queue).await["pendingQueue"].is_null());
    let waiting = app.node(Some(&fac), &community, queue).await["pendingQueue"].clone();
    assert_eq!(waiting["totalCount"], 2, "{waiting}");
    assert_eq!(waiting["nodes"][0]["id"], first.as_str(), "oldest first");

    let approved = moderate(
        &app,
        &fac,
        json!({ "action": "APPROVE", "contentId": first }),
    )
    .await;
    assert_eq!(approved["post"]["status"], "APPROVED", "{approved}");
    let reject =
        json!({ "action": "REJECT", "contentId": second, "reason": "Please cite the survey" });
    let rejected = moderate(&app, &fac, reject.clone()).await;
    assert_eq!(rejected["post"]["status"], "REJECTED", "{rejected}");
    assert_eq!(
        error_code(&moderate(&app, &fac, reject).await),
        "NOT_PENDING"
    );

    // The author sees why; other members never see it.
    let own_view = app
        .node(
            Some(&bob),
            &second,
            "... on Post { status moderationReason }",
        )
        .await;
    assert_eq!(
        own_view["moderationReason"], "Please cite the survey",
        "{own_view}"
    );
    assert!(
        app.node(Some(&ana), &second, "... on Post { id }")
            .await
            .is_null()
    );
    let waiting = app.node(Some(&fac), &community, queue).await["pendingQueue"].clone();
    assert_eq!(waiting["totalCount"], 0, "{waiting}");
    let replies = app
        .node(
            Some(&ana),
            &debate,
            "... on Thread { replyCount replies(first: 10) { nodes { body } } }",
        )
        .await;
    assert_eq!(replies["replyCount"], 2, "{replies}");
    assert_eq!(replies["replies"]["nodes"][0]["body"], "Yes, weekly");
}

#[tokio::test]
async fn members_flags_at_the_threshold_hide_content_until_a_facilitator_reviews_it() {
    let app = TestApp::spawn().await;
    let (community, people) = facilitated(&app, "OPEN", &["own", "fac", "ana", "bob", "cat"]).await;
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
    let reply = id_of(&app.reply(&ana, &thread, "Buy my bins at example.com").await);

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
    let restored = moderate(
        &app,
        &fac,
        json!({ "action": "RESTORE", "contentId": reply }),
    )
    .await;
    assert_eq!(restored["post"]["status"], "APPROVED", "{restored}");
    let waiting = app.node(Some(&fac), &community, queue).await["moderationQueue"].clone();
    assert_eq!(waiting["totalCount"], 0, "{waiting}");
    let dismiss = json!({ "action": "DISMISS_FLAGS", "contentId": reply });
    assert_eq!(
        error_code(&moderate(&app, &fac, dismiss.clone()).await),
        "NO_OPEN_FLAGS"
    );
    let own_flag = flag(&own, "OFF_TOPIC").await;
    assert_eq!(own_flag["hidden"], false, "{own_flag}");
    ok(&moderate(&app, &fac, dismiss).await);
    assert_eq!(
        actions(&log(&app, None, &community).await),
        ["DISMISS_FLAGS", "RESTORE", "HIDDEN_BY_FLAGS"]
    );
}

#[tokio::test]
async fn a_ban_keeps_someone_out_until_it_ends() {
    let app = TestApp::spawn().await;
    let (community, people) = facilitated(&app, "OPEN", &["own", "fac", "ana", "bob"]).await;
    let [own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    let (practice, _) = app
        .published_practice_in(&ana, "Photos of blocked bins", Some(&community))
        .await;
    let (thread, _) = app
        .start_thread(&ana, &community, "Bins", "DISCUSSION")
        .await;
    let reply = id_of(&app.reply(&ana, &thread, "Photos").await);

    let until = chrono::Utc::now() + chrono::Duration::minutes(5);
    let ban = json!({ "action": "BAN_MEMBER", "communityId": community, "personId": bob.person_id, "reason": "Abuse", "until": until });
    let banned = moderate(&app, &fac, ban).await;
    assert_eq!(banned["community"]["memberCount"], 3, "{banned}");
    let past = json!({ "action": "BAN_MEMBER", "communityId": community, "personId": ana.person_id, "until": "2020-01-01T00:00:00Z" });
    assert_eq!(error_code(&moderate(&app, &own, past).await), "IN_THE_PAST");

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
    let entries = log(&app, Some(&own), &community).await;
    assert_eq!(actions(&entries), ["BAN_MEMBER"]);
    assert!(entries["nodes"][0]["until"].is_string(), "{entries}");
}

#[tokio::test]
async fn owners_change_a_communitys_settings_and_visibility_applies_at_once() {
    let app = TestApp::spawn().await;
    let (community, people) = facilitated(&app, "OPEN", &["own", "fac", "ana"]).await;
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
