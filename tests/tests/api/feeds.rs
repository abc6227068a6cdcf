//! Atom feeds: valid Atom 1.0 (read back with a real feed parser), only what anonymous readers
//! may read, addresses given by the API, and 304 for a reader whose copy is current.

use feed_rs::parser;
use khub_tests::{Session, TestApp};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use serde_json::{Value, json};

/// Fetches a feed, with extra request headers; returns the response.
async fn fetch(url: &str, headers: &[(reqwest::header::HeaderName, String)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request.send().await.expect("feed request")
}

/// Where the test reaches a feed the API addresses at the hub's public URL.
fn local(app: &TestApp, url: &str) -> String {
    let public = app.settings().public_url();
    let path = url
        .strip_prefix(public.as_str())
        .unwrap_or_else(|| panic!("{url} is not under {public}"));
    app.url(path)
}

/// The entry titles of a feed that must parse as Atom.
async fn titles(app: &TestApp, url: &str) -> Vec<String> {
    let response = fetch(&local(app, url), &[]).await;
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    let kind = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("application/atom+xml"), "{kind}");
    let body = response.bytes().await.expect("feed body");
    let feed = parser::parse(&body[..]).expect("a valid Atom feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    for entry in &feed.entries {
        assert!(
            entry.links[0].href.starts_with("http"),
            "absolute links: {entry:?}"
        );
        assert!(!entry.authors.is_empty(), "every entry has an author");
    }
    feed.entries
        .into_iter()
        .filter_map(|entry| entry.title.map(|title| title.content))
        .collect()
}

async fn read(app: &TestApp, query: &str) -> Value {
    let body = app.graphql(query, Value::Null).await;
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

async fn publish_with_tag(app: &TestApp, author: &Session, title: &str, tag: &str) {
    let mut story = khub_tests::complete_story(title);
    story["tags"] = json!([tag]);
    app.publish_story(author, story).await;
}

#[tokio::test]
async fn an_open_community_feed_lists_its_threads_and_practices_and_answers_304_when_unchanged() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("OPEN", &["own", "mem"]).await;
    app.start_thread(&people[0], &community, "Gritting routes", "DISCUSSION")
        .await;
    app.published_practice_in(&people[1], "Salt bins on every hill", Some(&community))
        .await;
    app.draft_practice(&people[1], khub_tests::complete_story("Unfinished draft"))
        .await;
    let address = read(&app, "{ community(slug: \"care\") { feedUrl } }").await;
    let address = address["community"]["feedUrl"]
        .as_str()
        .expect("an OPEN community has a feed");
    let mut found = titles(&app, address).await;
    let url = local(&app, address);
    found.sort();
    assert_eq!(found, ["Gritting routes", "Salt bins on every hill"]);

    let first = fetch(&url, &[]).await;
    let etag = first.headers()[ETAG].to_str().expect("etag").to_owned();
    let modified = first.headers()[LAST_MODIFIED]
        .to_str()
        .expect("date")
        .to_owned();
    let same = fetch(&url, &[(IF_NONE_MATCH, etag.clone())]).await;
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    let since = fetch(&url, &[(IF_MODIFIED_SINCE, modified)]).await;
    assert_eq!(since.status(), StatusCode::NOT_MODIFIED);

    app.clock.advance(std::time::Duration::from_secs(5));
    app.start_thread(&people[1], &community, "Snow wardens", "DISCUSSION")
        .await;
    let changed = fetch(&url, &[(IF_NONE_MATCH, etag.clone())]).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(changed.headers()[ETAG].to_str().ok(), Some(etag.as_str()));
}

#[tokio::test]
async fn a_feed_of_anything_not_public_does_not_exist() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("RESTRICTED", &["own"]).await;
    app.start_thread(&people[0], &community, "Members only", "DISCUSSION")
        .await;
    let data = read(&app, "{ community(slug: \"care\") { feedUrl } }").await;
    assert_eq!(data["community"]["feedUrl"], Value::Null);
    for path in [
        "/feeds/communities/care",
        "/feeds/communities/nowhere",
        "/feeds/people/nobody",
    ] {
        let response = fetch(&app.url(path), &[]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn tag_person_and_promoted_feeds_list_published_practices() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("OPEN", &["own", "ana"]).await;
    let (owner, ana) = (&people[0], &people[1]);
    publish_with_tag(&app, ana, "Warm spaces map", "cost-of-living").await;
    publish_with_tag(&app, owner, "Energy advice clinics", "cost-of-living").await;
    let (promoted, _) = app
        .published_practice_in(ana, "Holiday food clubs", Some(&community))
        .await;
    let input = json!({ "practiceId": promoted, "note": "Proven in three towns." });
    app.mutate(owner, "promotePractice", input, "practice { status }")
        .await;
    app.draft_practice(ana, khub_tests::complete_story("Still a draft"))
        .await;

    let urls = read(
        &app,
        r#"{ promotedPracticesFeedUrl tagFeedUrl(tag: "Cost-of-Living") person(handle: "ana") { feedUrl } }"#,
    )
    .await;
    let mut tagged = titles(&app, urls["tagFeedUrl"].as_str().expect("tag feed")).await;
    tagged.sort();
    assert_eq!(tagged, ["Energy advice clinics", "Warm spaces map"]);
    let mut anas = titles(
        &app,
        urls["person"]["feedUrl"].as_str().expect("person feed"),
    )
    .await;
    anas.sort();
    assert_eq!(anas, ["Holiday food clubs", "Warm spaces map"]);
    let promoted = titles(
        &app,
        urls["promotedPracticesFeedUrl"].as_str().expect("promoted"),
    )
    .await;
    assert_eq!(promoted, ["Holiday food clubs"]);
}
