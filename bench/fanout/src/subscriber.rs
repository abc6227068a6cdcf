//! One graphql-transport-ws subscriber: connects, subscribes to a thread's events (anonymous)
//! or to its own notifications (signed in with an API token), and reports the arrival time of
//! every reply it hears of.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// What a subscriber saw: which reply arrived, and when.
pub struct Arrival {
    pub post_id: String,
    pub at: Instant,
}

/// Read buffer per socket. tungstenite's default (128 KiB) is zeroed before every read, ready or
/// not: with 10,000 sockets that took a fifth of the machine's CPU (bench/results, run 6), time
/// the hub under test then did not get. An event is a few hundred bytes.
const READ_BUFFER: usize = 4 * 1024;

const THREAD_EVENTS: &str = "subscription Fanout($thread: ID!) {
  threadEvents(threadId: $thread) { kind post { id body author { displayName } } }
}";

/// What a notification list shows: who did what, where, how often.
const NOTIFICATIONS: &str = "subscription Told {
  notificationReceived { id kind count actor { displayName } thread { title } post { id } }
}";

/// What one socket listens to.
pub enum Listen {
    /// A thread's live events, as an anonymous reader.
    Thread(String),
    /// The notifications of the person whose API token this is.
    Notifications(String),
}

impl Listen {
    fn init(&self) -> Value {
        match self {
            Self::Thread(_) => json!({}),
            Self::Notifications(token) => json!({ "authorization": format!("Bearer {token}") }),
        }
    }

    fn subscribe(&self) -> Value {
        match self {
            Self::Thread(thread) => {
                json!({ "query": THREAD_EVENTS, "variables": { "thread": thread } })
            }
            Self::Notifications(_) => json!({ "query": NOTIFICATIONS }),
        }
    }
}

/// The reply a `next` message tells of, for either subscription.
fn reply_of(message: &Value) -> Option<&str> {
    let data = &message["payload"]["data"];
    data["threadEvents"]["post"]["id"]
        .as_str()
        .or_else(|| data["notificationReceived"]["post"]["id"].as_str())
}

/// A subscribed socket, before it starts listening.
pub struct Subscriber {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Subscriber {
    /// Connects, completes the handshake and sends the subscription.
    pub async fn connect(url: &str, listen: &Listen) -> Result<Self> {
        let mut request = url.into_client_request()?;
        request
            .headers_mut()
            .insert("sec-websocket-protocol", "graphql-transport-ws".parse()?);
        let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
        let (mut socket, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), false)
                .await
                .context("websocket upgrade")?;
        send(
            &mut socket,
            json!({ "type": "connection_init", "payload": listen.init() }),
        )
        .await?;
        match socket.next().await {
            Some(Ok(Message::Text(text))) if text.contains("connection_ack") => {}
            other => bail!("expected connection_ack, got {other:?}"),
        }
        let subscribe = json!({
            "id": "1",
            "type": "subscribe",
            "payload": listen.subscribe(),
        });
        send(&mut socket, subscribe).await?;
        Ok(Self { socket })
    }

    /// Reads until the socket closes, reporting each reply event's arrival. Pings are answered
    /// by tungstenite as frames are read.
    pub async fn listen(mut self, arrivals: mpsc::UnboundedSender<Arrival>) -> Result<()> {
        while let Some(frame) = self.socket.next().await {
            let Message::Text(text) = frame? else {
                continue;
            };
            let at = Instant::now();
            let message: Value = serde_json::from_str(text.as_str())?;
            match message["type"].as_str() {
                Some("next") => {
                    if let Some(id) = reply_of(&message) {
                        let post_id = id.to_owned();
                        if arrivals.send(Arrival { post_id, at }).is_err() {
                            break;
                        }
                    }
                }
                Some("ping") => send(&mut self.socket, json!({ "type": "pong" })).await?,
                Some("error") | Some("complete") => bail!("subscription ended: {text}"),
                _ => {}
            }
        }
        Ok(())
    }
}

async fn send<S>(socket: &mut S, message: Value) -> Result<()>
where
    S: SinkExt<Message> + Unpin,
    S::Error: std::error::Error + Send + Sync + 'static,
{
    socket
        .send(Message::Text(message.to_string().into()))
        .await?;
    Ok(())
}
