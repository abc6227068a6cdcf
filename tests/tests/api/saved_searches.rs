//! Saved searches: kept per person, reporting what is new since they last looked, as they may
//! read it at the time they look.

use std::time::Duration;

use khub_tests::{Session, TestApp, error_code};
use serde_json::{Value, json};

const FIELDS: &str = "savedSearch { id name query filter { types tag } newMatchCount
    newMatches { totalCount nodes { ... on Practice { title } ... on Thread { title } } } }";

async fn save(app: &TestApp, who: &Session, input: Value) -> Value {
    app.mutate(who, "saveSearch", input, FIELDS).await
}

async fn saved(app: &TestApp, who: &Session) -> Value {
    let query = format!(
        "{{ viewer {{ savedSearches {{ totalCount nodes {{ {} }} }} }} }}",
        &FIELDS[14..FIELDS.len() - 2]
    );
    let body = app.graphql_as(&who.access_token, &query, Value::Null).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"]["viewer"]["savedSearches"].clone()
}

fn titles(search: &Value) -> Vec<&str> {
    let nodes = search["newMatches"]["nodes"]
        .as_array()
        .into_iter()
        .flatten();
    nodes.filter_map(|n| n["title"].as_str()).collect()
}

#[tokio::test]
async fn new_matches_are_what_appeared_since_the_owner_last_looked() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    app.published_practice(&ana, "Gritting before the frost")
        .await;
    let input =
        json!({ "name": "Winter roads", "query": "gritting", "filter": { "types": ["PRACTICE"] } });
    let payload = save(&app, &ana, input).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    let search = &payload["savedSearch"];
    assert_eq!(
        search["newMatchCount"], 0,
        "what it found when saved counts as seen: {payload}"
    );
    assert_eq!(search["filter"]["types"], json!(["PRACTICE"]));
    let id = search["id"].clone();

    app.clock.advance(Duration::from_secs(60));
    app.published_practice(&ana, "Gritting cycle lanes").await;
    let listed = saved(&app, &ana).await;
    assert_eq!(listed["totalCount"], 1);
    let kept = &listed["nodes"][0];
    assert_eq!(kept["newMatchCount"], 1, "{listed}");
    assert_eq!(titles(kept), ["Gritting cycle lanes"]);

    let seen = app
        .mutate(
            &ana,
            "markSavedSearchSeen",
            json!({ "savedSearchId": id }),
            FIELDS,
        )
        .await;
    assert_eq!(seen["savedSearch"]["newMatchCount"], 0, "{seen}");
    let changed = json!({ "savedSearchId": id, "query": "frost", "name": "Frost" });
    let updated = app.mutate(&ana, "updateSavedSearch", changed, FIELDS).await;
    assert_eq!(updated["savedSearch"]["query"], "frost", "{updated}");
    assert_eq!(
        updated["savedSearch"]["filter"]["types"],
        json!(["PRACTICE"])
    );

    app.mutate(
        &ana,
        "deleteSavedSearch",
        json!({ "savedSearchId": id }),
        "savedSearch { id }",
    )
    .await;
    assert_eq!(saved(&app, &ana).await["totalCount"], 0);
}

#[tokio::test]
async fn matches_follow_what_the_owner_may_read_when_they_look() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("RESTRICTED", &["owner", "member"])
        .await;
    let (owner, member) = (&people[0], &people[1]);
    let approve =
        json!({ "communityId": community, "personId": member.person_id, "decision": "APPROVE" });
    app.community_mutation(owner, "decideMembership", approve)
        .await;
    let payload = save(&app, member, json!({ "name": "Care", "query": "respite" })).await;
    let id = payload["savedSearch"]["id"].clone();
    app.clock.advance(Duration::from_secs(60));
    app.start_thread(owner, &community, "Respite beds this winter", "DISCUSSION")
        .await;
    assert_eq!(
        titles(&saved(&app, member).await["nodes"][0]),
        ["Respite beds this winter"]
    );

    app.community_mutation(
        member,
        "leaveCommunity",
        json!({ "communityId": community }),
    )
    .await;
    let after = saved(&app, member).await;
    assert_eq!(
        after["nodes"][0]["newMatchCount"], 0,
        "left, so no longer found: {after}"
    );
    assert_eq!(after["nodes"][0]["id"], id);
}

#[tokio::test]
async fn a_saved_search_is_its_owners_alone_and_bad_input_saves_nothing() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    let bob = app.register("bob@example.org", "bob").await;
    let refused = save(&app, &ana, json!({ "name": " ", "query": "the" })).await;
    let fields: Vec<&str> = refused["userErrors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["name", "query"], "{refused}");
    assert_eq!(saved(&app, &ana).await["totalCount"], 0);

    let kept = save(&app, &ana, json!({ "name": "Mine", "query": "potholes" })).await;
    let id = kept["savedSearch"]["id"]
        .as_str()
        .expect("saved")
        .to_owned();
    assert_eq!(app.node(Some(&bob), &id, "id").await, Value::Null);
    assert_eq!(app.node(None, &id, "id").await, Value::Null);
    assert_eq!(app.node(Some(&ana), &id, "id").await["id"], id.as_str());
    let theirs = app
        .mutate(
            &bob,
            "deleteSavedSearch",
            json!({ "savedSearchId": id }),
            "savedSearch { id }",
        )
        .await;
    assert_eq!(error_code(&theirs), "NOT_FOUND", "{theirs}");
    let viewed = app
        .graphql_as(
            &bob.access_token,
            "{ viewer { savedSearches { totalCount } } }",
            Value::Null,
        )
        .await;
    assert_eq!(viewed["data"]["viewer"]["savedSearches"]["totalCount"], 0);
}
