//! Response fields come back in the order they were selected, at every level, the root
//! included, whatever order the resolvers are declared in.

use khub_tests::{TestApp, keys};
use serde_json::{Value, json};

#[tokio::test]
async fn fields_come_back_in_selection_order_at_every_level() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    app.create_community(&ana, "bins", "OPEN").await;
    // The root's fields belong to different parts of the merged Query, declared in another order.
    let query = "query { leaderboard(first: 1) { points } ...Who practices(first: 1) { totalCount nodes { slug } } communities(first: 1) { pageInfo { hasNextPage } nodes { visibility name slug } totalCount } organisations(first: 1) { totalCount } } fragment Who on Query { viewer { handle displayName id } }";
    let body = app.graphql_as(&ana.access_token, query, Value::Null).await;
    let data = &body["data"];
    assert_eq!(
        keys(data),
        [
            "leaderboard",
            "viewer",
            "practices",
            "communities",
            "organisations"
        ],
        "{body}"
    );
    assert_eq!(keys(&data["viewer"]), ["handle", "displayName", "id"]);
    assert_eq!(
        keys(&data["communities"]),
        ["pageInfo", "nodes", "totalCount"]
    );
    assert_eq!(
        keys(&data["communities"]["nodes"][0]),
        ["visibility", "name", "slug"]
    );

    let mutation = "mutation { logout { userErrors { code } loggedOut } }";
    let body = app.graphql_as(&ana.access_token, mutation, json!({})).await;
    assert_eq!(keys(&body["data"]["logout"]), ["userErrors", "loggedOut"]);
}
