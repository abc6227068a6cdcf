//! Helpers for conversations: threads, replies and live subscriptions.

use serde_json::{Value, json};

use crate::{Session, TestApp, WsClient, WsProtocol};

/// What a subscription selects of each thread event.
pub const THREAD_EVENT_FIELDS: &str = "kind threadId skipped reaction reactionCounts { like helpful } post { id body status author { handle } }";

/// The code of a payload's first user error, or else of the response's first error.
pub fn error_code(payload: &Value) -> &str {
    payload["userErrors"][0]["code"]
        .as_str()
        .or(payload["errors"][0]["extensions"]["code"].as_str())
        .unwrap_or("")
}

/// The keys of a JSON object, in the order the answer gave them.
pub fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|fields| fields.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

impl TestApp {
    /// People registered by handle (`handle@example.org`); the first creates a community
    /// `care` of this visibility, the others join it (asking, where it is RESTRICTED).
    pub async fn community_with_members(
        &self,
        visibility: &str,
        handles: &[&str],
    ) -> (String, Vec<Session>) {
        let mut people = Vec::new();
        for handle in handles {
            people.push(
                self.register(&format!("{handle}@example.org"), handle)
                    .await,
            );
        }
        let community = self.create_community(&people[0], "care", visibility).await;
        for member in &people[1..] {
            self.community_mutation(member, "joinCommunity", json!({ "communityId": community }))
                .await;
        }
        (community, people)
    }

    /// `node(id:)` with `selection`, as `who` (anonymous if `None`).
    pub async fn node(&self, who: Option<&Session>, id: &str, selection: &str) -> Value {
        let query = format!("query N($id: ID!) {{ node(id: $id) {{ {selection} }} }}");
        let body = match who {
            Some(session) => {
                self.graphql_as(&session.access_token, &query, json!({ "id": id }))
                    .await
            }
            None => self.graphql(&query, json!({ "id": id })).await,
        };
        body["data"]["node"].clone()
    }

    /// Starts a thread as `author`; returns the thread's id and its opening post's id.
    pub async fn start_thread(
        &self,
        author: &Session,
        community: &str,
        title: &str,
        kind: &str,
    ) -> (String, String) {
        let input = json!({
            "communityId": community,
            "title": title,
            "body": format!("Opening post of {title}"),
            "kind": kind,
        });
        let payload = self
            .mutate(
                author,
                "startThread",
                input,
                "thread { id openingPost { id } }",
            )
            .await;
        let thread = &payload["thread"];
        match (thread["id"].as_str(), thread["openingPost"]["id"].as_str()) {
            (Some(id), Some(post)) => (id.to_owned(), post.to_owned()),
            _ => panic!("thread not started: {payload}"),
        }
    }

    /// Replies as `author`; returns the payload (`post { id body status }` and user errors).
    pub async fn reply(&self, author: &Session, thread: &str, body: &str) -> Value {
        let input = json!({ "threadId": thread, "body": body });
        self.mutate(
            author,
            "postReply",
            input,
            "post { id body status position }",
        )
        .await
    }

    /// Waits until this instance holds at least `n` live subscriptions (from its metrics), so
    /// an event published next is sure to find them.
    pub async fn wait_for_subscribers(&self, n: u64) {
        self.wait_for_live(|held| held >= n).await;
    }

    /// Waits until this instance holds exactly `n` live subscriptions.
    pub async fn wait_for_subscribers_exactly(&self, n: u64) {
        self.wait_for_live(|held| held == n).await;
    }

    async fn wait_for_live(&self, enough: impl Fn(u64) -> bool) {
        for _ in 0..250 {
            let held = self.metric("khub_live_subscribers").await;
            if enough(held) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the live subscriptions did not reach the expected count");
    }

    /// A websocket speaking graphql-transport-ws, acknowledged, as `who` (anonymous if `None`).
    pub async fn live(&self, who: Option<&Session>) -> WsClient {
        let mut ws = self.websocket(WsProtocol::TransportWs).await;
        let payload = match who {
            Some(session) => json!({ "authorization": format!("Bearer {}", session.access_token) }),
            None => json!({}),
        };
        ws.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        assert_eq!(ws.next_json().await["type"], "connection_ack");
        ws
    }
}

impl WsClient {
    /// Subscribes `id` to a thread's events.
    pub async fn subscribe_thread(&mut self, id: &str, thread: &str) {
        let query = format!(
            "subscription S($thread: ID!) {{ threadEvents(threadId: $thread) {{ {THREAD_EVENT_FIELDS} }} }}"
        );
        self.send(json!({
            "type": "subscribe",
            "id": id,
            "payload": { "query": query, "variables": { "thread": thread } },
        }))
        .await;
    }
}
