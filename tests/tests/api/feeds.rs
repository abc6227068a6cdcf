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

/// `data.community.feedUrl` of the test community `care`, as `who` sees it.
async fn community_feed_url(app: &TestApp, who: &Session) -> Value {
    let query = "{ community(slug: \"care\") { feedUrl } }";
    let body = app.graphql_as(&who.access_token, query, Value::Null).await;
    body["data"]["community"]["feedUrl"].clone()
}

async fn status(app: &TestApp, url: &str) -> StatusCode {
    fetch(&local(app, url), &[]).await.status()
}

#[tokio::test]
async fn a_members_feed_token_opens_their_communitys_feed_until_they_reset_it_or_leave() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("RESTRICTED", &["own", "mem", "out"])
        .await;
    let (owner, member, outsider) = (&people[0], &people[1], &people[2]);
    let approve =
        json!({ "communityId": community, "personId": member.person_id, "decision": "APPROVE" });
    app.community_mutation(owner, "decideMembership", approve)
        .await;
    app.start_thread(owner, &community, "Members only", "DISCUSSION")
        .await;

    let url = community_feed_url(&app, member).await;
    let url = url.as_str().expect("a member's feed address").to_owned();
    assert!(url.contains("?token="), "{url}");
    assert_eq!(titles(&app, &url).await, ["Members only"]);
    assert_eq!(community_feed_url(&app, outsider).await, Value::Null);
    let bare = url.split('?').next().unwrap_or_default();
    assert_eq!(status(&app, bare).await, StatusCode::NOT_FOUND);
    let forged = format!("{}x", url);
    assert_eq!(status(&app, &forged).await, StatusCode::NOT_FOUND);

    let reset = app
        .graphql_as(
            &member.access_token,
            "mutation { resetFeedToken { feedToken } }",
            Value::Null,
        )
        .await;
    assert!(reset.get("errors").is_none(), "{reset}");
    assert_eq!(
        status(&app, &url).await,
        StatusCode::NOT_FOUND,
        "the old address stops"
    );
    let renewed = community_feed_url(&app, member).await;
    let renewed = renewed.as_str().expect("a new address").to_owned();
    assert_ne!(renewed, url);
    assert_eq!(status(&app, &renewed).await, StatusCode::OK);

    app.community_mutation(
        member,
        "leaveCommunity",
        json!({ "communityId": community }),
    )
    .await;
    assert_eq!(
        status(&app, &renewed).await,
        StatusCode::NOT_FOUND,
        "left, so no feed"
    );
}

#[tokio::test]
async fn a_saved_searchs_feed_is_its_owners_alone() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    let bob = app.register("bob@example.org", "bob").await;
    let saved = app
        .mutate(
            &ana,
            "saveSearch",
            json!({ "name": "Roads", "query": "pothole" }),
            "savedSearch { id feedUrl }",
        )
        .await;
    app.published_practice(&ana, "Pothole triage").await;
    let url = saved["savedSearch"]["feedUrl"]
        .as_str()
        .expect("an address")
        .to_owned();
    assert_eq!(titles(&app, &url).await, ["Pothole triage"]);

    let bobs = app
        .graphql_as(&bob.access_token, "{ viewer { feedToken } }", Value::Null)
        .await;
    let bobs = bobs["data"]["viewer"]["feedToken"]
        .as_str()
        .expect("bob's token")
        .to_owned();
    let (address, _) = url.split_once("?token=").expect("a token in the address");
    let as_bob = format!("{address}?token={bobs}");
    assert_eq!(status(&app, &as_bob).await, StatusCode::NOT_FOUND);

    let (secret, _) = app.create_api_token(&ana, &["READ"]).await;
    let through_token = app
        .graphql_as(
            &secret,
            "{ viewer { feedToken savedSearches { nodes { feedUrl } } } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        through_token["data"]["viewer"]["feedToken"],
        Value::Null,
        "{through_token}"
    );
}
