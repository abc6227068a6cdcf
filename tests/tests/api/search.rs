//! `search`: stemming, ranking, query syntax, snippets, facets, paging, and the index kept in
//! step with every write.

use khub_tests::{Session, TestApp, complete_story, error_code};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const SEARCH: &str = r#"query S($q: String!, $filter: SearchFilter, $first: Int, $after: String) {
  search(query: $q, filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { matchedField snippet node { __typename
      ... on Practice { slug } ... on Thread { title } ... on Post { body }
      ... on Person { handle } ... on Community { slug } } } } }"#;

/// Runs `search` as `who` (anonymous if `None`) and returns `data.search`.
async fn search(app: &TestApp, who: Option<&Session>, q: &str, extra: Value) -> Value {
    let mut variables = json!({ "q": q });
    if let (Value::Object(more), Some(all)) = (extra, variables.as_object_mut()) {
        all.extend(more);
    }
    let body = match who {
        Some(session) => {
            app.graphql_as(&session.access_token, SEARCH, variables)
                .await
        }
        None => app.graphql(SEARCH, variables).await,
    };
    assert!(body.get("errors").is_none(), "{q}: {body}");
    body["data"]["search"].clone()
}

/// The hits' practice slugs, thread titles, reply bodies, handles or community slugs, in order.
fn names(results: &Value) -> Vec<String> {
    let edges = results["edges"].as_array().into_iter().flatten();
    edges
        .map(|edge| {
            let node = &edge["node"];
            ["slug", "title", "body", "handle"]
                .iter()
                .find_map(|field| node[field].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

async fn practice(app: &TestApp, author: &Session, story: Value) -> String {
    app.publish_story(author, story).await.1
}

fn story(title: &str, summary: &str, outcomes: &str) -> Value {
    let mut story = complete_story(title);
    story["summary"] = json!(summary);
    story["outcomes"] = json!(outcomes);
    story
}

#[tokio::test]
async fn words_are_stemmed_titles_rank_first_and_matches_are_marked() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let in_body = practice(
        &app,
        &author,
        story(
            "Bin crews with phones",
            "Crews log blocked bins.",
            "Residents **recycled** more glass <b>than</b> before.",
        ),
    )
    .await;
    let in_title = practice(
        &app,
        &author,
        story(
            "Recycling centres open late",
            "Evening opening.",
            "More visits.",
        ),
    )
    .await;

    let found = search(&app, None, "recycling", json!({})).await;
    assert_eq!(
        names(&found),
        [in_title.clone(), in_body.clone()],
        "{found}"
    );
    assert_eq!(found["totalCount"], 2);
    let edges = &found["edges"];
    assert_eq!(edges[0]["matchedField"], "TITLE");
    assert_eq!(
        edges[0]["snippet"],
        "<mark>Recycling</mark> centres open late"
    );
    assert_eq!(edges[1]["matchedField"], "BODY");
    let snippet = edges[1]["snippet"].as_str().unwrap_or_default();
    assert!(snippet.contains("<mark>recycled</mark>"), "{snippet}");
    assert!(
        snippet.contains("&lt;b&gt;") || !snippet.contains("<b>"),
        "escaped: {snippet}"
    );
    assert!(!snippet.contains("**"), "Markdown is not quoted: {snippet}");
}

#[tokio::test]
async fn phrases_exclusions_and_or_narrow_as_in_a_search_box() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let food = practice(
        &app,
        &author,
        story(
            "Food waste caddies",
            "Kerbside food waste.",
            "Less landfill.",
        ),
    )
    .await;
    let garden = practice(
        &app,
        &author,
        story(
            "Garden waste permits",
            "Paid garden collections.",
            "Food for thought.",
        ),
    )
    .await;
    let glass = practice(
        &app,
        &author,
        story("Glass banks", "Bottle banks moved.", "More glass recycled."),
    )
    .await;

    let phrase = search(&app, None, "\"food waste\"", json!({})).await;
    assert_eq!(names(&phrase), std::slice::from_ref(&food), "{phrase}");
    let excluded = search(&app, None, "food -garden", json!({})).await;
    assert_eq!(names(&excluded), std::slice::from_ref(&food), "{excluded}");
    let either = search(&app, None, "caddies OR banks", json!({})).await;
    let mut found = names(&either);
    found.sort();
    let mut expected = vec![food, glass];
    expected.sort();
    assert_eq!(found, expected, "{either}");
    let all = search(&app, None, "garden OR glass permits", json!({})).await;
    assert_eq!(names(&all), [garden], "OR joins the words beside it: {all}");
}

#[tokio::test]
async fn edits_deletions_and_approvals_show_in_results_at_once() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("OPEN", &["owner", "member"])
        .await;
    let (thread, _) = app
        .start_thread(
            &people[0],
            &community,
            "Winter gritting routes",
            "DISCUSSION",
        )
        .await;
    let reply = app
        .reply(&people[1], &thread, "We grit the bus routes first.")
        .await;
    let post = reply["post"]["id"].as_str().expect("reply").to_owned();
    assert_eq!(
        names(&search(&app, None, "grit bus", json!({})).await),
        ["We grit the bus routes first."]
    );

    let edit = json!({ "postId": post, "body": "We salt the school routes first." });
    app.mutate(&people[1], "editPost", edit, "post { id }")
        .await;
    assert_eq!(search(&app, None, "bus", json!({})).await["totalCount"], 0);
    assert_eq!(
        names(&search(&app, None, "salt school", json!({})).await),
        ["We salt the school routes first."]
    );

    app.mutate(
        &people[1],
        "deletePost",
        json!({ "postId": post }),
        "post { id }",
    )
    .await;
    assert_eq!(search(&app, None, "salt", json!({})).await["totalCount"], 0);
    let thread_found = search(&app, None, "gritting", json!({})).await;
    assert_eq!(names(&thread_found), ["Winter gritting routes"]);
}

#[tokio::test]
async fn people_and_communities_are_found_and_results_page_forward() {
    let app = TestApp::spawn().await;
    let owner = app.register("ana@example.org", "ana").await;
    app.create_community(&owner, "flood-wardens", "OPEN").await;
    for n in 0..3 {
        app.register(&format!("warden{n}@example.org"), &format!("warden{n}"))
            .await;
    }
    let people = search(
        &app,
        None,
        "warden0",
        json!({ "filter": { "types": ["PERSON"] } }),
    )
    .await;
    assert_eq!(names(&people), ["warden0"], "{people}");
    let community = search(&app, None, "flood", json!({})).await;
    assert_eq!(names(&community), ["flood-wardens"], "{community}");

    for n in 0..3 {
        practice(
            &app,
            &owner,
            story(&format!("Pothole sprint {n}"), "Roads.", "Fewer claims."),
        )
        .await;
    }
    let first = search(&app, None, "pothole", json!({ "first": 2 })).await;
    assert_eq!(first["totalCount"], 3, "{first}");
    assert_eq!(first["pageInfo"]["hasNextPage"], true, "{first}");
    let cursor = &first["pageInfo"]["endCursor"];
    let rest = search(
        &app,
        None,
        "pothole",
        json!({ "first": 2, "after": cursor }),
    )
    .await;
    assert_eq!(rest["pageInfo"]["hasNextPage"], false, "{rest}");
    let mut seen = [names(&first), names(&rest)].concat();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "every result once: {first} {rest}");
}

#[tokio::test]
async fn a_query_with_nothing_to_look_for_is_refused_with_a_clear_error() {
    let app = TestApp::spawn().await;
    let body = app.graphql(SEARCH, json!({ "q": "the -of" })).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("query"), "{message}");
}

#[tokio::test]
async fn filters_narrow_by_organisation_author_kind_tag_area_status_and_date() {
    let app = TestApp::spawn().await;
    let ana = app.council_with("leeds", &["ana"]).await.remove(0);
    let bob = app.register("bob@example.org", "bob").await;
    let ours = practice(&app, &ana, story("Zephyr lending", "Tools.", "Shared.")).await;
    let theirs = practice(
        &app,
        &bob,
        story("Zephyr repair cafe", "Repairs.", "Less waste."),
    )
    .await;
    let leeds = app
        .graphql("{ organisation(slug: \"leeds\") { id } }", Value::Null)
        .await;
    let leeds = &leeds["data"]["organisation"]["id"];
    let filtered = |filter: Value| {
        let app = &app;
        async move {
            let found = search(app, None, "zephyr", json!({ "filter": filter })).await;
            let mut names = names(&found);
            names.sort();
            names
        }
    };
    let mut both = vec![ours.clone(), theirs.clone()];
    both.sort();
    assert_eq!(
        filtered(json!({ "organisationId": leeds })).await,
        std::slice::from_ref(&ours)
    );
    assert_eq!(
        filtered(json!({ "authorId": bob.person_id })).await,
        [theirs]
    );
    assert_eq!(
        filtered(json!({ "types": ["THREAD", "POST"] })).await,
        Vec::<String>::new()
    );
    assert_eq!(filtered(json!({ "tag": "Digital" })).await, both);
    assert_eq!(
        filtered(json!({ "serviceArea": "Waste and recycling" })).await,
        both
    );
    assert_eq!(
        filtered(json!({ "practiceStatus": ["PROMOTED"] })).await,
        Vec::<String>::new()
    );
    assert_eq!(
        filtered(json!({ "until": "2999-01-01T00:00:00Z" })).await,
        both
    );
    assert_eq!(
        filtered(json!({ "from": "2999-01-01T00:00:00Z" })).await,
        Vec::<String>::new()
    );
    let bad = app
        .graphql(
            SEARCH,
            json!({ "q": "zephyr", "filter": { "communityId": leeds } }),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT", "{bad}");
}

#[tokio::test]
async fn a_database_with_content_from_before_search_gets_its_documents_when_migrated() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let slug = practice(
        &app,
        &author,
        story("Pothole triage", "Roads.", "Fewer claims."),
    )
    .await;
    let backends = khub_infra::Backends::connect(app.settings())
        .await
        .expect("backends");
    let db = backends.database.connection();
    for table in ["search_documents", "search_index_state"] {
        db.execute_unprepared(&format!("DELETE FROM {table}"))
            .await
            .expect("forget the index");
    }
    // Signed in, so no cached answer stands in for the index.
    let found = search(&app, Some(&author), "pothole", json!({})).await;
    assert_eq!(found["totalCount"], 0);

    backends.database.migrate_up(None).await.expect("migrated");
    let found = search(&app, Some(&author), "pothole", json!({})).await;
    assert_eq!(names(&found), [slug]);
}
