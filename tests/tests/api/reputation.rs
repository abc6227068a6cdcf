//! Reputation: exact points per the rules, reversals, the daily cap on reactions, badges,
//! leaderboards from maintained totals, and a rebuild from the ledger that agrees with them.

use std::time::Duration;

use khub_tests::{Session, TestApp};
use serde_json::{Value, json};

async fn endorse(app: &TestApp, who: &Session, practice: &str) {
    let input = json!({ "practiceId": practice, "comment": "Worth repeating" });
    let payload = app.mutate(who, "endorsePractice", input, "").await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
}

async fn react(app: &TestApp, who: &Session, post: &str, reaction: &str) -> Value {
    let input = json!({ "postId": post, "reaction": reaction });
    app.mutate(who, "react", input, "active").await
}

#[tokio::test]
async fn practice_points_follow_the_rules_and_withdrawals_take_them_back() {
    let app = TestApp::spawn().await;
    let [ana, ann] =
        <[Session; 2]>::try_from(app.council_with("leeds", &["ana", "ann"]).await).expect("two");
    let yan = app.council_with("york", &["yan"]).await.remove(0);
    let hal = app.council_with("hull", &["hal"]).await.remove(0);
    let bea = app.council_with("bath", &["bea"]).await.remove(0);
    let cor = app.council_with("cork", &["cor"]).await.remove(0);
    let (practice, _) = app.published_practice(&ana, "Fewer missed bins").await;

    endorse(&app, &ann, &practice).await;
    assert_eq!(
        app.reputation_of(&ana).await,
        2,
        "a colleague's endorsement earns 2"
    );
    for peer in [&yan, &hal] {
        endorse(&app, peer, &practice).await;
    }
    assert_eq!(app.reputation_of(&ana).await, 22);
    endorse(&app, &bea, &practice).await;
    assert_eq!(
        app.reputation_of(&ana).await,
        82,
        "the third organisation promotes it: +10 +50"
    );
    let adoption = json!({ "practiceId": practice, "outcome": "SUCCESSFUL" });
    app.mutate(&cor, "recordAdoption", adoption, "").await;
    assert_eq!(app.reputation_of(&ana).await, 107);
    app.mutate(
        &bea,
        "withdrawEndorsement",
        json!({ "practiceId": practice }),
        "",
    )
    .await;
    assert_eq!(
        app.reputation_of(&ana).await,
        97,
        "a withdrawal takes its 10 back, not the promotion"
    );
    assert_eq!(app.reputation_of(&yan).await, 0, "endorsing earns nothing");

    let query = "query { viewer { reputationEvents { nodes { points reason } } badges { kind } } }";
    let own = app.graphql_as(&ana.access_token, query, json!({})).await;
    let lines: Vec<(i64, String)> = own["data"]["viewer"]["reputationEvents"]["nodes"]
        .as_array()
        .expect("the ledger")
        .iter()
        .map(|n| {
            (
                n["points"].as_i64().unwrap_or(0),
                n["reason"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let mut points: Vec<i64> = lines.iter().map(|(p, _)| *p).collect();
    points.sort_unstable();
    assert_eq!(points, [-10, 2, 10, 10, 10, 25, 50], "{own}");
    assert_eq!(
        own["data"]["viewer"]["badges"],
        json!([{ "kind": "FIRST_PRACTICE" }, { "kind": "PRACTICE_WORTH_REPEATING" }])
    );
    let others = app
        .graphql_as(&yan.access_token, "query P($id: ID!) { node(id: $id) { ... on Person { reputation reputationEvents { totalCount } } } }", json!({ "id": ana.person_id }))
        .await;
    assert_eq!(
        others["data"]["node"],
        json!({ "reputation": 97, "reputationEvents": null }),
        "others see the total only"
    );
}

#[tokio::test]
async fn accepted_answers_earn_and_moving_the_answer_moves_the_points() {
    let app = TestApp::spawn().await;
    let mut people = Vec::new();
    for handle in ["own", "que", "rob", "sam"] {
        people.push(app.register(&format!("{handle}@example.org"), handle).await);
    }
    let [own, que, rob, sam] = <[Session; 4]>::try_from(people).expect("four");
    let community = app.create_community(&own, "bins", "OPEN").await;
    for member in [&que, &rob, &sam] {
        app.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    let (question, _) = app.start_thread(&que, &community, "How?", "QUESTION").await;
    let first = app.reply(&rob, &question, "Photos").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    let second = app.reply(&sam, &question, "QR codes").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    let accept = |post: &str| {
        let input = json!({ "postId": post });
        let (app, que) = (&app, que.clone());
        async move { app.mutate(&que, "acceptAnswer", input, "").await }
    };
    accept(&first).await;
    assert_eq!(
        (app.reputation_of(&rob).await, app.reputation_of(&que).await),
        (15, 2)
    );
    accept(&second).await;
    assert_eq!(
        (
            app.reputation_of(&rob).await,
            app.reputation_of(&sam).await,
            app.reputation_of(&que).await
        ),
        (0, 15, 2),
        "the earlier answer's points go back; the accepter keeps 2"
    );
    let own_answer = app.reply(&que, &question, "Answering myself").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    accept(&own_answer).await;
    assert_eq!(
        (app.reputation_of(&sam).await, app.reputation_of(&que).await),
        (0, 0),
        "no points from one's own reply"
    );
    app.mutate(&sam, "deletePost", json!({ "postId": second }), "")
        .await;
    assert_eq!(app.reputation_of(&sam).await, 0);
}

#[tokio::test]
async fn concurrent_reactions_add_up_exactly_within_the_daily_cap() {
    let app = TestApp::spawn().await;
    let author = app.register("aut@example.org", "aut").await;
    let community = app.create_community(&author, "bins", "OPEN").await;
    let mut reactors = Vec::new();
    for n in 0..12 {
        let who = app
            .register(&format!("r{n:02}@example.org"), &format!("r{n:02}"))
            .await;
        app.community_mutation(&who, "joinCommunity", json!({ "communityId": community }))
            .await;
        reactors.push(who);
    }
    let (thread, _) = app
        .start_thread(&author, &community, "Tips", "DISCUSSION")
        .await;
    let first = app.reply(&author, &thread, "Photos").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();
    let second = app.reply(&author, &thread, "QR codes").await["post"]["id"]
        .as_str()
        .expect("reply")
        .to_owned();

    let all = futures_util::future::join_all(
        reactors
            .iter()
            .map(|who| react(&app, who, &first, "HELPFUL")),
    )
    .await;
    assert!(all.iter().all(|r| r["active"] == true), "{all:?}");
    assert_eq!(
        app.reputation_of(&author).await,
        24,
        "12 HELPFUL reactions at 2 each"
    );
    react(&app, &reactors[0], &first, "LIKE").await;
    react(&app, &author, &first, "INSIGHTFUL").await;
    assert_eq!(
        app.reputation_of(&author).await,
        24,
        "LIKE and one's own reactions earn nothing"
    );

    for who in &reactors {
        react(&app, who, &second, "INSIGHTFUL").await;
    }
    assert_eq!(
        app.reputation_of(&author).await,
        40,
        "at most 40 a day from reactions"
    );
    react(&app, &reactors[11], &second, "INSIGHTFUL").await;
    assert_eq!(
        app.reputation_of(&author).await,
        40,
        "a reaction the cap zeroed takes nothing back"
    );
    react(&app, &reactors[0], &second, "INSIGHTFUL").await;
    assert_eq!(
        app.reputation_of(&author).await,
        38,
        "a withdrawn reaction takes its 2 back"
    );

    app.clock.advance(Duration::from_secs(24 * 3600));
    let renewed = app.refresh(&reactors[0].refresh_token).await;
    let tomorrow = Session::from_payload(&renewed["data"]["refreshSession"]);
    react(&app, &tomorrow, &second, "INSIGHTFUL").await;
    assert_eq!(app.reputation_of(&author).await, 40, "a new day, a new cap");
}

#[tokio::test]
async fn leaderboards_come_from_totals_that_a_rebuild_reproduces() {
    let app = TestApp::spawn().await;
    let [ana] = <[Session; 1]>::try_from(app.council_with("leeds", &["ana"]).await).expect("one");
    let [yan, yve] =
        <[Session; 2]>::try_from(app.council_with("york", &["yan", "yve"]).await).expect("two");
    let community = app.create_community(&ana, "bins", "OPEN").await;
    let private = app.create_community(&yan, "quiet", "PRIVATE").await;
    for who in [&yan, &yve] {
        app.community_mutation(who, "joinCommunity", json!({ "communityId": community }))
            .await;
    }
    let (first, _) = app
        .published_practice_in(&ana, "Photos", Some(&community))
        .await;
    let (second, _) = app.published_practice(&yan, "QR codes").await;
    endorse(&app, &yan, &first).await;
    endorse(&app, &yve, &first).await;
    endorse(&app, &ana, &second).await;
    let query = "query L($c: ID, $p: LeaderboardPeriod) { leaderboard(communityId: $c, period: $p, first: 5) { rank points person { handle } } }";
    let board = |community: Option<&str>, period: &str| {
        let variables = json!({ "c": community, "p": period });
        let app = &app;
        let token = yan.access_token.clone();
        async move { app.graphql_as(&token, query, variables).await["data"].clone() }
    };
    let overall = board(None, "ALL_TIME").await;
    assert_eq!(
        overall["leaderboard"],
        json!([
            { "rank": 1, "points": 20, "person": { "handle": "ana" } },
            { "rank": 2, "points": 10, "person": { "handle": "yan" } },
        ]),
        "{overall}"
    );
    assert_eq!(
        board(None, "WEEK").await["leaderboard"],
        overall["leaderboard"]
    );
    let in_community = board(Some(&community), "MONTH").await;
    assert_eq!(
        in_community["leaderboard"],
        json!([{ "rank": 1, "points": 20, "person": { "handle": "ana" } }])
    );
    let hidden = app
        .graphql_as(
            &ana.access_token,
            query,
            json!({ "c": private, "p": "ALL_TIME" }),
        )
        .await;
    assert_eq!(
        hidden["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{hidden}"
    );

    let report = khub_api::cli::reputation::rebuild_totals(app.settings())
        .await
        .expect("rebuilt");
    assert!(
        report.matched,
        "the maintained totals equal the ledger's: {report:?}"
    );
    assert_eq!(report.entries, 3);
    assert_eq!(board(None, "ALL_TIME").await, overall, "nothing moved");
}

#[tokio::test]
async fn badges_are_awarded_once_with_their_date() {
    let app = TestApp::spawn().await;
    let ana = app.council_with("leeds", &["ana"]).await.remove(0);
    app.create_community(&ana, "bins", "OPEN").await;
    let (practice, _) = app.published_practice(&ana, "Photos").await;
    app.published_practice(&ana, "QR codes").await;
    for (n, council) in ["york", "hull", "bath"].iter().enumerate() {
        let who = app
            .council_with(council, &[&format!("ad{n}")])
            .await
            .remove(0);
        let input = json!({ "practiceId": practice, "outcome": "SUCCESSFUL" });
        app.mutate(&who, "recordAdoption", input, "").await;
    }
    let body = app
        .graphql_as(
            &ana.access_token,
            "{ viewer { badges { kind awardedAt } } }",
            json!({}),
        )
        .await;
    let kinds: Vec<&str> = body["data"]["viewer"]["badges"]
        .as_array()
        .expect("badges")
        .iter()
        .filter_map(|b| b["kind"].as_str())
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        ["FACILITATOR", "FIRST_PRACTICE", "SPREAD"],
        "once each: {body}"
    );
    assert!(body["data"]["viewer"]["badges"][0]["awardedAt"].is_string());
}

#[tokio::test]
async fn ten_accepted_answers_make_a_helper_and_facilitating_a_facilitator() {
    let app = TestApp::spawn().await;
    let owner = app.register("own@example.org", "own").await;
    let helper = app.register("hel@example.org", "hel").await;
    let community = app.create_community(&owner, "bins", "OPEN").await;
    app.community_mutation(
        &helper,
        "joinCommunity",
        json!({ "communityId": community }),
    )
    .await;
    let badges = |who: &Session| {
        let (app, token) = (&app, who.access_token.clone());
        async move {
            let body = app
                .graphql_as(&token, "{ viewer { badges { kind } } }", json!({}))
                .await;
            body["data"]["viewer"]["badges"].clone()
        }
    };
    for n in 0..10 {
        assert_eq!(badges(&helper).await, json!([]), "not yet, after {n}");
        let (question, _) = app
            .start_thread(&owner, &community, &format!("Question {n}"), "QUESTION")
            .await;
        let reply = app.reply(&helper, &question, "An answer").await["post"]["id"].clone();
        app.mutate(&owner, "acceptAnswer", json!({ "postId": reply }), "")
            .await;
    }
    assert_eq!(badges(&helper).await, json!([{ "kind": "HELPFUL" }]));
    assert_eq!(app.reputation_of(&helper).await, 150);

    let role =
        json!({ "communityId": community, "personId": helper.person_id, "role": "FACILITATOR" });
    app.community_mutation(&owner, "setMemberRole", role).await;
    assert_eq!(
        badges(&helper).await,
        json!([{ "kind": "HELPFUL" }, { "kind": "FACILITATOR" }])
    );
}

#[tokio::test]
async fn a_weekly_leaderboard_starts_again_with_the_week_for_anonymous_readers_too() {
    let app = TestApp::spawn().await;
    let [ana, ben] =
        <[Session; 2]>::try_from(app.council_with("leeds", &["ana", "ben"]).await).expect("two");
    let (practice, _) = app.published_practice(&ana, "Photos").await;
    endorse(&app, &ben, &practice).await;
    let query = "{ leaderboard(period: WEEK) { person { handle } } }";
    let this_week = json!([{ "person": { "handle": "ana" } }]);
    for _ in 0..2 {
        assert_eq!(
            app.graphql(query, Value::Null).await["data"]["leaderboard"],
            this_week
        );
    }
    // No write between the two reads: only the clock says the week is over.
    app.clock.advance(Duration::from_secs(8 * 24 * 3600));
    let next_week = app.graphql(query, Value::Null).await;
    assert_eq!(next_week["data"]["leaderboard"], json!([]), "{next_week}");
}
