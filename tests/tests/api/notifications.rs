//! Notifications: who is told of what, by watch level; collapsing; read state; visibility at
//! creation and after losing access. Live delivery: `notifications_live.rs`.

use khub_tests::{Session, TestApp, error_code};
use serde_json::{Value, json};

fn kinds(notifications: &[Value]) -> Vec<&str> {
    notifications
        .iter()
        .map(|n| n["kind"].as_str().unwrap_or_default())
        .collect()
}

/// The kinds of everything `who` may still see, read or not.
async fn left_to(app: &TestApp, who: &Session) -> Vec<String> {
    let (all, unread) = app.notifications(who, false).await;
    assert_eq!(unread, 0);
    kinds(&all).into_iter().map(str::to_owned).collect()
}

async fn reply_to(app: &TestApp, who: &Session, thread: &str, post: &str, body: &str) -> Value {
    let input = json!({ "threadId": thread, "body": body, "replyToId": post });
    app.mutate(who, "postReply", input, "post { id }").await
}

#[tokio::test]
async fn replies_tell_the_addressee_and_watchers_once_and_collapse_until_read() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("OPEN", &["ana", "bob", "cyd"])
        .await;
    let [ana, bob, cy] = [&people[0], &people[1], &people[2]];
    app.clear_notifications(ana, 1).await; // the Facilitator badge, for founding it
    let (thread, _) = app
        .start_thread(ana, &community, "Fewer missed bins", "DISCUSSION")
        .await;

    // Bob answers the thread: its author is told REPLIED (and not THREAD_ACTIVITY as well).
    let first = app.reply(bob, &thread, "We moved collections").await;
    let told = app.unread_notifications(ana, 1).await;
    assert_eq!(kinds(&told), ["REPLIED"]);
    assert_eq!(told[0]["actor"]["handle"], "bob");
    assert_eq!(told[0]["thread"]["title"], "Fewer missed bins");
    assert_eq!(told[0]["post"]["body"], "We moved collections");

    // Cy answers Bob: Bob is told REPLIED; Ana, who watches the thread she started, is told
    // THREAD_ACTIVITY; Cy, the actor, nothing.
    let bobs = first["post"]["id"].as_str().expect("reply id");
    reply_to(&app, cy, &thread, bobs, "Which days?").await;
    assert_eq!(kinds(&app.unread_notifications(bob, 1).await), ["REPLIED"]);
    let told = app.unread_notifications(ana, 2).await;
    assert_eq!(kinds(&told), ["THREAD_ACTIVITY", "REPLIED"]);

    // More replies to Ana's thread collapse into her unread REPLIED, counting them.
    app.reply(bob, &thread, "Tuesdays").await;
    app.reply(cy, &thread, "Thanks").await;
    let told = app
        .unread_notifications_when(ana, 2, |told| told[0]["count"] == 3)
        .await;
    assert_eq!(kinds(&told), ["REPLIED", "THREAD_ACTIVITY"]);
    assert_eq!(told[0]["actor"]["handle"], "cyd", "the latest actor");
    assert!(
        app.unread_notifications(cy, 0).await.is_empty(),
        "own actions tell no one"
    );
    // Bob replied, so he tracks the thread: counted, not told of Cy's reply to Ana.
    assert_eq!(app.unread_notifications(bob, 1).await.len(), 1);

    // Read, then new activity: a fresh notification, the read one stays read.
    let id = told[0]["id"].clone();
    let marked = app
        .mutate(
            ana,
            "markNotificationsRead",
            json!({ "notificationIds": [id] }),
            "markedCount unreadNotificationCount",
        )
        .await;
    assert_eq!(marked["markedCount"], 1, "{marked}");
    assert_eq!(marked["unreadNotificationCount"], 1);
    app.reply(bob, &thread, "One more").await;
    let told = app.unread_notifications(ana, 2).await;
    assert_eq!(told[0]["count"], 1);
    let (all, _) = app.notifications(ana, false).await;
    assert_eq!(all.len(), 4, "with her read Facilitator badge: {all:?}");
    assert!(all.iter().any(|n| n["read"] == true && n["count"] == 3));

    let body = app
        .graphql_as(
            &ana.access_token,
            "mutation { markAllNotificationsRead { markedCount unreadNotificationCount } }",
            json!({}),
        )
        .await;
    let all_read = &body["data"]["markAllNotificationsRead"];
    assert_eq!(all_read["markedCount"], 2, "{body}");
    assert_eq!(all_read["unreadNotificationCount"], 0);

    let too_many = json!({ "notificationIds": vec![id; 101] });
    let refused = app
        .mutate(ana, "markNotificationsRead", too_many, "markedCount")
        .await;
    assert_eq!(
        refused["userErrors"][0]["field"], "notificationIds",
        "{refused}"
    );
    assert_eq!(error_code(&refused), "TOO_MANY");
}

#[tokio::test]
async fn watch_levels_default_sensibly_and_decide_who_is_told() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("OPEN", &["ana", "bob", "cyd", "dee"])
        .await;
    let [ana, bob, cy, dee] = [&people[0], &people[1], &people[2], &people[3]];
    let outsider = app.register("eve@example.org", "eve").await;
    app.clear_notifications(ana, 1).await;
    let (thread, _) = app
        .start_thread(ana, &community, "Damp and mould", "DISCUSSION")
        .await;
    app.reply(bob, &thread, "We survey every home").await;
    // Told before she mutes the thread below (who is told is decided when the notifier runs).
    app.unread_notifications(ana, 1).await;

    let level = |who: &Session| {
        let who = who.clone();
        let thread = thread.clone();
        let app = &app;
        async move {
            app.node(Some(&who), &thread, "... on Thread { viewerWatchLevel }")
                .await["viewerWatchLevel"]
                .clone()
        }
    };
    assert_eq!(level(ana).await, "WATCHING", "you watch threads you start");
    assert_eq!(
        level(bob).await,
        "TRACKING",
        "you track threads you reply in"
    );
    assert_eq!(level(cy).await, "NORMAL");
    let community_level = |who: Option<&Session>| {
        let app = &app;
        let community = community.clone();
        let who = who.cloned();
        async move {
            app.node(
                who.as_ref(),
                &community,
                "... on Community { viewerWatchLevel }",
            )
            .await["viewerWatchLevel"]
                .clone()
        }
    };
    assert_eq!(
        community_level(Some(dee)).await,
        "TRACKING",
        "members track"
    );
    assert_eq!(community_level(Some(&outsider)).await, "NORMAL");
    assert_eq!(community_level(None).await, Value::Null, "anonymous");

    // Cy watches the thread; Ana mutes it; Dee watches the community.
    let watched = app.watch_thread(cy, &thread, "WATCHING").await;
    assert_eq!(
        watched["thread"]["viewerWatchLevel"], "WATCHING",
        "{watched}"
    );
    app.watch_thread(ana, &thread, "MUTED").await;
    let watched = app.watch_community(dee, &community, "WATCHING").await;
    assert_eq!(
        watched["community"]["viewerWatchLevel"], "WATCHING",
        "{watched}"
    );

    app.reply(bob, &thread, "And again after a month").await;
    app.start_thread(bob, &community, "Fly-tipping", "QUESTION")
        .await;
    app.published_practice_in(bob, "Mould checks", Some(&community))
        .await;

    assert_eq!(
        kinds(&app.unread_notifications(cy, 1).await),
        ["THREAD_ACTIVITY"]
    );
    assert!(app.unread_notifications(ana, 1).await[0]["kind"] == "REPLIED");
    // A thread and a practice, collapsed.
    let told = app
        .unread_notifications_when(dee, 1, |told| told[0]["count"] == 2)
        .await;
    assert_eq!(kinds(&told), ["COMMUNITY_ACTIVITY"]);
    assert_eq!(told[0]["practice"]["title"], "Mould checks");

    // A muted thread tells its muter nothing, replies to them included.
    assert_eq!(app.notifications(ana, true).await.1, 1);
    app.reply(cy, &thread, "Ana, what did you find?").await;
    app.unread_notifications(cy, 1).await;
    assert_eq!(app.notifications(ana, true).await.1, 1, "muted");

    let bad = app.watch_thread(&outsider, &community, "WATCHING").await;
    assert_eq!(error_code(&bad), "INVALID_ID", "{bad}");
}

#[tokio::test]
async fn mentions_tell_only_those_who_may_read_and_vanish_when_access_is_lost() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("RESTRICTED", &["ana", "bob"])
        .await;
    let [ana, bob] = [&people[0], &people[1]];
    app.bring_in(ana, bob, &community, "RESTRICTED").await;
    app.clear_notifications(bob, 1).await; // the decision on his request
    let eve = app.register("eve@example.org", "eve").await;
    let (thread, _) = app
        .start_thread(ana, &community, "Members only", "DISCUSSION")
        .await;
    let reply = app.reply(ana, &thread, "Thoughts, @bob and @eve?").await;

    let told = app.unread_notifications(bob, 1).await;
    assert_eq!(kinds(&told), ["MENTIONED"]);
    assert_eq!(told[0]["actor"]["handle"], "ana");
    assert!(
        app.unread_notifications(&eve, 0).await.is_empty(),
        "Eve may not read the community: she is not told"
    );

    // Deleted content is no longer shown.
    let post = reply["post"]["id"].as_str().expect("reply id");
    app.mutate(ana, "deletePost", json!({ "postId": post }), "post { id }")
        .await;
    assert_eq!(left_to(&app, bob).await, ["MEMBERSHIP_DECIDED"]);

    // Nor is anything from a community one has left.
    app.reply(ana, &thread, "@bob once more").await;
    app.unread_notifications(bob, 1).await;
    app.community_mutation(bob, "leaveCommunity", json!({ "communityId": community }))
        .await;
    assert_eq!(left_to(&app, bob).await, ["MEMBERSHIP_DECIDED"]);
}

#[tokio::test]
async fn what_peers_do_with_a_practice_tells_its_author() {
    let app = TestApp::spawn().await;
    let leeds = app.council_with("leeds", &["ana"]).await;
    let mut peers = Vec::new();
    for council in ["york", "hull", "bath"] {
        peers.extend(app.council_with(council, &[&format!("{council}1")]).await);
    }
    let (practice, _) = app.published_practice(&leeds[0], "Fewer missed bins").await;
    app.clear_notifications(&leeds[0], 1).await; // the First practice badge

    for peer in &peers {
        let endorse = json!({ "practiceId": practice, "comment": "It worked for us too" });
        let endorsed = app
            .mutate(peer, "endorsePractice", endorse, "practice { id }")
            .await;
        assert_eq!(endorsed["userErrors"], json!([]), "{endorsed}");
    }
    let adopt = json!({ "practiceId": practice, "outcome": "SUCCESSFUL" });
    let adopted = app
        .mutate(&peers[0], "recordAdoption", adopt, "adoption { outcome }")
        .await;
    assert_eq!(adopted["adoption"]["outcome"], "SUCCESSFUL", "{adopted}");

    let told = app.unread_notifications(&leeds[0], 4).await;
    let of = |kind: &str| {
        told.iter()
            .find(|n| n["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {told:?}"))
    };
    assert_eq!(of("PRACTICE_ADOPTED")["actor"]["handle"], "york1");
    let promoted = of("PRACTICE_PROMOTED");
    assert_eq!(
        promoted["actor"],
        Value::Null,
        "promoted by endorsements, not by a person"
    );
    let endorsed = of("PRACTICE_ENDORSED");
    assert_eq!(endorsed["count"], 3, "three endorsements, collapsed");
    assert_eq!(endorsed["actor"]["handle"], "bath1", "the latest endorser");
    for about in [of("PRACTICE_ADOPTED"), promoted, endorsed] {
        assert_eq!(about["practice"]["title"], "Fewer missed bins");
    }
    assert_eq!(of("BADGE_AWARDED")["badge"], "PRACTICE_WORTH_REPEATING");
}

#[tokio::test]
async fn an_accepted_answer_tells_its_author() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let [ana, bob] = [&people[0], &people[1]];
    let (thread, _) = app
        .start_thread(ana, &community, "Which form?", "QUESTION")
        .await;
    let answer = app.reply(bob, &thread, "Form 7").await;
    let post = answer["post"]["id"].as_str().expect("reply id");
    app.mutate(
        ana,
        "acceptAnswer",
        json!({ "postId": post }),
        "thread { id }",
    )
    .await;
    assert_eq!(
        kinds(&app.unread_notifications(bob, 1).await),
        ["ANSWER_ACCEPTED"]
    );
}

#[tokio::test]
async fn invitations_decisions_on_joining_and_badges_are_told() {
    let app = TestApp::spawn().await;
    let ana = app.register("ana@example.org", "ana").await;
    let bob = app.register("bob@example.org", "bob").await;
    let cyd = app.register("cyd@example.org", "cyd").await;
    let eve = app.register("eve@example.org", "eve").await;
    let private = app.create_community(&ana, "inner", "PRIVATE").await;
    let told = app.unread_notifications(&ana, 1).await;
    assert_eq!(kinds(&told), ["BADGE_AWARDED"]);
    assert_eq!(told[0]["badge"], "FACILITATOR", "{told:?}");

    let pair = json!({ "communityId": private, "personId": eve.person_id });
    app.community_mutation(&ana, "inviteToCommunity", pair)
        .await;
    let told = app.unread_notifications(&eve, 1).await;
    assert_eq!(kinds(&told), ["INVITED"]);
    assert_eq!(told[0]["actor"]["handle"], "ana");
    assert_eq!(
        told[0]["community"]["slug"], "inner",
        "the invitee may see it: {told:?}"
    );

    let restricted = app.create_community(&ana, "asks", "RESTRICTED").await;
    for asker in [&bob, &cyd] {
        let join = json!({ "communityId": restricted });
        app.community_mutation(asker, "joinCommunity", join).await;
    }
    let decide = |who: &Session, decision: &str| json!({ "communityId": restricted, "personId": who.person_id, "decision": decision });
    app.community_mutation(&ana, "decideMembership", decide(&bob, "REJECT"))
        .await;
    app.community_mutation(&ana, "decideMembership", decide(&cyd, "APPROVE"))
        .await;
    let query = "query { viewer { notifications(first: 5) { edges { node { kind approved community { slug } } } } } }";
    for (who, approved) in [(&bob, false), (&cyd, true)] {
        app.unread_notifications(who, 1).await;
        let body = app.graphql_as(&who.access_token, query, json!({})).await;
        let told = &body["data"]["viewer"]["notifications"]["edges"][0]["node"];
        assert_eq!(told["kind"], "MEMBERSHIP_DECIDED", "{body}");
        assert_eq!(told["approved"], approved, "{body}");
        assert_eq!(told["community"]["slug"], "asks", "{body}");
    }
}
