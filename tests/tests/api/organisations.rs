//! Organisations through the public API: lookup, Relay pagination and global ids.

use khub_domain::organisation::OrganisationKind;
use khub_tests::TestApp;
use serde_json::{Value, json};

async fn with_councils(names: &[&str]) -> TestApp {
    let app = TestApp::spawn().await;
    for name in names {
        let slug = name.to_lowercase().replace(' ', "-");
        let domain = format!("{slug}.gov.uk");
        app.create_organisation(&slug, name, OrganisationKind::Council, &[&domain])
            .await;
    }
    app
}

fn names(connection: &Value) -> Vec<String> {
    connection["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .filter_map(|n| n["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const PAGE: &str = "query Page($first: Int, $after: String, $last: Int, $before: String, $text: String) {
  organisations(first: $first, after: $after, last: $last, before: $before, filter: { text: $text }) {
    totalCount
    nodes { name }
    edges { cursor }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

#[tokio::test]
async fn an_organisation_is_found_by_slug_and_by_global_id() {
    let app = with_councils(&["Leeds"]).await;
    let body = app
        .graphql(
            "{ organisation(slug: \"leeds\") { id name kind verifiedDomains } }",
            Value::Null,
        )
        .await;
    let org = &body["data"]["organisation"];
    assert_eq!(org["kind"], "COUNCIL");
    assert_eq!(org["verifiedDomains"], json!(["leeds.gov.uk"]));
    let id = org["id"].as_str().expect("an id");
    let node = app
        .graphql(
            "query N($id: ID!) { node(id: $id) { id ... on Organisation { slug } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(node["data"]["node"], json!({ "id": id, "slug": "leeds" }));
}

#[tokio::test]
async fn unknown_slugs_and_ids_read_as_null() {
    let app = TestApp::spawn().await;
    let body = app
        .graphql(
            "{ organisation(slug: \"nowhere\") { id } node(id: \"bm9wZQ\") { id } nodes(ids: [\"bm9wZQ\", \"\"]) { id } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        body["data"],
        json!({ "organisation": null, "node": null, "nodes": [null, null] })
    );
}

#[tokio::test]
async fn nodes_returns_objects_in_the_order_asked() {
    let app = with_councils(&["Bristol", "Cardiff"]).await;
    let page = app
        .graphql("{ organisations { nodes { id name } } }", Value::Null)
        .await;
    let nodes = page["data"]["organisations"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ids: Vec<Value> = nodes.iter().rev().map(|n| n["id"].clone()).collect();
    let body = app
        .graphql(
            "query N($ids: [ID!]!) { nodes(ids: $ids) { ... on Organisation { name } } }",
            json!({ "ids": ids }),
        )
        .await;
    assert_eq!(
        body["data"]["nodes"],
        json!([{ "name": "Cardiff" }, { "name": "Bristol" }])
    );
}

#[tokio::test]
async fn pages_walk_forwards_and_backwards_by_name() {
    let app = with_councils(&["Exeter", "Bath", "Derby", "Cardiff", "Ashford"]).await;
    let first = app.graphql(PAGE, json!({ "first": 2 })).await;
    let first = &first["data"]["organisations"];
    assert_eq!(names(first), ["Ashford", "Bath"]);
    assert_eq!(first["totalCount"], 5);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false);

    let after = first["pageInfo"]["endCursor"].clone();
    let second = app
        .graphql(PAGE, json!({ "first": 2, "after": after }))
        .await;
    let second = &second["data"]["organisations"];
    assert_eq!(names(second), ["Cardiff", "Derby"]);
    assert_eq!(second["pageInfo"]["hasPreviousPage"], true);

    let before = second["pageInfo"]["startCursor"].clone();
    let back = app
        .graphql(PAGE, json!({ "last": 1, "before": before }))
        .await;
    let back = &back["data"]["organisations"];
    assert_eq!(names(back), ["Bath"]);
    assert_eq!(back["pageInfo"]["hasPreviousPage"], true);

    let last = app.graphql(PAGE, json!({ "last": 2 })).await;
    assert_eq!(names(&last["data"]["organisations"]), ["Derby", "Exeter"]);
}

#[tokio::test]
async fn the_filter_finds_organisations_by_name_text() {
    let app = with_councils(&["Leeds", "Leicester", "Bristol"]).await;
    let body = app.graphql(PAGE, json!({ "text": "LE" })).await;
    assert_eq!(
        names(&body["data"]["organisations"]),
        ["Leeds", "Leicester"]
    );
    assert_eq!(body["data"]["organisations"]["totalCount"], 2);
}

#[tokio::test]
async fn more_than_a_hundred_items_per_page_is_bad_user_input() {
    let app = TestApp::spawn().await;
    let body = app.graphql(PAGE, json!({ "first": 101 })).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["field"], "first");
}

#[tokio::test]
async fn a_forged_cursor_is_bad_user_input() {
    let app = TestApp::spawn().await;
    let body = app
        .graphql(PAGE, json!({ "first": 2, "after": "Zm9yZ2Vk" }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
}
