//! Helpers for notifications: reading them as their recipient, waiting for the relay.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{Session, TestApp, WsClient};

/// What tests select of each notification.
pub const NOTIFICATION_FIELDS: &str = "id kind count read badge actor { handle } thread { title } post { body } practice { title } community { slug }";

impl TestApp {
    /// The viewer's notifications (`unreadOnly` as given), newest first, and the unread count.
    pub async fn notifications(&self, who: &Session, unread_only: bool) -> (Vec<Value>, u64) {
        let query = format!(
            "query N($unread: Boolean!) {{ viewer {{ unreadNotificationCount \
             notifications(first: 50, unreadOnly: $unread) {{ edges {{ node {{ {NOTIFICATION_FIELDS} }} }} }} }} }}"
        );
        let body = self
            .graphql_as(&who.access_token, &query, json!({ "unread": unread_only }))
            .await;
        let viewer = &body["data"]["viewer"];
        let nodes = viewer["notifications"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("notifications: {body}"))
            .iter()
            .map(|edge| edge["node"].clone())
            .collect();
        (
            nodes,
            viewer["unreadNotificationCount"].as_u64().unwrap_or(0),
        )
    }

    /// Waits (the relay writes notifications just after the change commits) until `who` has
    /// `expected` unread notifications, then returns them, newest first. Polls the count
    /// alone: it costs little of the query budget.
    pub async fn unread_notifications(&self, who: &Session, expected: u64) -> Vec<Value> {
        let query = "{ viewer { unreadNotificationCount } }";
        let mut count = Value::Null;
        for _ in 0..100 {
            let body = self.graphql_as(&who.access_token, query, json!({})).await;
            count = body["data"]["viewer"]["unreadNotificationCount"].clone();
            if count == expected {
                // Settled: a later event could still be on its way, so look twice.
                tokio::time::sleep(Duration::from_millis(100)).await;
                let (unread, now) = self.notifications(who, true).await;
                if now == expected {
                    return unread;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("expected {expected} unread notifications, counted {count}");
    }

    /// Like `unread_notifications`, but also waits until `settled` holds of the unread ones
    /// (`kind` and `count` of each, newest first): activity that collapses into an unread
    /// notification raises its count, not how many are unread, so the total alone cannot tell
    /// that the notifier has reached it.
    pub async fn unread_notifications_when(
        &self,
        who: &Session,
        expected: u64,
        settled: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let query = "{ viewer { notifications(first: 10, unreadOnly: true) { edges { node { kind count } } } } }";
        let mut seen = Value::Null;
        for _ in 0..100 {
            let body = self.graphql_as(&who.access_token, query, json!({})).await;
            seen = body["data"]["viewer"]["notifications"]["edges"].clone();
            let told: Vec<Value> = seen
                .as_array()
                .map(|edges| edges.iter().map(|edge| edge["node"].clone()).collect())
                .unwrap_or_default();
            if told.len() as u64 == expected && settled(&told) {
                return self.unread_notifications(who, expected).await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{expected} settled unread notifications never came; the last seen: {seen}");
    }

    /// Waits for `who`'s `expected` unread notifications (a badge for founding a community, a
    /// decision on joining), then marks them read, so a test starts from nothing unread.
    pub async fn clear_notifications(&self, who: &Session, expected: u64) {
        self.unread_notifications(who, expected).await;
        let body = self
            .graphql_as(
                &who.access_token,
                "mutation { markAllNotificationsRead { unreadNotificationCount } }",
                json!({}),
            )
            .await;
        let left = &body["data"]["markAllNotificationsRead"]["unreadNotificationCount"];
        assert_eq!(left, 0, "{body}");
    }

    /// Sets how closely `who` watches a community; returns the payload.
    pub async fn watch_community(&self, who: &Session, community: &str, level: &str) -> Value {
        let input = json!({ "communityId": community, "level": level });
        self.mutate(
            who,
            "watchCommunity",
            input,
            "community { viewerWatchLevel }",
        )
        .await
    }

    /// Sets how closely `who` watches a thread; returns the payload.
    pub async fn watch_thread(&self, who: &Session, thread: &str, level: &str) -> Value {
        let input = json!({ "threadId": thread, "level": level });
        self.mutate(who, "watchThread", input, "thread { viewerWatchLevel }")
            .await
    }
}

impl WsClient {
    /// Subscribes `id` to the viewer's notifications.
    pub async fn subscribe_notifications(&mut self, id: &str) {
        let query = format!("subscription {{ notificationReceived {{ {NOTIFICATION_FIELDS} }} }}");
        self.send(json!({ "type": "subscribe", "id": id, "payload": { "query": query } }))
            .await;
    }
}
