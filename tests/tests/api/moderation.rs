//! Facilitation through `moderate`: who may act on what, pinning, locking and removing, the
//! pending queue, and the open log.

use khub_tests::{Session, TestApp, error_code, logged_actions, no_user_errors, post_id};
use serde_json::json;

#[tokio::test]
async fn members_cannot_moderate_and_facilitators_cannot_act_on_owners_or_each_others_bans() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana", "bob"])
        .await;
    let [own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    let (thread, _) = app
        .start_thread(&ana, &community, "Bins", "DISCUSSION")
        .await;
    let reply = post_id(&app.reply(&bob, &thread, "Photos").await);

    for action in ["HIDE", "LOCK", "PIN"] {
        let input = json!({ "action": action, "contentId": thread, "reason": "Because" });
        assert_eq!(
            error_code(&app.moderate(&ana, input).await),
            "FORBIDDEN",
            "{action}"
        );
    }
    let ban = |who: &Session| json!({ "action": "BAN_MEMBER", "communityId": community, "personId": who.person_id, "reason": "Abuse" });
    assert_eq!(
        error_code(&app.moderate(&ana, ban(&bob)).await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&app.moderate(&fac, ban(&own)).await),
        "FORBIDDEN"
    );
    assert_eq!(error_code(&app.moderate(&fac, ban(&fac)).await), "SELF");

    // An owner's ban is the owner's to lift; a facilitator's may be lifted by an owner.
    no_user_errors(&app.moderate(&own, ban(&bob)).await);
    let unban = |who: &Session| json!({ "action": "UNBAN", "communityId": community, "personId": who.person_id });
    assert_eq!(
        error_code(&app.moderate(&fac, unban(&bob)).await),
        "FORBIDDEN"
    );
    no_user_errors(&app.moderate(&own, unban(&bob)).await);
    assert_eq!(
        error_code(&app.moderate(&own, unban(&bob)).await),
        "NOT_BANNED"
    );

    // Bad input names the field and changes nothing.
    let no_reason = json!({ "action": "HIDE", "contentId": reply });
    assert_eq!(error_code(&app.moderate(&fac, no_reason).await), "REQUIRED");
    let not_content = json!({ "action": "HIDE", "contentId": community, "reason": "Spam" });
    assert_eq!(
        error_code(&app.moderate(&fac, not_content).await),
        "INVALID_ID"
    );
    let recorded_only = json!({ "action": "HIDDEN_BY_FLAGS", "contentId": reply });
    assert_eq!(
        error_code(&app.moderate(&fac, recorded_only).await),
        "NOT_AN_ACTION"
    );
    let seen = app.node(Some(&ana), &reply, "... on Post { status }").await;
    assert_eq!(seen["status"], "APPROVED");
}

#[tokio::test]
async fn facilitators_pin_lock_and_remove_and_the_log_keeps_who_did_what() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana", "bob"])
        .await;
    let [_own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    let (thread, _) = app
        .start_thread(&ana, &community, "Bins", "DISCUSSION")
        .await;

    let pinned = app
        .moderate(&fac, json!({ "action": "PIN", "contentId": thread }))
        .await;
    assert_eq!(pinned["thread"]["pinned"], true, "{pinned}");
    let locked = app
        .moderate(
            &fac,
            json!({ "action": "LOCK", "contentId": thread, "reason": "Cooling off" }),
        )
        .await;
    assert_eq!(locked["thread"]["locked"], true, "{locked}");
    assert_eq!(
        error_code(&app.reply(&bob, &thread, "Late").await),
        "THREAD_LOCKED"
    );
    no_user_errors(
        &app.moderate(&fac, json!({ "action": "UNLOCK", "contentId": thread }))
            .await,
    );
    no_user_errors(
        &app.moderate(&fac, json!({ "action": "UNPIN", "contentId": thread }))
            .await,
    );

    let remove = json!({ "action": "REMOVE_MEMBER", "communityId": community, "personId": bob.person_id, "reason": "Left the council" });
    let removed = app.moderate(&fac, remove.clone()).await;
    assert_eq!(removed["community"]["memberCount"], 3, "{removed}");
    assert_eq!(
        error_code(&app.moderate(&fac, remove).await),
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
    let entries = app.moderation_log(None, &community).await;
    assert_eq!(
        logged_actions(&entries),
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
    let (community, people) = app
        .facilitated_community("RESTRICTED", &["own", "fac"])
        .await;
    let outsider = app.register("out@example.org", "out").await;
    let (thread, _) = app
        .start_thread(&people[0], &community, "Bins", "DISCUSSION")
        .await;
    no_user_errors(
        &app.moderate(&people[0], json!({ "action": "PIN", "contentId": thread }))
            .await,
    );
    assert_eq!(
        logged_actions(&app.moderation_log(Some(&people[0]), &community).await),
        ["PIN"]
    );
    assert!(
        app.moderation_log(Some(&outsider), &community)
            .await
            .is_null()
    );
    assert!(app.moderation_log(None, &community).await.is_null());
}

#[tokio::test]
async fn pending_posts_queue_for_facilitators_who_approve_or_reject_them_with_a_reason() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .facilitated_community("OPEN", &["own", "fac", "ana", "bob"])
        .await;
    let [own, fac, ana, bob] = <[Session; 4]>::try_from(people).expect("four");
    // A DEBATE thread is always facilitated: members' replies wait, even in an OPEN space.
    let (debate, _) = app
        .start_thread(&own, &community, "Should bins be weekly?", "DEBATE")
        .await;
    let first = app.reply(&ana, &debate, "Yes, weekly").await;
    assert_eq!(first["post"]["status"], "PENDING", "{first}");
    let second = app.reply(&bob, &debate, "No, fortnightly").await;
    let (first, second) = (post_id(&first), post_id(&second));
    let from_facilitator = app.reply(&fac, &debate, "Keep it civil").await;
    assert_eq!(from_facilitator["post"]["status"], "APPROVED");

    let queue =
        "... on Community { pendingQueue(first: 10) { totalCount nodes { id body status } } }";
    assert!(app.node(Some(&ana), &community, queue).await["pendingQueue"].is_null());
    let waiting = app.node(Some(&fac), &community, queue).await["pendingQueue"].clone();
    assert_eq!(waiting["totalCount"], 2, "{waiting}");
    assert_eq!(waiting["nodes"][0]["id"], first.as_str(), "oldest first");

    let approved = app
        .moderate(&fac, json!({ "action": "APPROVE", "contentId": first }))
        .await;
    assert_eq!(approved["post"]["status"], "APPROVED", "{approved}");
    let reject =
        json!({ "action": "REJECT", "contentId": second, "reason": "Please cite the survey" });
    let rejected = app.moderate(&fac, reject.clone()).await;
    assert_eq!(rejected["post"]["status"], "REJECTED", "{rejected}");
    assert_eq!(error_code(&app.moderate(&fac, reject).await), "NOT_PENDING");

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
