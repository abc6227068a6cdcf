//! One websocket connection: the handshake, subscriptions as tasks, keep-alive and close codes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use axum::extract::ws::{CloseFrame, Message};
use futures_util::stream::BoxStream;
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::content_version::ContentVersion;
use khub_domain::identity::{ClientInfo, EndedCredential};
use khub_domain::policy;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::env::{Authenticator, ConnectionEnv, DocumentResolver};
use super::operation::{self, Joining, Link, Outgoing};
use super::protocol::{ClientMessage, Protocol, ServerMessage};
use super::replies::{after_writing, authorization_of, error_message};
use super::shared::{ShareKey, SharedOperations, Template};
use super::watch::{self, CredentialWatch, Signal};
use crate::auth;
use crate::graphql::context::RequestId;
use crate::graphql::error::ErrorCode;
use crate::graphql::pipeline::{self, Prepared, Rules};
use crate::graphql::query::FeedTokenMemo;

/// Close codes of graphql-transport-ws.
mod close {
    pub const BAD_MESSAGE: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const DUPLICATE_ID: u16 = 4409;
    pub const TOO_MANY_INITS: u16 = 4429;
    pub const GOING_AWAY: u16 = 1001;
    /// RFC 6455 "Try Again Later": a dependency is out of reach, the credentials may be fine.
    pub const TRY_AGAIN_LATER: u16 = 1013;
    pub const NORMAL: u16 = 1000;
}

/// Frames queued for the client per connection; a slow client slows only its own subscriptions.
const OUTBOX: usize = 64;

/// What handling one client message asks of the connection.
enum Step {
    Continue,
    Send(ServerMessage),
    /// A frame already encoded by a subscription task.
    Raw(String),
    /// Sends `last` (if any), then closes with the code and reason.
    Close(u16, String, Option<ServerMessage>),
}

impl Step {
    fn close(code: u16, reason: impl Into<String>) -> Self {
        Self::Close(code, reason.into(), None)
    }
}

/// Runs a prepared operation, yielding each of its responses.
pub type Executor = Arc<
    dyn Fn(async_graphql::Request) -> BoxStream<'static, async_graphql::Response> + Send + Sync,
>;

struct Connection {
    protocol: Protocol,
    authenticate: Authenticator,
    resolve: DocumentResolver,
    client: Option<IpAddr>,
    client_info: ClientInfo,
    watch: CredentialWatch,
    rules: Rules,
    shared: Arc<SharedOperations>,
    content_version: ContentVersion,
    viewer: Option<Actor>,
    init_received: bool,
    subscriptions: HashMap<String, (u64, AbortHandle)>,
    generation: u64,
    outbox: mpsc::Sender<Outgoing>,
}

/// Serves the connection until either side closes it or the server shuts down.
pub async fn run<S, E>(socket: S, protocol: Protocol, env: ConnectionEnv)
where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Send + Unpin,
{
    let ConnectionEnv {
        authenticate,
        resolve,
        client,
        client_info,
        watch,
        rules,
        shutdown,
        shared,
        content_version,
    } = env;
    let limits = rules.limits.clone();
    let (mut sink, mut incoming) = socket.split();
    let (outbox, mut queued) = mpsc::channel(OUTBOX);
    let mut conn = Connection {
        protocol,
        authenticate,
        resolve,
        client,
        client_info,
        watch,
        rules,
        shared,
        content_version,
        viewer: None,
        init_received: false,
        subscriptions: HashMap::new(),
        generation: 0,
        outbox,
    };
    let init_deadline = tokio::time::sleep(limits.ws_init_timeout);
    tokio::pin!(init_deadline);
    let mut keepalive = tokio::time::interval(limits.ws_keepalive);
    keepalive.reset();
    // Set once the socket is signed in: what it hears about its credential, and when an API
    // token it holds expires.
    let (mut signals, mut expiry) = (None, None);
    let closing = loop {
        let step = tokio::select! {
            () = &mut init_deadline, if !conn.init_received => {
                Step::close(close::INIT_TIMEOUT, "Connection initialisation timeout")
            }
            signal = watch::next_signal(&mut signals) => match signal {
                Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                    signals = None;
                    Step::Continue
                }
                signal => conn.on_signal(signal.ok()).await,
            },
            () = watch::sleep_until(expiry) => Step::close(close::FORBIDDEN, "API token expired"),
            () = shutdown.cancelled() => Step::close(close::GOING_AWAY, "Server shutting down"),
            _ = keepalive.tick(), if conn.viewer.is_some() => Step::Send(ServerMessage::Ping),
            Some(out) = queued.recv() => conn.on_outgoing(out),
            frame = incoming.next() => match frame {
                // Boxed: handling a message (authenticating, preparing an operation) takes
                // more state than waiting, and a connection mostly waits.
                Some(Ok(Message::Text(text))) => {
                    let step = Box::pin(conn.on_text(text.as_str())).await;
                    if signals.is_none() && let Some(viewer) = &conn.viewer
                        && EndedCredential::of(viewer).is_some()
                    {
                        signals = Some(conn.watch.subscribe());
                        expiry = conn.watch.time_left(viewer).map(|left| tokio::time::Instant::now() + left);
                    }
                    step
                }
                Some(Ok(Message::Binary(_))) => Step::close(close::BAD_MESSAGE, "Invalid message received"),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Step::Continue,
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break None,
            },
        };
        let frame = match step {
            Step::Continue => continue,
            Step::Send(message) => protocol.encode(message),
            Step::Raw(frame) => frame,
            Step::Close(code, reason, last) => {
                if let Some(message) = last {
                    let _ = sink
                        .send(Message::Text(protocol.encode(message).into()))
                        .await;
                }
                break Some((code, reason));
            }
        };
        if sink.send(Message::Text(frame.into())).await.is_err() {
            break None;
        }
    };
    conn.stop_all();
    if let Some((code, reason)) = closing {
        close_with(&mut sink, code, reason).await;
    }
}

async fn close_with<K: Sink<Message> + Unpin>(sink: &mut K, code: u16, reason: String) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
    let _ = sink.close().await;
}

impl Connection {
    fn on_outgoing(&mut self, out: Outgoing) -> Step {
        match out {
            Outgoing::Frame(frame) => Step::Raw(frame),
            Outgoing::Finished(id, generation) => {
                if self
                    .subscriptions
                    .get(&id)
                    .is_some_and(|(g, _)| *g == generation)
                {
                    self.subscriptions.remove(&id);
                }
                Step::Continue
            }
        }
    }

    /// A credential ended somewhere (`Some`), or announcements were missed (`None`): a socket
    /// whose credential no longer works is closed, and runs and delivers nothing more.
    async fn on_signal(&mut self, signal: Option<Signal>) -> Step {
        let Some(viewer) = &self.viewer else {
            return Step::Continue;
        };
        let ended = match signal {
            Some(Signal::Ended(credential)) => EndedCredential::of(viewer) == Some(credential),
            Some(Signal::Recheck) | None => !self.watch.still_valid(viewer).await,
        };
        match ended {
            true => Step::close(close::FORBIDDEN, "Session ended"),
            false => Step::Continue,
        }
    }

    async fn on_text(&mut self, text: &str) -> Step {
        let message = match self.protocol.decode(text) {
            Ok(message) => message,
            Err(reason) => return Step::close(close::BAD_MESSAGE, reason),
        };
        match message {
            ClientMessage::Init(payload) => self.on_init(payload).await,
            ClientMessage::Ping(payload) => Step::Send(ServerMessage::Pong(payload)),
            ClientMessage::Pong => Step::Continue,
            ClientMessage::Subscribe { id, payload } => self.on_subscribe(id, payload).await,
            ClientMessage::Complete { id } => {
                if let Some((_, task)) = self.subscriptions.remove(&id) {
                    task.abort();
                }
                Step::Continue
            }
            ClientMessage::Terminate => Step::close(close::NORMAL, "Terminated"),
        }
    }

    async fn on_init(&mut self, payload: Option<Value>) -> Step {
        if self.init_received {
            return Step::close(close::TOO_MANY_INITS, "Too many initialisation requests");
        }
        self.init_received = true;
        let authorization = payload.as_ref().and_then(authorization_of);
        match (self.authenticate)(authorization).await {
            Ok(viewer) => {
                self.viewer = Some(viewer);
                Step::Send(ServerMessage::Ack)
            }
            // Not a refusal: the session store is out of reach. A client that read 4403 here
            // would throw away credentials that are good.
            Err(DomainError::Unreachable { .. }) => {
                let last = (self.protocol == Protocol::Legacy)
                    .then(|| ServerMessage::ConnectionError("Unavailable".into()));
                Step::Close(
                    close::TRY_AGAIN_LATER,
                    "Unavailable: try again shortly".into(),
                    last,
                )
            }
            // The legacy protocol explains a refusal before closing.
            Err(_) => {
                let last = (self.protocol == Protocol::Legacy)
                    .then(|| ServerMessage::ConnectionError("Forbidden".into()));
                Step::Close(close::FORBIDDEN, "Forbidden".into(), last)
            }
        }
    }

    async fn on_subscribe(&mut self, id: String, payload: pipeline::RawRequest) -> Step {
        let Some(viewer) = self.viewer.clone() else {
            return Step::close(close::UNAUTHORIZED, "Unauthorized");
        };
        if !self.watch.still_valid(&viewer).await {
            return Step::close(close::FORBIDDEN, "Session ended");
        }
        if self.subscriptions.contains_key(&id) {
            return Step::close(
                close::DUPLICATE_ID,
                format!("Subscriber for {id} already exists"),
            );
        }
        let limits = &self.rules.limits;
        if self.subscriptions.len() >= limits.ws_max_subscriptions {
            let message = format!(
                "at most {} operations may run on one connection",
                limits.ws_max_subscriptions
            );
            return Step::Send(error_message(id, ErrorCode::BadRequest, &message));
        }
        let payload = match (self.resolve)(viewer.clone(), payload).await {
            Ok(payload) => payload,
            Err(refused) => return Step::Send(error_message(id, refused.code, &refused.message)),
        };
        let prepared = match pipeline::prepare(payload, &self.rules) {
            Ok(prepared) => prepared,
            Err(failure) => return Step::Send(error_message(id, failure.code, &failure.message)),
        };
        if prepared.operation != OperationType::Mutation
            && let Err(DomainError::Forbidden(why)) = policy::authorize_read(&viewer)
        {
            return Step::Send(error_message(
                id,
                ErrorCode::Forbidden,
                &format!("forbidden: {why}"),
            ));
        }
        self.generation += 1;
        let link = Link {
            protocol: self.protocol,
            id: id.clone(),
            generation: self.generation,
            outbox: self.outbox.clone(),
        };
        let task = self.start(prepared, viewer, link);
        self.subscriptions
            .insert(id, (self.generation, task.abort_handle()));
        Step::Continue
    }

    /// Starts serving an operation: a subscription joins the shared run of its key.
    fn start(
        &self,
        mut operation: Prepared,
        viewer: Actor,
        link: Link,
    ) -> tokio::task::JoinHandle<()> {
        let subject = auth::rate_subject(&viewer, self.client);
        let request_id = RequestId(format!("ws-{}", link.id));
        if operation.operation != OperationType::Subscription {
            let request = operation
                .request
                .data(viewer)
                .data(subject)
                .data(self.client_info.clone())
                .data(request_id)
                .data(FeedTokenMemo::default());
            let mut responses = self.shared.execute(request);
            if operation.operation == OperationType::Mutation {
                responses = after_writing(responses, self.content_version.clone());
            }
            return tokio::spawn(operation::alone(responses, link));
        }
        // The subscriber's own first run: the operation itself stays for the shared run.
        let first = operation
            .again()
            .data(viewer.clone())
            .data(subject)
            .data(request_id);
        let joining = Joining {
            key: ShareKey::new(&viewer, &operation.request),
            template: Template {
                operation,
                reader: viewer,
            },
            shared: self.shared.clone(),
        };
        tokio::spawn(operation::shared(joining, first, link))
    }

    fn stop_all(&mut self) {
        for (_, (_, task)) in self.subscriptions.drain() {
            task.abort();
        }
    }
}
