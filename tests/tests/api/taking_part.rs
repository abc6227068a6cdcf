//! The right to take part: reacting, editing and deleting follow the rule replying does (a
//! member of the community, in a thread that is not locked), and racing acceptances of an
//! answer leave exactly one answer's points standing.

use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

/// An OPEN community owned by `own`, with `mem` a member, and a thread with one reply by `mem`.
async fn thread_with_reply(app: &TestApp) -> (Session, Session, String, String) {
    let own = app.register("own@example.org", "own").await;
    let mem = app.register("mem@example.org", "mem").await;
    let community = app.create_community(&own, "bins", "OPEN").await;
    app.community_mutation(&mem, "joinCommunity", json!({ "communityId": community }))
        .await;
    let (thread, _) = app
        .start_thread(&own, &community, "Bins", "DISCUSSION")
        .await;
    let reply = app.reply(&mem, &thread, "Fortnightly works").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    (own, mem, thread, reply)
}

fn code(payload: &Value) -> &str {
    payload["userErrors"][0]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_non_member_cannot_react_and_awards_no_points() {
    let app = TestApp::spawn().await;
    let (_, mem, _, reply) = thread_with_reply(&app).await;
    let outsider = app.register("out@example.org", "out").await;
    let react = json!({ "postId": reply, "reaction": "HELPFUL" });
    let refused = app.mutate(&outsider, "react", react, "active").await;
    assert_eq!(code(&refused), "NOT_A_MEMBER", "{refused}");
    assert_eq!(app.reputation_of(&mem).await, 0);
}

#[tokio::test]
async fn a_locked_thread_takes_no_reactions_edits_or_deletions_from_members_but_facilitators_still_delete()
 {
    let app = TestApp::spawn().await;
    let (own, mem, thread, reply) = thread_with_reply(&app).await;
    app.mutate(
        &own,
        "lockThread",
        json!({ "threadId": thread, "locked": true }),
        "",
    )
    .await;
    let react = app
        .mutate(
            &own,
            "react",
            json!({ "postId": reply, "reaction": "LIKE" }),
            "active",
        )
        .await;
    assert_eq!(code(&react), "THREAD_LOCKED", "{react}");
    let edit = app
        .mutate(
            &mem,
            "editPost",
            json!({ "postId": reply, "body": "Weekly" }),
            "post { body }",
        )
        .await;
    assert_eq!(code(&edit), "THREAD_LOCKED", "{edit}");
    let delete = app
        .mutate(
            &mem,
            "deletePost",
            json!({ "postId": reply }),
            "post { deleted }",
        )
        .await;
    assert_eq!(code(&delete), "THREAD_LOCKED", "{delete}");
    let moderated = app
        .mutate(
            &own,
            "deletePost",
            json!({ "postId": reply }),
            "post { deleted }",
        )
        .await;
    assert_eq!(moderated["post"]["deleted"], true, "{moderated}");
}

#[tokio::test]
async fn racing_acceptances_leave_exactly_one_answers_points() {
    let app = TestApp::spawn().await;
    let own = app.register("own@example.org", "own").await;
    let mut repliers = Vec::new();
    for handle in ["rob", "sam"] {
        repliers.push(app.register(&format!("{handle}@example.org"), handle).await);
    }
    let community = app.create_community(&own, "bins", "OPEN").await;
    for member in &repliers {
        app.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    let (question, _) = app.start_thread(&own, &community, "How?", "QUESTION").await;
    let mut replies = Vec::new();
    for replier in &repliers {
        let reply = app.reply(replier, &question, "Like this").await;
        replies.push(reply["post"]["id"].as_str().expect("reply").to_owned());
    }
    for _ in 0..3 {
        let accept =
            |post: &String| app.mutate(&own, "acceptAnswer", json!({ "postId": post }), "");
        let (a, b) = tokio::join!(accept(&replies[0]), accept(&replies[1]));
        assert!(
            a["userErrors"] == json!([]) && b["userErrors"] == json!([]),
            "{a} {b}"
        );
        let points = (
            app.reputation_of(&repliers[0]).await,
            app.reputation_of(&repliers[1]).await,
        );
        assert!(points == (15, 0) || points == (0, 15), "{points:?}");
        assert_eq!(app.reputation_of(&own).await, 2);
    }
}
