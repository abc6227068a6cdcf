//! `khub seed --demo` fills a hub with a realistic data set, and running it again adds nothing.

use khub_tests::{QuietProgress, TestApp};
use serde_json::Value;

#[tokio::test]
async fn the_demo_seed_fills_the_hub_and_is_idempotent() {
    let app = TestApp::spawn().await;
    khub_api::cli::seed::run(app.settings().clone())
        .await
        .expect("seeded");
    khub_api::cli::seed::run(app.settings().clone())
        .await
        .expect("seeded again");
    let body = app
        .graphql(
            "{ organisations(first: 100) { totalCount nodes { slug kind } } councils: organisations(filter: { kind: COUNCIL }) { totalCount } }",
            Value::Null,
        )
        .await;
    let all = &body["data"]["organisations"];
    assert_eq!(all["totalCount"], 12, "{body}");
    assert_eq!(body["data"]["councils"]["totalCount"], 7);
    let leeds = app
        .graphql(
            "{ organisation(slug: \"leeds-city-council\") { name verifiedDomains } }",
            Value::Null,
        )
        .await;
    assert_eq!(
        leeds["data"]["organisation"]["verifiedDomains"][0],
        "leeds.gov.uk"
    );
    let practices = app
        .graphql(
            r#"{ practices { totalCount }
                 practice(slug: "landlord-mediation-before-notice") {
                   status endorsementCount promotion { reason } spreadTo { nodes { slug } } } }"#,
            Value::Null,
        )
        .await;
    let data = &practices["data"];
    assert_eq!(
        data["practices"]["totalCount"], 2,
        "the RESTRICTED community's practice and the draft are hidden: {practices}"
    );
    assert_eq!(data["practice"]["status"], "PROMOTED");
    assert_eq!(data["practice"]["endorsementCount"], 3);
    assert_eq!(data["practice"]["promotion"]["reason"], "ENDORSEMENTS");
    assert_eq!(
        data["practice"]["spreadTo"]["nodes"][0]["slug"],
        "cardiff-council"
    );
    let threads = app
        .graphql(
            r#"{ community(slug: "homelessness-prevention") { threads { totalCount nodes {
                 title kind replyCount acceptedAnswer { author { handle } }
                 lastReply { mentions { handle } reactions { support } } } } } }"#,
            Value::Null,
        )
        .await;
    let nodes = &threads["data"]["community"]["threads"];
    assert_eq!(
        nodes["totalCount"], 3,
        "seeding again adds no thread: {threads}"
    );
    let question = nodes["nodes"]
        .as_array()
        .and_then(|all| all.iter().find(|t| t["kind"] == "QUESTION"))
        .expect("the demo question");
    assert_eq!(question["replyCount"], 2);
    assert_eq!(question["acceptedAnswer"]["author"]["handle"], "amara");
}

#[tokio::test]
async fn the_scale_seed_keeps_every_counter_true_and_is_reused() {
    let app = TestApp::spawn().await;
    let plan = khub_infra::db::scale::ScalePlan::at(0.002);
    let load = khub_api::cli::seed::scale::load;
    let loaded = load(app.settings(), plan, &mut QuietProgress)
        .await
        .expect("loaded");
    assert!(loaded, "a fresh hub gets the data set");
    let again = load(app.settings(), plan, &mut QuietProgress)
        .await
        .expect("checked");
    assert!(!again, "a second run reuses it");
    let query = r#"{ organisations { totalCount }
        communities(first: 1) { nodes { memberCount members { totalCount }
          threads(first: 3) { totalCount nodes { replyCount replies { totalCount } lastReply { position } } } } }
        practices(first: 5, orderBy: MOST_ENDORSED) { nodes { endorsementCount endorsements { totalCount } } } }"#;
    let body = app.graphql(query, Value::Null).await;
    let data = &body["data"];
    assert_eq!(
        data["organisations"]["totalCount"], plan.organisations,
        "{body}"
    );
    let community = &data["communities"]["nodes"][0];
    assert_eq!(community["memberCount"], community["members"]["totalCount"]);
    for thread in community["threads"]["nodes"].as_array().expect("threads") {
        assert_eq!(
            thread["replyCount"], thread["replies"]["totalCount"],
            "{thread}"
        );
        assert_eq!(thread["lastReply"]["position"], thread["replyCount"]);
    }
    for practice in data["practices"]["nodes"].as_array().expect("practices") {
        assert_eq!(
            practice["endorsementCount"],
            practice["endorsements"]["totalCount"]
        );
    }
}
