//! Practices: the lifecycle from draft to published, revision history, and Markdown served
//! safely.

use khub_tests::{Session, TestApp, complete_story};
use serde_json::{Value, json};

const VIEW: &str = "id slug title status revisionNumber viewerIsAuthor contextHtml";

async fn by_slug(app: &TestApp, reader: Option<&Session>, slug: &str) -> Value {
    let query = format!("query P($slug: String!) {{ practice(slug: $slug) {{ {VIEW} }} }}");
    let variables = json!({ "slug": slug });
    let body = match reader {
        Some(who) => app.graphql_as(&who.access_token, &query, variables).await,
        None => app.graphql(&query, variables).await,
    };
    body["data"]["practice"].clone()
}

async fn listed(app: &TestApp, reader: &Session, filter: Value) -> Vec<String> {
    let query =
        "query L($filter: PracticeFilter) { practices(filter: $filter) { nodes { slug } } }";
    let body = app
        .graphql_as(&reader.access_token, query, json!({ "filter": filter }))
        .await;
    body["data"]["practices"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no list: {body}"))
        .iter()
        .map(|n| n["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn codes(payload: &Value) -> Vec<&str> {
    payload["userErrors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["code"].as_str()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_draft_is_its_authors_alone_until_published() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let peer = app.register("bo@example.org", "bob").await;
    let (id, slug) = app
        .draft_practice(&author, complete_story("Fewer missed bins"))
        .await;
    assert!(slug.starts_with("fewer-missed-bins-"), "{slug}");

    let own = by_slug(&app, Some(&author), &slug).await;
    assert_eq!(
        (own["status"].as_str(), own["revisionNumber"].as_u64()),
        (Some("DRAFT"), Some(0))
    );
    assert_eq!(own["viewerIsAuthor"], true);
    assert!(by_slug(&app, Some(&peer), &slug).await.is_null());
    assert!(by_slug(&app, None, &slug).await.is_null());
    let node = app
        .graphql_as(
            &peer.access_token,
            "query N($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert!(node["data"]["node"].is_null(), "{node}");
    let drafts = json!({ "status": ["DRAFT"] });
    assert_eq!(listed(&app, &author, drafts.clone()).await, [slug.as_str()]);
    assert!(listed(&app, &peer, drafts).await.is_empty());
    assert!(
        listed(&app, &author, json!({})).await.is_empty(),
        "drafts are not listed by default"
    );

    let published = app
        .mutate(
            &author,
            "publishPractice",
            json!({ "practiceId": id }),
            "practice { status revisionNumber publishedAt }",
        )
        .await;
    assert_eq!(published["practice"]["status"], "PUBLISHED", "{published}");
    assert_eq!(published["practice"]["revisionNumber"], 1);
    assert_eq!(
        by_slug(&app, None, &slug).await["title"],
        "Fewer missed bins"
    );
    assert_eq!(listed(&app, &peer, json!({})).await, [slug]);
    let again = app
        .mutate(&author, "publishPractice", json!({ "practiceId": id }), "")
        .await;
    assert_eq!(codes(&again), ["ALREADY_PUBLISHED"]);
}

#[tokio::test]
async fn only_the_author_edits_and_publishing_needs_the_whole_story() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let peer = app.register("bo@example.org", "bob").await;
    let (id, slug) = app
        .draft_practice(&author, json!({ "title": "Half an idea" }))
        .await;
    let refused = app
        .mutate(
            &author,
            "publishPractice",
            json!({ "practiceId": id }),
            "practice { status }",
        )
        .await;
    let mut missing = codes(&refused);
    missing.dedup();
    assert_eq!(missing, ["REQUIRED"]);
    assert_eq!(refused["userErrors"].as_array().map(Vec::len), Some(4));
    assert_eq!(by_slug(&app, Some(&author), &slug).await["status"], "DRAFT");

    let mut input = complete_story("ignored");
    input.as_object_mut().map(|o| o.remove("title"));
    input["practiceId"] = json!(id);
    let edited = app
        .mutate(&peer, "updatePractice", input.clone(), "practice { id }")
        .await;
    assert_eq!(
        edited["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "a draft is invisible to others: {edited}"
    );
    let edited = app
        .mutate(
            &author,
            "updatePractice",
            input,
            "practice { revisionNumber }",
        )
        .await;
    assert_eq!(
        edited["practice"]["revisionNumber"], 0,
        "drafts keep no revisions"
    );
    let published = app
        .mutate(
            &author,
            "publishPractice",
            json!({ "practiceId": id }),
            "practice { status }",
        )
        .await;
    assert_eq!(published["practice"]["status"], "PUBLISHED", "{published}");
    let by_peer = app
        .mutate(
            &peer,
            "updatePractice",
            json!({ "practiceId": id, "title": "Mine now" }),
            "practice { id }",
        )
        .await;
    assert_eq!(
        by_peer["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{by_peer}"
    );
}

#[tokio::test]
async fn invalid_input_is_refused_whole_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let mut input = complete_story("x");
    input["evidence"] = json!([{ "title": "Report", "url": "javascript:alert(1)" }]);
    input["tags"] = json!(["ok", "not/ok"]);
    let payload = app
        .mutate(&author, "createPractice", input, "practice { id }")
        .await;
    assert!(payload["practice"].is_null());
    let fields: Vec<&str> = payload["userErrors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["title", "evidence", "tags"]);
    assert!(
        listed(&app, &author, json!({ "status": ["DRAFT"] }))
            .await
            .is_empty()
    );

    let (id, slug) = app.published_practice(&author, "Good title").await;
    let bad_edit = app
        .mutate(
            &author,
            "updatePractice",
            json!({ "practiceId": id, "title": "ok title", "summary": "s".repeat(501) }),
            "practice { id }",
        )
        .await;
    assert_eq!(codes(&bad_edit), ["LENGTH"]);
    let unchanged = by_slug(&app, Some(&author), &slug).await;
    assert_eq!(
        (
            unchanged["title"].as_str(),
            unchanged["revisionNumber"].as_u64()
        ),
        (Some("Good title"), Some(1))
    );
}

#[tokio::test]
async fn every_edit_of_a_published_practice_keeps_a_revision() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let (id, slug) = app.published_practice(&author, "Fewer missed bins").await;
    let edit = json!({
        "practiceId": id,
        "title": "Far fewer missed bins",
        "outcomes": "Missed-bin complaints fell by two thirds.",
        "summary": "Crews photograph blocked bins instead of skipping them.",
    });
    let edited = app
        .mutate(
            &author,
            "updatePractice",
            edit.clone(),
            "practice { revisionNumber }",
        )
        .await;
    assert_eq!(edited["practice"]["revisionNumber"], 2, "{edited}");
    let same = app
        .mutate(
            &author,
            "updatePractice",
            edit,
            "practice { revisionNumber }",
        )
        .await;
    assert_eq!(
        same["practice"]["revisionNumber"], 2,
        "an edit that changes nothing keeps no revision"
    );

    let query = r#"query H($slug: String!) { practice(slug: $slug) {
        revisions { totalCount nodes { number changedFields editor { handle } title
                    changes { field before after } } }
        first: revision(number: 1) { title outcomes }
        diff(from: 1, to: 2) { field before after unified }
        missing: diff(from: 1, to: 9) { field } } }"#;
    let body = app
        .graphql_as(&author.access_token, query, json!({ "slug": slug }))
        .await;
    let practice = &body["data"]["practice"];
    let revisions = &practice["revisions"];
    assert_eq!(revisions["totalCount"], 2, "{body}");
    let latest = &revisions["nodes"][0];
    assert_eq!(latest["number"], 2, "newest first");
    assert_eq!(latest["changedFields"], json!(["TITLE", "OUTCOMES"]));
    assert_eq!(latest["editor"]["handle"], "ana");
    assert_eq!(
        latest["changes"][0],
        json!({ "field": "TITLE", "before": "Fewer missed bins", "after": "Far fewer missed bins" })
    );
    assert_eq!(
        revisions["nodes"][1]["changes"],
        json!([]),
        "revision 1 is the published text"
    );
    assert_eq!(practice["first"]["title"], "Fewer missed bins");
    assert_eq!(
        practice["first"]["outcomes"],
        "Missed-bin complaints fell by half in six months."
    );
    let diff = practice["diff"].as_array().expect("diff");
    assert_eq!(diff.len(), 2);
    assert_eq!(diff[1]["field"], "OUTCOMES");
    let unified = diff[1]["unified"].as_str().unwrap_or_default();
    assert!(
        unified.contains("-Missed-bin complaints fell by half in six months."),
        "{unified}"
    );
    assert!(
        unified.contains("+Missed-bin complaints fell by two thirds."),
        "{unified}"
    );
    assert!(practice["missing"].is_null());
}

#[tokio::test]
async fn markdown_is_stored_as_written_and_served_as_safe_html() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let hostile = "We **asked** residents. <script>alert(1)</script>\n\n\
                   <img src=x onerror=\"alert(2)\"> [see](javascript:alert(3)) \
                   <a href=\"https://example.org\" onclick=\"alert(4)\">report</a>";
    let mut input = complete_story("Asking residents");
    input["context"] = json!(hostile);
    let (_, slug) = app.draft_practice(&author, input).await;
    let query = "query P($slug: String!) { practice(slug: $slug) { context contextHtml } }";
    let body = app
        .graphql_as(&author.access_token, query, json!({ "slug": slug }))
        .await;
    let practice = &body["data"]["practice"];
    assert_eq!(practice["context"], hostile, "what was written is kept");
    let html = practice["contextHtml"].as_str().expect("html");
    assert!(html.contains("<strong>asked</strong>"), "{html}");
    assert!(html.contains("href=\"https://example.org\""), "{html}");
    for forbidden in ["<script", "onerror", "onclick", "javascript:", "alert("] {
        assert!(
            !html.contains(forbidden),
            "{forbidden} reached the HTML: {html}"
        );
    }
}

#[tokio::test]
async fn lists_filter_order_and_page() {
    let app = TestApp::spawn().await;
    let [author, reader] =
        <[Session; 2]>::try_from(app.council_with("leeds", &["ana", "bob"]).await).expect("two");
    let (_, first) = app.published_practice(&author, "First practice").await;
    let mut input = complete_story("Second practice");
    input["tags"] = json!(["housing"]);
    input["serviceArea"] = json!("Housing");
    let (second_id, second) = app.draft_practice(&author, input).await;
    app.mutate(
        &author,
        "publishPractice",
        json!({ "practiceId": second_id }),
        "",
    )
    .await;
    assert_eq!(
        listed(&app, &reader, json!({})).await,
        [second.clone(), first.clone()],
        "newest first"
    );
    assert_eq!(
        listed(&app, &reader, json!({ "tag": "Housing" })).await,
        [second.as_str()]
    );
    assert_eq!(
        listed(
            &app,
            &reader,
            json!({ "serviceArea": "Waste and recycling" })
        )
        .await,
        [first.as_str()]
    );
    let author_id = app
        .graphql_as(
            &author.access_token,
            "{ viewer { id organisation { id } } }",
            json!({}),
        )
        .await["data"]["viewer"]
        .clone();
    assert_eq!(
        listed(&app, &reader, json!({ "authorId": author_id["id"] }))
            .await
            .len(),
        2
    );
    assert_eq!(
        listed(
            &app,
            &reader,
            json!({ "organisationId": author_id["organisation"]["id"] })
        )
        .await
        .len(),
        2
    );
    let bad = app
        .graphql_as(
            &reader.access_token,
            "{ practices(filter: { communityId: \"nope\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{bad}"
    );

    let page = "query P($after: String) { practices(first: 1, after: $after, orderBy: NEWEST) { totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }";
    let one =
        app.graphql_as(&reader.access_token, page, json!({})).await["data"]["practices"].clone();
    assert_eq!(
        (
            one["totalCount"].as_u64(),
            one["pageInfo"]["hasNextPage"].as_bool()
        ),
        (Some(2), Some(true))
    );
    let two = app
        .graphql_as(
            &reader.access_token,
            page,
            json!({ "after": one["pageInfo"]["endCursor"] }),
        )
        .await["data"]["practices"]
        .clone();
    assert_eq!(two["nodes"][0]["slug"], first.as_str());
    assert_eq!(two["pageInfo"]["hasNextPage"], false);
}

#[tokio::test]
async fn a_token_without_write_practices_cannot_write() {
    let app = TestApp::spawn().await;
    let author = app.register("ana@example.org", "ana").await;
    let (read_only, _) = app
        .create_api_token(&author, &["READ", "WRITE_PROFILE"])
        .await;
    let token_session = Session {
        access_token: read_only,
        ..author.clone()
    };
    let refused = app
        .mutate(
            &token_session,
            "createPractice",
            complete_story("By token"),
            "practice { id }",
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused}"
    );
}
