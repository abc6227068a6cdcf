//! The connection engine driven through an in-memory socket, with a schema whose subscription
//! never ends, to prove the protocol rules that need a live operation.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use async_graphql::{EmptyMutation, Object, Schema, Subscription};
use axum::extract::ws::Message;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, Sink, Stream, StreamExt};
use khub_domain::access::Actor;
use khub_domain::content_version::ContentVersion;
use khub_domain::ports::BusDelivery;
use khub_infra::config::Limits;
use khub_infra::security::RandomSecrets;
use khub_infra::sessions::MemorySessions;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use super::connection::{self, Executor};
use super::env::ConnectionEnv;
use super::protocol::Protocol;
use super::shared::SharedOperations;
use super::watch::CredentialWatch;
use crate::graphql::live_source::LiveSource;
use crate::graphql::pipeline::Rules;
use khub_domain::identity::ClientInfo;

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

    /// Numbers from the test's source, taken as the hub's subscriptions take deliveries: from
    /// the bus, or replayed (a notice of `n` missed is `-n`).
    async fn numbers(&self, ctx: &async_graphql::Context<'_>) -> BoxStream<'static, i64> {
        let source = ctx.data_unchecked::<Source>();
        match ctx.data_opt::<LiveSource>() {
            Some(LiveSource::Replay(deliveries)) => {
                let notices = deliveries.iter().map(|delivery| match delivery {
                    BusDelivery::Skipped(n) => -i64::try_from(*n).unwrap_or(i64::MAX),
                    BusDelivery::Message(_) => 0,
                });
                futures_util::stream::iter(notices.collect::<Vec<_>>()).boxed()
            }
            Some(LiveSource::Bus { subscribed }) => {
                source.runs.fetch_add(1, Ordering::SeqCst);
                subscribed.store(true, Ordering::SeqCst);
                let numbers = source.numbers.subscribe();
                futures_util::stream::unfold(numbers, |mut numbers| async move {
                    numbers.recv().await.ok().map(|n| (n, numbers))
                })
                .boxed()
            }
            None => futures_util::stream::pending().boxed(),
        }
    }
}

/// Where `numbers` come from, and how many runs listen to them.
#[derive(Clone)]
struct Source {
    numbers: broadcast::Sender<i64>,
    runs: Arc<AtomicUsize>,
}

/// One server: connections made through it share their subscriptions.
struct Server {
    shared: Arc<SharedOperations>,
    source: Source,
}

impl Server {
    fn new() -> Self {
        let source = Source {
            numbers: broadcast::channel(1024).0,
            runs: Arc::default(),
        };
        let schema = Schema::build(Query, EmptyMutation, Live)
            .data(source.clone())
            .finish();
        let execute: Executor = Arc::new(move |request| schema.execute_stream(request).boxed());
        Self {
            shared: Arc::new(SharedOperations::new(execute)),
            source,
        }
    }

    fn publish(&self, n: i64) {
        let _ = self.source.numbers.send(n);
    }

    fn runs(&self) -> usize {
        self.source.runs.load(Ordering::SeqCst)
    }

    /// Waits until `n` subscribers listen.
    async fn live(&self, n: usize) {
        for _ in 0..500 {
            if self.shared.live_subscribers() == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        panic!(
            "expected {n} live subscribers, not {}",
            self.shared.live_subscribers()
        );
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
    fn connect(limits: Limits, server: &Server) -> Self {
        let (send, from_client) = mpsc::unbounded_channel();
        let (to_client, receive) = mpsc::unbounded_channel();
        let env = ConnectionEnv {
            authenticate: Arc::new(|_| async { Ok(Actor::Anonymous) }.boxed()),
            resolve: Arc::new(|_, raw| async { Ok(raw) }.boxed()),
            client: None,
            client_info: ClientInfo::default(),
            watch: CredentialWatch::detached(),
            rules: Rules {
                limits,
                introspection: true,
            },
            shutdown: CancellationToken::new(),
            shared: server.shared.clone(),
            content_version: ContentVersion::new(
                Arc::new(MemorySessions::new()),
                Arc::new(RandomSecrets),
            ),
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
        Self::acknowledged_by(limits, &Server::new()).await
    }

    async fn acknowledged_by(limits: Limits, server: &Server) -> Self {
        let mut client = Self::connect(limits, server);
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

const NUMBERS: &str = "subscription { numbers }";

/// The `numbers` a client's next frame carries for operation `id`.
async fn number(client: &mut Client, id: &str) -> i64 {
    let next = client.next_json().await;
    assert_eq!(
        (next["type"].as_str(), next["id"].as_str()),
        (Some("next"), Some(id)),
        "{next}"
    );
    next["payload"]["data"]["numbers"]
        .as_i64()
        .expect("a number")
}

fn subscribe_to(client: &Client, id: &str, query: &str) {
    client.send(json!({ "type": "subscribe", "id": id, "payload": { "query": query } }));
}

#[tokio::test]
async fn subscribers_to_the_same_operation_share_one_run() {
    let server = Server::new();
    let mut first = Client::acknowledged_by(Limits::default(), &server).await;
    let mut second = Client::acknowledged_by(Limits::default(), &server).await;
    subscribe_to(&first, "a", NUMBERS);
    subscribe_to(&second, "b", NUMBERS);
    server.live(2).await;
    server.publish(5);
    assert_eq!(number(&mut first, "a").await, 5);
    assert_eq!(number(&mut second, "b").await, 5);
    assert_eq!(server.runs(), 1);
    // Another selection is another operation, with its own run.
    subscribe_to(&first, "c", "subscription Named { numbers }");
    server.live(3).await;
    assert_eq!(server.runs(), 2);
}

#[tokio::test]
async fn a_member_leaving_leaves_the_others_and_the_last_stops_the_run() {
    let server = Server::new();
    let first = Client::acknowledged_by(Limits::default(), &server).await;
    let mut second = Client::acknowledged_by(Limits::default(), &server).await;
    subscribe_to(&first, "a", NUMBERS);
    subscribe_to(&second, "a", NUMBERS);
    server.live(2).await;
    first.send(json!({ "type": "complete", "id": "a" }));
    server.live(1).await;
    server.publish(8);
    assert_eq!(number(&mut second, "a").await, 8);
    second.send(json!({ "type": "complete", "id": "a" }));
    server.live(0).await;
    subscribe_to(&first, "again", NUMBERS);
    server.live(1).await;
    assert_eq!(server.runs(), 2, "the stopped run was not reused");
}

#[tokio::test]
async fn a_member_that_falls_behind_is_told_how_many_it_missed() {
    let server = Server::new();
    let mut client = Client::acknowledged_by(Limits::default(), &server).await;
    subscribe_to(&client, "a", NUMBERS);
    server.live(1).await;
    // More than the run keeps, published before the member can take any.
    for n in 1..=100 {
        server.publish(n);
    }
    let mut received = Vec::new();
    while received.last() != Some(&100) {
        received.push(number(&mut client, "a").await);
    }
    let missed = received
        .iter()
        .find(|n| **n < 0)
        .expect("a notice of missed results");
    let delivered = received.iter().filter(|n| **n > 0).count();
    assert_eq!(delivered as i64 - missed, 100, "{received:?}");
}
