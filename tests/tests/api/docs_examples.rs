//! Every `# example:` in docs/API.md runs against a real hub, so the guide cannot go stale.
//! The first line names who runs it (`anonymous` or `ana`) and, for an example that shows a
//! failure, the `expect:`ed error code.

use khub_domain::organisation::OrganisationKind;
use khub_tests::TestApp;
use serde_json::{Value, json};

const GUIDE: &str = include_str!("../../../docs/API.md");

/// One example: who runs it, what error it expects (if any), and its document.
struct Example {
    runner: String,
    expect: Option<String>,
    document: String,
}

fn examples() -> Vec<Example> {
    GUIDE
        .split("```graphql\n")
        .skip(1)
        .filter_map(|block| {
            let block = block.split("```").next()?;
            let header = block.lines().next()?.strip_prefix("# example:")?;
            let mut words = header.split_whitespace();
            let runner = words.next()?.to_owned();
            let expect = match (words.next(), words.next()) {
                (Some("expect:"), Some(code)) => Some(code.to_owned()),
                _ => None,
            };
            Some(Example {
                runner,
                expect,
                document: block.to_owned(),
            })
        })
        .collect()
}

#[tokio::test]
async fn every_example_in_the_api_guide_runs_as_documented() {
    let app = TestApp::spawn().await;
    app.create_organisation(
        "leeds",
        "Leeds City Council",
        OrganisationKind::Council,
        &["leeds.gov.uk"],
    )
    .await;
    let ana = app.register("ana@leeds.gov.uk", "ana").await;
    let community = app.create_community(&ana, "bins", "OPEN").await;
    app.start_thread(&ana, &community, "Fortnightly collections", "QUESTION")
        .await;

    let examples = examples();
    assert!(examples.len() >= 10, "the guide's examples were not found");
    for example in examples {
        let body = json!({ "query": example.document });
        let response = match example.runner.as_str() {
            "anonymous" => app.post(&body).await,
            "ana" => app.post_as(&ana.access_token, &body).await,
            other => panic!("unknown runner {other}"),
        };
        let answer: Value = response.json().await.expect("a JSON answer");
        let code = answer["errors"][0]["extensions"]["code"].as_str();
        match &example.expect {
            Some(expected) => assert_eq!(
                code,
                Some(expected.as_str()),
                "{}\n{answer}",
                example.document
            ),
            None => {
                assert!(
                    answer.get("errors").is_none(),
                    "{}\n{answer}",
                    example.document
                );
                assert!(!answer["data"].is_null(), "{}\n{answer}", example.document);
            }
        }
    }
}
