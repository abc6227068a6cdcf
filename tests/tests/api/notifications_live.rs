//! Notifications as they are made, over websockets: on any instance, and to everyone told of
//! one event at once.

use std::time::Duration;

use khub_tests::TestApp;

#[tokio::test]
async fn notifications_arrive_live_on_any_instance() {
    let app = TestApp::spawn().await;
    let (community, people) = app.community_with_members("OPEN", &["ana", "bob"]).await;
    let [ana, bob] = [&people[0], &people[1]];
    app.clear_notifications(ana, 1).await;
    let (thread, _) = app
        .start_thread(ana, &community, "Live", "DISCUSSION")
        .await;
    // With Redis, Ana listens on another instance; embedded, on this one.
    let other = match app.backend_has_redis() {
        true => Some(app.spawn_sibling().await),
        false => None,
    };
    let listening = other.as_ref().unwrap_or(&app);
    let mut ws = listening.live(Some(ana)).await;
    ws.subscribe_notifications("n").await;
    listening.wait_for_subscribers(1).await;

    app.reply(bob, &thread, "Heard live").await;
    let frame = ws
        .next_within(Duration::from_secs(10))
        .await
        .expect("a live notification");
    let told = &frame["payload"]["data"]["notificationReceived"];
    assert_eq!(told["kind"], "REPLIED", "{frame}");
    assert_eq!(told["post"]["body"], "Heard live");

    app.reply(bob, &thread, "And again").await;
    let frame = ws
        .next_within(Duration::from_secs(10))
        .await
        .expect("the collapsed notification, live");
    assert_eq!(frame["payload"]["data"]["notificationReceived"]["count"], 2);

    let mut anonymous = app.live(None).await;
    anonymous.subscribe_notifications("n").await;
    let refused = anonymous.next_json().await;
    let code = &refused["payload"]["errors"][0]["extensions"]["code"];
    assert_eq!(code, "UNAUTHENTICATED", "{refused}");
}

/// Everyone one reply tells hears of it live at the same moment, each seeing the thread as they
/// may read it: their look-ups arrive together and are read in batches across the sockets.
#[tokio::test]
async fn everyone_told_of_one_reply_hears_it_live_with_the_thread() {
    let app = TestApp::spawn().await;
    let (community, people) = app
        .community_with_members("OPEN", &["ana", "bob", "cyd", "dee"])
        .await;
    let (thread, _) = app
        .start_thread(&people[0], &community, "Heard together", "DISCUSSION")
        .await;
    let mut sockets = Vec::new();
    for watcher in &people[1..] {
        app.watch_thread(watcher, &thread, "WATCHING").await;
        let mut ws = app.live(Some(watcher)).await;
        ws.subscribe_notifications("n").await;
        sockets.push(ws);
    }
    app.wait_for_subscribers(3).await;

    app.reply(&people[0], &thread, "All at once").await;
    for ws in &mut sockets {
        let frame = ws
            .next_within(Duration::from_secs(10))
            .await
            .expect("a live notification");
        let told = &frame["payload"]["data"]["notificationReceived"];
        assert_eq!(told["kind"], "THREAD_ACTIVITY", "{frame}");
        assert_eq!(told["thread"]["title"], "Heard together", "{frame}");
        assert_eq!(told["post"]["body"], "All at once", "{frame}");
        assert_eq!(told["actor"]["handle"], "ana", "{frame}");
    }
}
