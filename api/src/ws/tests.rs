//! The connection engine driven through an in-memory socket, with a schema whose subscription
//! never ends, to prove the protocol rules that need a live operation.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_graphql::{EmptyMutation, Object, Schema, Subscription};
use axum::extract::ws::Message;
use futures_util::{FutureExt, Sink, Stream, StreamExt};
use khub_domain::access::Actor;
use khub_infra::config::Limits;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::connection::{self, ConnectionEnv};
use super::protocol::Protocol;
use crate::graphql::pipeline::Rules;

struct Query;

#[Object]
impl Query {
    async fn value(&self) -> i32 {
        1
    }
}

struct Live;

#[Subscription]
impl Live {
    async fn forever(&self) -> impl Stream<Item = i32> {
        futures_util::stream::once(async { 7 }).chain(futures_util::stream::pending())
    }
}

/// The server's half of an in-memory websocket.
struct MemorySocket {
    from_client: mpsc::UnboundedReceiver<Message>,
    to_client: mpsc::UnboundedSender<Message>,
}

impl Stream for MemorySocket {
    type Item = Result<Message, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.from_client.poll_recv(cx).map(|m| m.map(Ok))
    }
}

impl Sink<Message> for MemorySocket {
    type Error = Infallible;

    fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn start_send(self: Pin<&mut Self>, message: Message) -> Result<(), Infallible> {
        let _ = self.to_client.send(message);
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }
}

struct Client {
    send: mpsc::UnboundedSender<Message>,
    receive: mpsc::UnboundedReceiver<Message>,
}

impl Client {
    fn connect(limits: Limits) -> Self {
        let (send, from_client) = mpsc::unbounded_channel();
        let (to_client, receive) = mpsc::unbounded_channel();
        let schema = Schema::new(Query, EmptyMutation, Live);
        let env = ConnectionEnv {
            authenticate: Arc::new(|_| async { Ok(Actor::Anonymous) }.boxed()),
            client: None,
            rules: Rules {
                limits,
                introspection: true,
            },
            shutdown: CancellationToken::new(),
            execute: Arc::new(move |request| schema.execute_stream(request).boxed()),
        };
        let socket = MemorySocket {
            from_client,
            to_client,
        };
        tokio::spawn(connection::run(socket, Protocol::TransportWs, env));
        Self { send, receive }
    }

    fn send(&self, message: Value) {
        let _ = self.send.send(Message::Text(message.to_string().into()));
    }

    async fn next(&mut self) -> Message {
        tokio::time::timeout(Duration::from_secs(5), self.receive.recv())
            .await
            .expect("the server answers in time")
            .expect("the connection is open")
    }

    async fn next_json(&mut self) -> Value {
        match self.next().await {
            Message::Text(text) => serde_json::from_str(text.as_str()).expect("JSON"),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    async fn acknowledged(limits: Limits) -> Self {
        let mut client = Self::connect(limits);
        client.send(json!({ "type": "connection_init" }));
        assert_eq!(client.next_json().await["type"], "connection_ack");
        client
    }

    fn subscribe(&self, id: &str) {
        self.send(json!({ "type": "subscribe", "id": id, "payload": { "query": "subscription { forever }" } }));
    }
}

#[tokio::test]
async fn subscribing_again_with_a_live_id_closes_with_4409() {
    let mut client = Client::acknowledged(Limits::default()).await;
    client.subscribe("a");
    assert_eq!(client.next_json().await["payload"]["data"]["forever"], 7);
    client.subscribe("a");
    match client.next().await {
        Message::Close(Some(frame)) => {
            assert_eq!(frame.code, 4409);
            assert_eq!(frame.reason.as_str(), "Subscriber for a already exists");
        }
        other => panic!("expected close 4409, got {other:?}"),
    }
}

#[tokio::test]
async fn a_completed_id_may_be_used_again() {
    let mut client = Client::acknowledged(Limits::default()).await;
    client.subscribe("a");
    assert_eq!(client.next_json().await["type"], "next");
    client.send(json!({ "type": "complete", "id": "a" }));
    client.subscribe("a");
    let next = client.next_json().await;
    assert_eq!(
        (next["type"].as_str(), next["id"].as_str()),
        (Some("next"), Some("a"))
    );
}

#[tokio::test]
async fn operations_beyond_the_cap_get_an_error_and_the_connection_stays_open() {
    let limits = Limits {
        ws_max_subscriptions: 1,
        ..Limits::default()
    };
    let mut client = Client::acknowledged(limits).await;
    client.subscribe("a");
    assert_eq!(client.next_json().await["type"], "next");
    client.subscribe("b");
    let refused = client.next_json().await;
    assert_eq!(
        (refused["type"].as_str(), refused["id"].as_str()),
        (Some("error"), Some("b"))
    );
    client.send(json!({ "type": "ping" }));
    assert_eq!(client.next_json().await["type"], "pong");
}
