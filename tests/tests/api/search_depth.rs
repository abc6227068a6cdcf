//! A search for words found all over the hub considers the newest 300 matches: it ranks, pages,
//! counts and facets those, and reaches older ones through a filter. On PostgreSQL such words
//! walk the documents newest first instead of reading every match from the index
//! (`infra/src/db/search/path.rs`); the answer is the same either way.

use std::collections::BTreeSet;

use khub_tests::TestApp;
use serde_json::{Value, json};

const POSTS: &str = r#"query S($filter: SearchFilter, $after: String) {
  search(query: "approach", filter: $filter, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    facets { types { type count } }
    nodes { ... on Post { id createdAt } } } }"#;

/// How many matches a search considers.
const WINDOW: usize = 300;

/// Every post a search for "approach" holds, page by page, with the first page's answer.
async fn every_post(app: &TestApp, filter: Value) -> (Value, Vec<(String, String)>) {
    let (mut first, mut posts, mut after) = (None, Vec::new(), Value::Null);
    loop {
        let variables = json!({ "filter": filter, "after": after });
        let body = app.graphql(POSTS, variables).await;
        let search = body["data"]["search"].clone();
        assert!(search.is_object(), "{body}");
        for node in search["nodes"].as_array().expect("nodes") {
            let field = |name: &str| node[name].as_str().expect("a post").to_owned();
            posts.push((field("createdAt"), field("id")));
        }
        let page = &search["pageInfo"];
        if page["hasNextPage"] != true {
            return (first.unwrap_or(search), posts);
        }
        after = page["endCursor"].clone();
        first.get_or_insert(search);
    }
}

#[tokio::test]
async fn a_search_for_common_words_considers_the_newest_300_matches() {
    let app = TestApp::spawn().await;
    // About 2,000 replies, nine in ten of them with "approach" in them.
    app.load_scale(0.002).await;
    let (search, window) = every_post(&app, json!({ "types": ["POST"] })).await;
    assert_eq!(search["totalCount"], WINDOW, "{search}");
    assert_eq!(window.len(), WINDOW);
    assert_eq!(
        search["facets"]["types"],
        json!([{ "type": "POST", "count": WINDOW }])
    );
    let ids: BTreeSet<&String> = window.iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), WINDOW, "pages do not repeat a hit");

    let oldest = window.iter().map(|(at, _)| at.clone()).min().expect("hits");
    let (older, _) = every_post(&app, json!({ "types": ["POST"], "until": oldest })).await;
    assert!(
        older["totalCount"].as_u64() > Some(100),
        "older matches exist beyond the window: {older}"
    );
    let (_, since) = every_post(&app, json!({ "types": ["POST"], "from": oldest })).await;
    let since: BTreeSet<&String> = since.iter().map(|(_, id)| id).collect();
    assert_eq!(since, ids, "the window is the newest matches, ranked");
}
