//! Communities: each way in, each role rule.

use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

async fn people(app: &TestApp, handles: &[&str]) -> Vec<Session> {
    let mut sessions = Vec::new();
    for handle in handles {
        sessions.push(app.register(&format!("{handle}@example.org"), handle).await);
    }
    sessions
}

fn user_error_code(payload: &Value) -> &str {
    payload["userErrors"][0]["code"].as_str().unwrap_or("")
}

fn top_error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

async fn standing(app: &TestApp, who: &Session, slug: &str) -> Value {
    let query = "query S($slug: String!) { community(slug: $slug) { memberCount viewerRole viewerHasRequested viewerIsInvited } }";
    app.graphql_as(&who.access_token, query, json!({ "slug": slug }))
        .await["data"]["community"]
        .clone()
}

#[tokio::test]
async fn an_open_community_is_joined_at_once() {
    let app = TestApp::spawn().await;
    let [owner, joiner] =
        <[Session; 2]>::try_from(people(&app, &["own", "joy"]).await).expect("two");
    let id = app.create_community(&owner, "open-care", "OPEN").await;
    let payload = app
        .community_mutation(&joiner, "joinCommunity", json!({ "communityId": id }))
        .await;
    assert!(
        payload["userErrors"]
            .as_array()
            .is_some_and(|e| e.is_empty()),
        "{payload}"
    );
    let seen = standing(&app, &joiner, "open-care").await;
    assert_eq!(
        (seen["viewerRole"].as_str(), seen["memberCount"].as_u64()),
        (Some("MEMBER"), Some(2))
    );
    let again = app
        .community_mutation(&joiner, "joinCommunity", json!({ "communityId": id }))
        .await;
    assert!(again["userErrors"].as_array().is_some_and(|e| e.is_empty()));
    assert_eq!(
        standing(&app, &joiner, "open-care").await["memberCount"],
        2,
        "joining twice counts once"
    );
}

#[tokio::test]
async fn a_restricted_community_is_joined_by_request_and_a_facilitators_decision() {
    let app = TestApp::spawn().await;
    let [owner, asker, refused] =
        <[Session; 3]>::try_from(people(&app, &["own", "ask", "nay"]).await).expect("three");
    let id = app.create_community(&owner, "planning", "RESTRICTED").await;
    for who in [&asker, &refused] {
        app.community_mutation(who, "joinCommunity", json!({ "communityId": id }))
            .await;
    }
    let asking = standing(&app, &asker, "planning").await;
    assert_eq!(
        (
            asking["viewerRole"].clone(),
            asking["viewerHasRequested"].clone()
        ),
        (Value::Null, json!(true))
    );
    let queue = app
        .graphql_as(&owner.access_token, "{ community(slug: \"planning\") { membershipRequests { totalCount nodes { person { handle } } } } }", Value::Null)
        .await;
    assert_eq!(
        queue["data"]["community"]["membershipRequests"]["totalCount"],
        2
    );
    let queue_for_asker = app
        .graphql_as(
            &asker.access_token,
            "{ community(slug: \"planning\") { membershipRequests { totalCount } } }",
            Value::Null,
        )
        .await;
    assert!(queue_for_asker["data"]["community"]["membershipRequests"].is_null());

    let approve = json!({ "communityId": id, "personId": asker.person_id, "decision": "APPROVE" });
    app.community_mutation(&owner, "decideMembership", approve)
        .await;
    let reject = json!({ "communityId": id, "personId": refused.person_id, "decision": "REJECT" });
    app.community_mutation(&owner, "decideMembership", reject)
        .await;
    assert_eq!(
        standing(&app, &asker, "planning").await["viewerRole"],
        "MEMBER"
    );
    let rejected = standing(&app, &refused, "planning").await;
    assert_eq!(
        (
            rejected["viewerRole"].clone(),
            rejected["viewerHasRequested"].clone()
        ),
        (Value::Null, json!(false))
    );

    let not_pending =
        json!({ "communityId": id, "personId": refused.person_id, "decision": "APPROVE" });
    let payload = app
        .community_mutation(&owner, "decideMembership", not_pending)
        .await;
    assert_eq!(user_error_code(&payload), "NOT_PENDING");
    let by_member =
        json!({ "communityId": id, "personId": refused.person_id, "decision": "APPROVE" });
    assert_eq!(
        top_error_code(
            &app.community_mutation(&asker, "decideMembership", by_member)
                .await
        ),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn a_private_community_is_joined_only_by_invitation() {
    let app = TestApp::spawn().await;
    let [owner, guest, stranger] =
        <[Session; 3]>::try_from(people(&app, &["own", "gst", "str"]).await).expect("three");
    let id = app
        .create_community(&owner, "safeguarding", "PRIVATE")
        .await;
    let uninvited = app
        .community_mutation(&stranger, "joinCommunity", json!({ "communityId": id }))
        .await;
    assert_eq!(
        top_error_code(&uninvited),
        "NOT_FOUND",
        "as if it did not exist"
    );
    assert!(standing(&app, &guest, "safeguarding").await.is_null());

    let invite = json!({ "communityId": id, "personId": guest.person_id });
    let payload = app
        .community_mutation(&owner, "inviteToCommunity", invite)
        .await;
    assert!(
        payload["userErrors"]
            .as_array()
            .is_some_and(|e| e.is_empty()),
        "{payload}"
    );
    assert_eq!(
        standing(&app, &guest, "safeguarding").await["viewerIsInvited"],
        true
    );
    app.community_mutation(&guest, "joinCommunity", json!({ "communityId": id }))
        .await;
    assert_eq!(
        standing(&app, &guest, "safeguarding").await["viewerRole"],
        "MEMBER"
    );
    let twice = app
        .community_mutation(
            &owner,
            "inviteToCommunity",
            json!({ "communityId": id, "personId": guest.person_id }),
        )
        .await;
    assert_eq!(user_error_code(&twice), "ALREADY_MEMBER");

    let left = app
        .community_mutation(&guest, "leaveCommunity", json!({ "communityId": id }))
        .await;
    assert!(left["userErrors"].as_array().is_some_and(|e| e.is_empty()));
    assert!(
        standing(&app, &guest, "safeguarding").await.is_null(),
        "gone from view once left"
    );
}

#[tokio::test]
async fn only_owners_make_owners_and_a_community_keeps_one() {
    let app = TestApp::spawn().await;
    let [owner, helper, member] =
        <[Session; 3]>::try_from(people(&app, &["own", "hlp", "mem"]).await).expect("three");
    let id = app.create_community(&owner, "roles", "OPEN").await;
    for who in [&helper, &member] {
        app.community_mutation(who, "joinCommunity", json!({ "communityId": id }))
            .await;
    }
    let role = |person: &Session, role: &str| json!({ "communityId": id, "personId": person.person_id, "role": role });

    app.community_mutation(&owner, "setMemberRole", role(&helper, "FACILITATOR"))
        .await;
    assert_eq!(
        standing(&app, &helper, "roles").await["viewerRole"],
        "FACILITATOR"
    );
    // A facilitator may make facilitators, not owners.
    let payload = app
        .community_mutation(&helper, "setMemberRole", role(&member, "FACILITATOR"))
        .await;
    assert!(
        payload["userErrors"]
            .as_array()
            .is_some_and(|e| e.is_empty()),
        "{payload}"
    );
    let refused = app
        .community_mutation(&helper, "setMemberRole", role(&member, "OWNER"))
        .await;
    assert_eq!(top_error_code(&refused), "FORBIDDEN");
    let demote_owner = app
        .community_mutation(&helper, "setMemberRole", role(&owner, "MEMBER"))
        .await;
    assert_eq!(top_error_code(&demote_owner), "FORBIDDEN");
    // A member may change nobody's role.
    app.community_mutation(&owner, "setMemberRole", role(&member, "MEMBER"))
        .await;
    let by_member = app
        .community_mutation(&member, "setMemberRole", role(&helper, "MEMBER"))
        .await;
    assert_eq!(top_error_code(&by_member), "FORBIDDEN");

    let last_out = app
        .community_mutation(&owner, "leaveCommunity", json!({ "communityId": id }))
        .await;
    assert_eq!(user_error_code(&last_out), "LAST_OWNER");
    let last_demoted = app
        .community_mutation(&owner, "setMemberRole", role(&owner, "MEMBER"))
        .await;
    assert_eq!(user_error_code(&last_demoted), "LAST_OWNER");

    app.community_mutation(&owner, "setMemberRole", role(&helper, "OWNER"))
        .await;
    let stepped_down = app
        .community_mutation(&owner, "leaveCommunity", json!({ "communityId": id }))
        .await;
    assert!(
        stepped_down["userErrors"]
            .as_array()
            .is_some_and(|e| e.is_empty()),
        "{stepped_down}"
    );
    assert_eq!(
        standing(&app, &helper, "roles").await["viewerRole"],
        "OWNER"
    );
}

#[tokio::test]
async fn bad_community_input_is_a_user_error_and_slugs_are_unique() {
    let app = TestApp::spawn().await;
    let owner = app.register("own@example.org", "own").await;
    app.create_community(&owner, "taken", "OPEN").await;
    let query = "mutation C($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } userErrors { field code } } }";
    let bad =
        json!({ "name": "", "slug": "Not A Slug", "visibility": "OPEN", "promotionThreshold": 0 });
    let body = app
        .graphql_as(&owner.access_token, query, json!({ "input": bad }))
        .await;
    let fields: Vec<&str> = body["data"]["createCommunity"]["userErrors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["slug", "name", "promotionThreshold"]);
    let taken = json!({ "name": "Again", "slug": "taken", "visibility": "OPEN" });
    let body = app
        .graphql_as(&owner.access_token, query, json!({ "input": taken }))
        .await;
    assert_eq!(
        body["data"]["createCommunity"]["userErrors"][0]["code"],
        "TAKEN"
    );
}

#[tokio::test]
async fn communities_list_by_name_or_activity_and_mine() {
    let app = TestApp::spawn().await;
    let [owner, reader] =
        <[Session; 2]>::try_from(people(&app, &["own", "rdr"]).await).expect("two");
    for slug in ["beta", "alpha", "gamma"] {
        app.create_community(&owner, slug, "OPEN").await;
    }
    let query = "query L($order: CommunityOrder, $filter: CommunityFilter) { communities(orderBy: $order, filter: $filter) { totalCount nodes { slug } } }";
    let by_name = app.graphql(query, json!({ "order": "NAME" })).await;
    assert_eq!(
        by_name["data"]["communities"]["nodes"],
        json!([{ "slug": "alpha" }, { "slug": "beta" }, { "slug": "gamma" }])
    );
    let by_activity = app.graphql(query, json!({ "order": "ACTIVITY" })).await;
    assert_eq!(
        by_activity["data"]["communities"]["nodes"][0]["slug"], "gamma",
        "newest first"
    );
    let mine = app
        .graphql_as(
            &reader.access_token,
            query,
            json!({ "filter": { "mine": true } }),
        )
        .await;
    assert_eq!(mine["data"]["communities"]["totalCount"], 0);
    let anonymous_mine = app
        .graphql(query, json!({ "filter": { "mine": true } }))
        .await;
    assert_eq!(anonymous_mine["data"]["communities"]["totalCount"], 0);
}

#[tokio::test]
async fn two_owners_leaving_at_once_leave_exactly_one_owner() {
    let app = TestApp::spawn().await;
    let [first, second] =
        <[Session; 2]>::try_from(people(&app, &["one", "two"]).await).expect("two");
    let id = app.create_community(&first, "race", "OPEN").await;
    app.community_mutation(&second, "joinCommunity", json!({ "communityId": id }))
        .await;
    let make_owner = json!({ "communityId": id, "personId": second.person_id, "role": "OWNER" });
    app.community_mutation(&first, "setMemberRole", make_owner)
        .await;

    let leave = json!({ "communityId": id });
    let (a, b) = tokio::join!(
        app.community_mutation(&first, "leaveCommunity", leave.clone()),
        app.community_mutation(&second, "leaveCommunity", leave.clone()),
    );
    let refused: Vec<&str> = [&a, &b]
        .iter()
        .map(|p| user_error_code(p))
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(refused, ["LAST_OWNER"], "{a} {b}");
    let remaining = app
        .graphql(
            "{ community(slug: \"race\") { memberCount members { nodes { role } } } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        remaining["data"]["community"]["members"]["nodes"],
        json!([{ "role": "OWNER" }])
    );
    assert_eq!(remaining["data"]["community"]["memberCount"], 1);
}

#[tokio::test]
async fn inviting_someone_who_does_not_exist_is_a_user_error() {
    use base64::Engine;
    let app = TestApp::spawn().await;
    let owner = app.register("own@example.org", "own").await;
    let id = app.create_community(&owner, "closed", "PRIVATE").await;
    let nobody = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("Person:{}", uuid::Uuid::now_v7().simple()));
    let invite = json!({ "communityId": id, "personId": nobody });
    let payload = app
        .community_mutation(&owner, "inviteToCommunity", invite)
        .await;
    assert_eq!(user_error_code(&payload), "NOT_FOUND", "{payload}");
}
