//! Practices hidden and restored, by flags or facilitators; hub administrators act in every
//! community and see the whole hub's queue and log.

use khub_tests::{Session, TestApp, error_code};
use serde_json::{Value, json};

const PRACTICE: &str = "... on Practice { title hidden moderationReason }";

async fn moderate(app: &TestApp, who: &Session, input: Value) -> Value {
    app.mutate(
        who,
        "moderate",
        input,
        "practice { hidden } post { status }",
    )
    .await
}

fn ok(payload: &Value) {
    assert!(
        payload["userErrors"].as_array().is_some_and(Vec::is_empty),
        "{payload}"
    );
}

async fn reputation(app: &TestApp, who: &Session) -> i64 {
    let query = "query P($id: ID!) { node(id: $id) { ... on Person { reputation } } }";
    let body = app.graphql(query, json!({ "id": who.person_id })).await;
    body["data"]["node"]["reputation"]
        .as_i64()
        .expect("reputation")
}

async fn found(app: &TestApp, words: &str) -> u64 {
    let query = "query S($q: String!) { search(query: $q) { totalCount } }";
    let body = app.graphql(query, json!({ "q": words })).await;
    body["data"]["search"]["totalCount"]
        .as_u64()
        .expect("count")
}

async fn flag(app: &TestApp, who: &Session, content: &str) -> Value {
    let input = json!({ "contentId": content, "reason": "OFF_TOPIC" });
    app.mutate(who, "flagContent", input, "flagged hidden")
        .await
}

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
    ok(&app.mutate(&york[0], "endorsePractice", endorse, "").await);
    let earned = reputation(&app, ana).await;
    assert_eq!(found(&app, "blocked bins").await, 1);

    assert_eq!(error_code(&flag(&app, ana, &practice).await), "OWN_CONTENT");
    assert_eq!(flag(&app, &york[0], &practice).await["hidden"], false);
    assert_eq!(flag(&app, &york[1], &practice).await["hidden"], true);

    assert!(app.node(None, &practice, PRACTICE).await.is_null());
    assert!(
        app.node(Some(&york[0]), &practice, PRACTICE)
            .await
            .is_null()
    );
    assert_eq!(found(&app, "blocked bins").await, 0);
    let listed = app
        .graphql("{ practices(first: 10) { totalCount } }", Value::Null)
        .await;
    assert_eq!(listed["data"]["practices"]["totalCount"], 0, "{listed}");
    let own_view = app.node(Some(ana), &practice, PRACTICE).await;
    assert_eq!(own_view["hidden"], true, "{own_view}");
    assert!(reputation(&app, ana).await < earned);
    let again = json!({ "practiceId": practice, "comment": "Still works" });
    assert_eq!(
        error_code(&app.mutate(fac, "endorsePractice", again, "").await),
        "HIDDEN"
    );

    let queue = "... on Community { moderationQueue(first: 5) { totalCount nodes { flagCount content { __typename ... on Practice { hidden } } } } }";
    let waiting = app.node(Some(fac), &community, queue).await["moderationQueue"].clone();
    assert_eq!(waiting["nodes"][0]["flagCount"], 2, "{waiting}");
    assert_eq!(waiting["nodes"][0]["content"]["__typename"], "Practice");

    let restored = moderate(
        &app,
        fac,
        json!({ "action": "RESTORE", "contentId": practice }),
    )
    .await;
    assert_eq!(restored["practice"]["hidden"], false, "{restored}");
    assert_eq!(reputation(&app, ana).await, earned);
    assert_eq!(found(&app, "blocked bins").await, 1);
    assert_eq!(
        app.node(None, &practice, PRACTICE).await["title"],
        "Photos of blocked bins"
    );

    let hide = json!({ "action": "HIDE", "contentId": practice, "reason": "Names a resident" });
    let member = moderate(&app, &york[0], hide.clone()).await;
    assert_eq!(error_code(&member), "FORBIDDEN");
    ok(&moderate(&app, fac, hide).await);
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
        error_code(&moderate(&app, &hub, hide.clone()).await),
        "NOT_FOUND"
    );
    app.make_hub_administrator("hub@example.org").await;
    ok(&moderate(&app, &hub, hide).await);
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
        assert_eq!(flag(&app, reader, &practice).await["hidden"], n == 2);
    }
    let restore = json!({ "action": "RESTORE", "contentId": practice });
    assert_eq!(
        error_code(&moderate(&app, own, restore.clone()).await),
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

    ok(&moderate(&app, &hub, restore).await);
    let ban =
        json!({ "action": "BAN_MEMBER", "communityId": community, "personId": ana.person_id });
    ok(&moderate(&app, &hub, ban).await);
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
    let post = |payload: Value| payload["post"]["id"].as_str().expect("post").to_owned();
    let ours = post(
        app.reply(&leeds[1], &thread, "Our resident's address is …")
            .await,
    );
    let theirs = post(app.reply(&york[1], &thread, "Thanks").await);

    let hide = |id: &str| json!({ "action": "HIDE", "contentId": id, "reason": "Personal data" });
    let lad = &leeds[0];
    assert_eq!(
        error_code(&moderate(&app, lad, hide(&theirs)).await),
        "FORBIDDEN"
    );
    ok(&moderate(&app, lad, hide(&ours)).await);
    let status = "... on Post { status }";
    assert_eq!(
        app.node(Some(&leeds[1]), &ours, status).await["status"],
        "HIDDEN"
    );
    assert!(app.node(Some(&york[1]), &ours, status).await.is_null());

    let ban = |who: &Session| json!({ "action": "BAN_MEMBER", "communityId": community, "personId": who.person_id });
    assert_eq!(
        error_code(&moderate(&app, lad, ban(&york[1])).await),
        "FORBIDDEN"
    );
    ok(&moderate(&app, lad, ban(&leeds[1])).await);
}
