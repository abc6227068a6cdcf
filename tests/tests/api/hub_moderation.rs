//! Practices hidden and restored, by flags or facilitators; hub administrators act in every
//! community and see the whole hub's queue and log.

use khub_tests::{Session, TestApp, error_code, no_user_errors, post_id};
use serde_json::{Value, json};

const PRACTICE: &str = "... on Practice { title hidden moderationReason }";

#[tokio::test]
async fn a_practice_hidden_by_flags_leaves_readers_and_its_points_come_back_on_restore() {
    let app = TestApp::spawn().await;
    let leeds = app.council_with("leeds", &["own", "fac", "ana"]).await;
    let york = app.council_with("york", &["yan", "ben"]).await;
    let community = app.create_community(&leeds[0], "care", "OPEN").await;
    for member in [&leeds[1], &leeds[2], &york[0], &york[1]] {
        app.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    let role =
        json!({ "communityId": community, "personId": leeds[1].person_id, "role": "FACILITATOR" });
    app.community_mutation(&leeds[0], "setMemberRole", role)
        .await;
    let settings = json!({ "communityId": community, "flagThreshold": 2 });
    app.mutate(&leeds[0], "updateCommunity", settings, "community { id }")
        .await;
    let (ana, fac) = (&leeds[2], &leeds[1]);
    let (practice, _) = app
        .published_practice_in(ana, "Photos of blocked bins", Some(&community))
        .await;
    let endorse = json!({ "practiceId": practice, "comment": "Worked for us" });
    no_user_errors(&app.mutate(&york[0], "endorsePractice", endorse, "").await);
    let earned = app.reputation_of(ana).await;
    assert_eq!(app.search_count(None, "blocked bins").await, 1);

    assert_eq!(
        error_code(&app.flag(ana, &practice, "OFF_TOPIC").await),
        "OWN_CONTENT"
    );
    assert_eq!(
        app.flag(&york[0], &practice, "OFF_TOPIC").await["hidden"],
        false
    );
    assert_eq!(
        app.flag(&york[1], &practice, "OFF_TOPIC").await["hidden"],
        true
    );

    assert!(app.node(None, &practice, PRACTICE).await.is_null());
    assert!(
        app.node(Some(&york[0]), &practice, PRACTICE)
            .await
            .is_null()
    );
    assert_eq!(app.search_count(None, "blocked bins").await, 0);
    let listed = app
        .graphql("{ practices(first: 10) { totalCount } }", Value::Null)
        .await;
    assert_eq!(listed["data"]["practices"]["totalCount"], 0, "{listed}");
    let own_view = app.node(Some(ana), &practice, PRACTICE).await;
    assert_eq!(own_view["hidden"], true, "{own_view}");
    assert!(app.reputation_of(ana).await < earned);
    let again = json!({ "practiceId": practice, "comment": "Still works" });
    assert_eq!(
        error_code(&app.mutate(fac, "endorsePractice", again, "").await),
        "HIDDEN"
    );

    let queue = "... on Community { moderationQueue(first: 5) { totalCount nodes { flagCount content { __typename ... on Practice { hidden } } } } }";
    let waiting = app.node(Some(fac), &community, queue).await["moderationQueue"].clone();
    assert_eq!(waiting["nodes"][0]["flagCount"], 2, "{waiting}");
    assert_eq!(waiting["nodes"][0]["content"]["__typename"], "Practice");

    let restored = app
        .moderate(fac, json!({ "action": "RESTORE", "contentId": practice }))
        .await;
    assert_eq!(restored["practice"]["hidden"], false, "{restored}");
    assert_eq!(app.reputation_of(ana).await, earned);
    assert_eq!(app.search_count(None, "blocked bins").await, 1);
    assert_eq!(
        app.node(None, &practice, PRACTICE).await["title"],
        "Photos of blocked bins"
    );

    let hide = json!({ "action": "HIDE", "contentId": practice, "reason": "Names a resident" });
    let member = app.moderate(&york[0], hide.clone()).await;
    assert_eq!(error_code(&member), "FORBIDDEN");
    no_user_errors(&app.moderate(fac, hide).await);
    let own_view = app.node(Some(ana), &practice, PRACTICE).await;
    assert_eq!(
        own_view["moderationReason"], "Names a resident",
        "{own_view}"
    );
}

#[tokio::test]
async fn hub_administrators_act_in_every_community_and_see_the_whole_hubs_queue_and_log() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("PRIVATE", &["own"]).await;
    let own = &people[0];
    let ana = app.register("ana@example.org", "ana").await;
    let invite = json!({ "communityId": community, "personId": ana.person_id });
    app.community_mutation(own, "inviteToCommunity", invite)
        .await;
    app.community_mutation(&ana, "joinCommunity", json!({ "communityId": community }))
        .await;
    let (thread, _) = app
        .start_thread(&ana, &community, "Bins", "DISCUSSION")
        .await;
    let hub = app.register("hub@example.org", "hub").await;
    let hide = json!({ "action": "HIDE", "contentId": thread, "reason": "Reported by a resident" });
    assert_eq!(
        error_code(&app.moderate(&hub, hide.clone()).await),
        "NOT_FOUND"
    );
    app.make_hub_administrator("hub@example.org").await;
    no_user_errors(&app.moderate(&hub, hide).await);
    let seen = app
        .node(Some(&ana), &thread, "... on Thread { status }")
        .await;
    assert_eq!(seen["status"], "HIDDEN", "{seen}");

    // A practice with no community: its flags go to the hub's queue, and only hub
    // administrators act on it.
    let (practice, _) = app.published_practice(&ana, "Photos of blocked bins").await;
    let readers = [
        app.register("rae@example.org", "rae").await,
        app.register("rob@example.org", "rob").await,
        app.register("roz@example.org", "roz").await,
    ];
    for (n, reader) in readers.iter().enumerate() {
        assert_eq!(
            app.flag(reader, &practice, "OFF_TOPIC").await["hidden"],
            n == 2
        );
    }
    let restore = json!({ "action": "RESTORE", "contentId": practice });
    assert_eq!(
        error_code(&app.moderate(own, restore.clone()).await),
        "NOT_FOUND"
    );

    let hub_wide = "{ moderationQueue(first: 5) { totalCount nodes { flagCount content { __typename } } } moderationLog(first: 5) { nodes { action community { name } } } }";
    let none = app
        .graphql_as(&own.access_token, hub_wide, Value::Null)
        .await;
    assert!(none["data"]["moderationQueue"].is_null(), "{none}");
    assert!(none["data"]["moderationLog"].is_null(), "{none}");
    let all = app
        .graphql_as(&hub.access_token, hub_wide, Value::Null)
        .await;
    assert_eq!(all["data"]["moderationQueue"]["totalCount"], 1, "{all}");
    assert_eq!(all["data"]["moderationQueue"]["nodes"][0]["flagCount"], 3);
    let log = &all["data"]["moderationLog"]["nodes"];
    assert_eq!(log[0]["action"], "HIDDEN_BY_FLAGS", "{all}");
    assert!(log[0]["community"].is_null());
    assert_eq!(log[1]["action"], "HIDE");

    no_user_errors(&app.moderate(&hub, restore).await);
    let ban =
        json!({ "action": "BAN_MEMBER", "communityId": community, "personId": ana.person_id });
    no_user_errors(&app.moderate(&hub, ban).await);
    let gone = app
        .node(Some(&ana), &thread, "... on Thread { status }")
        .await;
    assert!(
        gone.is_null(),
        "a banned member no longer reads a private community"
    );
}

#[tokio::test]
async fn organisation_administrators_moderate_their_own_peoples_content_and_membership() {
    let app = TestApp::spawn().await;
    let leeds = app.council_with("leeds", &["lad", "ana"]).await;
    let york = app.council_with("york", &["yan", "ben"]).await;
    app.make_organisation_administrator("lad@leeds.gov.uk", "leeds")
        .await;
    let community = app.create_community(&york[0], "care", "OPEN").await;
    for member in [&leeds[1], &york[1]] {
        app.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    let (thread, _) = app
        .start_thread(&york[0], &community, "Bins", "DISCUSSION")
        .await;
    let ours = post_id(&app.reply(&leeds[1], &thread, "Our address is …").await);
    let theirs = post_id(&app.reply(&york[1], &thread, "Thanks").await);

    let hide = |id: &str| json!({ "action": "HIDE", "contentId": id, "reason": "Personal data" });
    let lad = &leeds[0];
    assert_eq!(
        error_code(&app.moderate(lad, hide(&theirs)).await),
        "FORBIDDEN"
    );
    no_user_errors(&app.moderate(lad, hide(&ours)).await);
    let status = "... on Post { status }";
    assert_eq!(
        app.node(Some(&leeds[1]), &ours, status).await["status"],
        "HIDDEN"
    );
    assert!(app.node(Some(&york[1]), &ours, status).await.is_null());

    let ban = |who: &Session| json!({ "action": "BAN_MEMBER", "communityId": community, "personId": who.person_id });
    assert_eq!(
        error_code(&app.moderate(lad, ban(&york[1])).await),
        "FORBIDDEN"
    );
    no_user_errors(&app.moderate(lad, ban(&leeds[1])).await);
}
