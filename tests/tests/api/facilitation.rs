//! Facilitation: answers accepted by a question's author or a facilitator, posts waiting for
//! approval in facilitated spaces, pinned and locked threads.

use std::time::Duration;

use khub_tests::{Session, TestApp, error_code};
use serde_json::json;

#[tokio::test]
async fn a_question_gets_an_answer_from_its_author_or_a_facilitator() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("OPEN", &["own", "ana", "bob", "cat"])
        .await;
    let [own, ana, bob, cat] = <[Session; 4]>::try_from(people).expect("four");
    let (question, opening) = app
        .start_thread(&ana, &community, "How do we cut missed bins?", "QUESTION")
        .await;
    let first = app.reply(&bob, &question, "Photos").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    let second = app.reply(&cat, &question, "QR codes").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    let accept = |who: &Session, post: &str| {
        let input = json!({ "postId": post });
        let who = who.clone();
        let app = &app;
        async move {
            app.mutate(
                &who,
                "acceptAnswer",
                input,
                "thread { acceptedAnswer { body } }",
            )
            .await
        }
    };
    assert_eq!(error_code(&accept(&cat, &first).await), "FORBIDDEN");
    assert_eq!(error_code(&accept(&ana, &opening).await), "NOT_AN_ANSWER");
    let accepted = accept(&ana, &first).await;
    assert_eq!(
        accepted["thread"]["acceptedAnswer"]["body"], "Photos",
        "{accepted}"
    );
    let by_owner = accept(&own, &second).await;
    assert_eq!(
        by_owner["thread"]["acceptedAnswer"]["body"], "QR codes",
        "{by_owner}"
    );

    let (talk, _) = app
        .start_thread(&ana, &community, "Chat", "DISCUSSION")
        .await;
    let reply = app.reply(&bob, &talk, "Hi").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    assert_eq!(error_code(&accept(&ana, &reply).await), "NOT_A_QUESTION");
}

#[tokio::test]
async fn in_a_facilitated_space_members_posts_wait_for_approval() {
    let app = TestApp::spawn().await;
    let people = [
        app.register("own@example.org", "own").await,
        app.register("ana@example.org", "ana").await,
        app.register("bob@example.org", "bob").await,
    ];
    let [own, ana, bob] = people;
    let created = app
        .mutate(&own, "createCommunity", json!({ "name": "Debate", "slug": "debate", "visibility": "OPEN", "discussionMode": "FACILITATED" }), "community { id }")
        .await;
    let community = created["community"]["id"]
        .as_str()
        .expect("community")
        .to_owned();
    for member in [&ana, &bob] {
        app.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    let (thread, opening) = app
        .start_thread(
            &ana,
            &community,
            "Should we charge for garden waste?",
            "DISCUSSION",
        )
        .await;
    let listed = |who: Option<&Session>| {
        let query = "query C($id: ID!) { node(id: $id) { ... on Community { threads { totalCount nodes { status } } } } }";
        let app = &app;
        let token = who.map(|s| s.access_token.clone());
        let community = community.clone();
        async move {
            let body = match token {
                Some(token) => {
                    app.graphql_as(&token, query, json!({ "id": community }))
                        .await
                }
                None => app.graphql(query, json!({ "id": community })).await,
            };
            body["data"]["node"]["threads"]["totalCount"]
                .as_u64()
                .unwrap_or(99)
        }
    };
    assert_eq!(
        (listed(Some(&ana)).await, listed(Some(&own)).await),
        (1, 1),
        "author and facilitator see it"
    );
    assert_eq!(
        (listed(Some(&bob)).await, listed(None).await),
        (0, 0),
        "others do not"
    );
    assert!(app.node(Some(&bob), &thread, "id").await.is_null());
    let early = app.reply(&bob, &thread, "Too early").await;
    assert_eq!(
        error_code(&early),
        "NOT_FOUND",
        "a pending thread is invisible to others: {early}"
    );
    let approve = |post: &str| {
        let input = json!({ "postId": post });
        let app = &app;
        let own = own.clone();
        async move {
            app.mutate(&own, "approvePost", input, "post { status }")
                .await
        }
    };
    assert_eq!(
        error_code(
            &app.mutate(&bob, "approvePost", json!({ "postId": opening }), "")
                .await
        ),
        "NOT_FOUND"
    );
    assert_eq!(approve(&opening).await["post"]["status"], "APPROVED");
    assert_eq!(listed(None).await, 1);

    let activity = "... on Community { lastActivityAt }";
    let quiet = app.node(Some(&own), &community, activity).await;
    app.clock.advance(Duration::from_secs(60));
    let pending = app
        .reply(&bob, &thread, "Charging cuts contamination")
        .await;
    assert_eq!(pending["post"]["status"], "PENDING", "{pending}");
    assert_eq!(
        app.node(Some(&own), &community, activity).await,
        quiet,
        "a waiting reply is no activity yet"
    );
    let reply = pending["post"]["id"].as_str().expect("reply").to_owned();
    // Both paths: a counted page (read alone) and an opening page (read in a batch).
    let replies = |who: &Session| {
        let (app, thread, who) = (&app, thread.clone(), who.clone());
        async move {
            let selection = "... on Thread { replyCount replies { totalCount } batched: replies(first: 10) { nodes { id } } }";
            let seen = app.node(Some(&who), &thread, selection).await;
            let batched = seen["batched"]["nodes"].as_array().map_or(99, Vec::len) as u64;
            assert_eq!(seen["replies"]["totalCount"], batched, "{seen}");
            seen
        }
    };
    assert_eq!(
        replies(&ana).await["replies"]["totalCount"],
        0,
        "others do not see a pending reply"
    );
    assert_eq!(
        replies(&bob).await["replies"]["totalCount"],
        1,
        "its author does"
    );
    assert_eq!(
        replies(&own).await["replies"]["totalCount"],
        1,
        "facilitators do"
    );
    assert_eq!(approve(&reply).await["post"]["status"], "APPROVED");
    let after = replies(&ana).await;
    assert_eq!(
        (
            after["replyCount"].as_u64(),
            after["replies"]["totalCount"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(error_code(&approve(&reply).await), "NOT_PENDING");
}

#[tokio::test]
async fn facilitators_pin_and_lock_threads() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("OPEN", &["own", "ana"]).await;
    let [own, ana] = <[Session; 2]>::try_from(people).expect("two");
    let (older, _) = app
        .start_thread(&ana, &community, "Older", "DISCUSSION")
        .await;
    app.start_thread(&ana, &community, "Newer", "DISCUSSION")
        .await;
    let titles = || {
        let app = &app;
        let community = community.clone();
        async move {
            let body = app
                .graphql("query C($id: ID!) { node(id: $id) { ... on Community { threads { nodes { title pinned } } } } }", json!({ "id": community }))
                .await;
            body["data"]["node"]["threads"]["nodes"]
                .as_array()
                .expect("threads")
                .iter()
                .map(|t| t["title"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles().await, ["Newer", "Older"], "latest activity first");
    let pin = json!({ "threadId": older, "pinned": true });
    assert_eq!(
        error_code(&app.mutate(&ana, "pinThread", pin.clone(), "").await),
        "FORBIDDEN"
    );
    app.mutate(&own, "pinThread", pin, "thread { pinned }")
        .await;
    assert_eq!(titles().await, ["Older", "Newer"], "pinned first");

    let locked = app
        .mutate(
            &own,
            "lockThread",
            json!({ "threadId": older, "locked": true }),
            "thread { locked }",
        )
        .await;
    assert_eq!(locked["thread"]["locked"], true, "{locked}");
    assert_eq!(
        error_code(&app.reply(&ana, &older, "Still here?").await),
        "THREAD_LOCKED"
    );
    app.mutate(
        &own,
        "lockThread",
        json!({ "threadId": older, "locked": false }),
        "",
    )
    .await;
    assert!(app.reply(&ana, &older, "Back again").await["post"]["id"].is_string());
}
