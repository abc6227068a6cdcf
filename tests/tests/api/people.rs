//! Profiles, follows and finding people.

use khub_domain::organisation::OrganisationKind;
use khub_tests::TestApp;
use serde_json::{Value, json};

const FOLLOW: &str = "mutation F($id: ID!) { followPerson(input: { personId: $id }) { person { handle followerCount viewerFollows } userErrors { field code } } }";
const UNFOLLOW: &str = "mutation U($id: ID!) { unfollowPerson(input: { personId: $id }) { person { followerCount viewerFollows } } }";

#[tokio::test]
async fn a_person_edits_their_profile_and_bad_input_changes_nothing() {
    let app = TestApp::spawn().await;
    let me = app.register("tia@example.org", "tia").await;
    let update = "mutation U($input: UpdateProfileInput!) { updateProfile(input: $input) { person { displayName jobTitle area interests bio } userErrors { field code } } }";
    let input = json!({ "displayName": "Tia Jones", "jobTitle": "Policy officer", "area": "Kent", "interests": ["Housing", "housing", "Adult care"] });
    let body = app
        .graphql_as(&me.access_token, update, json!({ "input": input }))
        .await;
    let person = &body["data"]["updateProfile"]["person"];
    assert_eq!(person["displayName"], "Tia Jones");
    assert_eq!(person["interests"], json!(["adult care", "housing"]));

    let bad = json!({ "bio": "b".repeat(4001), "displayName": "Changed" });
    let refused = app
        .graphql_as(&me.access_token, update, json!({ "input": bad }))
        .await;
    assert_eq!(
        refused["data"]["updateProfile"]["userErrors"][0]["field"],
        "bio"
    );
    let unchanged = app
        .graphql(
            "{ person(handle: \"tia\") { displayName bio email } }",
            Value::Null,
        )
        .await;
    assert_eq!(unchanged["data"]["person"]["displayName"], "Tia Jones");
    assert!(
        unchanged["data"]["person"]["email"].is_null(),
        "e-mail is private"
    );
}

#[tokio::test]
async fn a_profile_change_is_seen_by_the_persons_next_request_on_every_instance() {
    let a = TestApp::spawn().await;
    // With Redis, a second instance shares sessions; embedded, the one instance stands for both.
    let sibling = match a.backend_has_redis() {
        true => Some(a.spawn_sibling().await),
        false => None,
    };
    let b = sibling.as_ref().unwrap_or(&a);
    let me = a.register("wes@example.org", "wes").await;
    let viewer = "{ viewer { displayName } }";
    for app in [&a, b] {
        let before = app.graphql_as(&me.access_token, viewer, Value::Null).await;
        assert_eq!(before["data"]["viewer"]["displayName"], "wes");
    }
    let update = "mutation U($input: UpdateProfileInput!) { updateProfile(input: $input) { person { displayName } } }";
    let input = json!({ "displayName": "Wes Hart" });
    a.graphql_as(&me.access_token, update, json!({ "input": input }))
        .await;
    for app in [&a, b] {
        let after = app.graphql_as(&me.access_token, viewer, Value::Null).await;
        assert_eq!(after["data"]["viewer"]["displayName"], "Wes Hart");
    }
}

#[tokio::test]
async fn following_is_counted_idempotent_and_reversible() {
    let app = TestApp::spawn().await;
    let fan = app.register("uma@example.org", "uma").await;
    let star = app.register("vic@example.org", "vic").await;
    let followed = app
        .graphql_as(&fan.access_token, FOLLOW, json!({ "id": star.person_id }))
        .await;
    let person = &followed["data"]["followPerson"]["person"];
    assert_eq!(
        (
            person["followerCount"].as_u64(),
            person["viewerFollows"].as_bool()
        ),
        (Some(1), Some(true))
    );
    let again = app
        .graphql_as(&fan.access_token, FOLLOW, json!({ "id": star.person_id }))
        .await;
    assert_eq!(again["data"]["followPerson"]["person"]["followerCount"], 1);
    let lists = app
        .graphql(
            "{ person(handle: \"uma\") { followingCount following { nodes { handle } } } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        lists["data"]["person"]["following"]["nodes"],
        json!([{ "handle": "vic" }])
    );
    let unfollowed = app
        .graphql_as(&fan.access_token, UNFOLLOW, json!({ "id": star.person_id }))
        .await;
    assert_eq!(
        unfollowed["data"]["unfollowPerson"]["person"]["followerCount"],
        0
    );
    let own = app
        .graphql_as(&fan.access_token, FOLLOW, json!({ "id": fan.person_id }))
        .await;
    assert_eq!(own["data"]["followPerson"]["userErrors"][0]["code"], "SELF");
}

#[tokio::test]
async fn people_are_found_by_text_and_organisation() {
    let app = TestApp::spawn().await;
    app.create_organisation(
        "bath",
        "Bath Council",
        OrganisationKind::Council,
        &["bath.gov.uk"],
    )
    .await;
    app.register("wyn@bath.gov.uk", "wyn").await;
    app.register("wynona@example.org", "wynona").await;
    app.register("xan@bath.gov.uk", "xan").await;
    let query = "query P($filter: PersonFilter) { people(filter: $filter) { totalCount nodes { handle } } }";
    let by_text = app
        .graphql(query, json!({ "filter": { "text": "WYN" } }))
        .await;
    assert_eq!(by_text["data"]["people"]["totalCount"], 2);
    let by_org = app
        .graphql(query, json!({ "filter": { "organisationSlug": "bath" } }))
        .await;
    assert_eq!(
        by_org["data"]["people"]["nodes"],
        json!([{ "handle": "wyn" }, { "handle": "xan" }])
    );
    let nowhere = app
        .graphql(
            query,
            json!({ "filter": { "organisationSlug": "nowhere" } }),
        )
        .await;
    assert_eq!(nowhere["data"]["people"]["totalCount"], 0);
    let members = app
        .graphql(
            "{ organisation(slug: \"bath\") { people { nodes { handle } } } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        members["data"]["organisation"]["people"]["nodes"],
        json!([{ "handle": "wyn" }, { "handle": "xan" }])
    );
}

#[tokio::test]
async fn a_person_is_a_node() {
    let app = TestApp::spawn().await;
    let me = app.register("yas@example.org", "yas").await;
    let node = app
        .graphql(
            "query N($id: ID!) { node(id: $id) { ... on Person { handle } } }",
            json!({ "id": me.person_id }),
        )
        .await;
    assert_eq!(node["data"]["node"]["handle"], "yas");
}

#[tokio::test]
async fn only_hub_administrators_add_organisations() {
    let app = TestApp::spawn().await;
    let me = app.register("zed@example.org", "zed").await;
    let create = "mutation { createOrganisation(input: { slug: \"york\", name: \"York Council\", kind: COUNCIL, verifiedDomains: [\"york.gov.uk\"] }) { organisation { slug } userErrors { field } } }";
    let refused = app.graphql_as(&me.access_token, create, Value::Null).await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    app.make_hub_administrator("zed@example.org").await;
    let created = app.graphql_as(&me.access_token, create, Value::Null).await;
    assert_eq!(
        created["data"]["createOrganisation"]["organisation"]["slug"],
        "york"
    );
    let again = app.graphql_as(&me.access_token, create, Value::Null).await;
    assert_eq!(
        again["data"]["createOrganisation"]["userErrors"][0]["field"],
        "slug"
    );
}
