//! The demo data set shows every feature a newcomer should try: evidence, a revised practice
//! with its diff, a thread about a practice, a FACILITATED community with a DEBATE and replies
//! awaiting approval (seen by its facilitators, not by readers), and an organisation's API
//! token shown once.

use khub_api::cli::seed::{DEMO_PASSWORD, seed};
use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

#[tokio::test]
async fn the_demo_shows_every_feature_and_prints_the_organisation_token_once() {
    let app = TestApp::spawn().await;
    let first = seed(app.settings()).await.expect("seeded");
    let again = seed(app.settings()).await.expect("seeded again");
    let token = first.token.expect("the first seed creates the token");
    assert!(again.token.is_none(), "the secret is shown only once");
    assert_eq!(again.threads, 0);

    let viewer = app
        .graphql_as(&token.secret, "{ viewer { handle kind } }", Value::Null)
        .await;
    assert_eq!(
        viewer["data"]["viewer"],
        json!({ "handle": "org-leeds-city-council", "kind": "SERVICE" }),
        "{viewer}"
    );

    let practice = app
        .graphql(
            r#"{ practice(slug: "landlord-mediation-before-notice") {
                 evidence { url } revisionNumber
                 diff(from: 1, to: 2) { field unified }
                 threads { nodes { title } } } }"#,
            Value::Null,
        )
        .await;
    let practice = &practice["data"]["practice"];
    assert_eq!(practice["evidence"].as_array().map(Vec::len), Some(2));
    assert_eq!(practice["revisionNumber"], 2, "{practice}");
    assert_eq!(practice["diff"][0]["field"], "OUTCOMES", "{practice}");
    assert!(
        practice["diff"][0]["unified"]
            .as_str()
            .is_some_and(|d| d.contains("+The service now covers every ward.")),
        "{practice}"
    );
    assert_eq!(
        practice["threads"]["nodes"][0]["title"],
        "Landlord mediation: what do you say on the first call?"
    );

    let anonymous = facilitated_threads(&app, None).await;
    assert_eq!(anonymous["discussionMode"], "FACILITATED", "{anonymous}");
    let kinds: Vec<&Value> = threads(&anonymous).map(|t| &t["kind"]).collect();
    assert!(kinds.contains(&&json!("DEBATE")), "{anonymous}");
    for thread in threads(&anonymous) {
        assert_eq!(statuses(thread), ["APPROVED"], "{anonymous}");
    }

    let facilitator = app
        .login_payload("rhys.evans@cardiff.gov.uk", DEMO_PASSWORD)
        .await;
    let facilitator = Session::from_payload(&facilitator);
    let seen = facilitated_threads(&app, Some(&facilitator)).await;
    for thread in threads(&seen) {
        assert_eq!(statuses(thread), ["APPROVED", "PENDING"], "{seen}");
    }
}

/// The FACILITATED community's threads with their replies' statuses, as `who` sees them.
async fn facilitated_threads(app: &TestApp, who: Option<&Session>) -> Value {
    let query = r#"{ community(slug: "cost-of-living-response") { discussionMode
        threads { nodes { kind replies { nodes { status } } } } } }"#;
    let body = match who {
        Some(session) => {
            app.graphql_as(&session.access_token, query, Value::Null)
                .await
        }
        None => app.graphql(query, Value::Null).await,
    };
    body["data"]["community"].clone()
}

fn threads(community: &Value) -> impl Iterator<Item = &Value> {
    community["threads"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
}

fn statuses(thread: &Value) -> Vec<&str> {
    let replies = thread["replies"]["nodes"].as_array().into_iter().flatten();
    replies.filter_map(|r| r["status"].as_str()).collect()
}
