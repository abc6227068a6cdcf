//! A websocket client for tests, speaking either GraphQL subprotocol.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The subprotocol to ask for.
#[derive(Debug, Clone, Copy)]
pub enum WsProtocol {
    TransportWs,
    Legacy,
}

impl WsProtocol {
    fn header(self) -> &'static str {
        match self {
            Self::TransportWs => "graphql-transport-ws",
            Self::Legacy => "graphql-ws",
        }
    }
}

/// One client connection.
pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    pub accepted_protocol: Option<String>,
}

/// How long a test waits for a frame before failing.
const WAIT: Duration = Duration::from_secs(5);

impl WsClient {
    pub async fn connect(url: &str, protocol: WsProtocol) -> Self {
        let mut request = url.into_client_request().expect("websocket URL");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            protocol.header().parse().expect("header value"),
        );
        let (socket, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("websocket upgrade");
        let accepted_protocol = response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Self {
            socket,
            accepted_protocol,
        }
    }

    pub async fn send(&mut self, message: Value) {
        self.send_text(&message.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.socket
            .send(Message::Text(text.into()))
            .await
            .expect("frame sent");
    }

    /// The next text frame as JSON; fails on a close or a timeout.
    pub async fn next_json(&mut self) -> Value {
        match self.next_frame().await {
            Some(Message::Text(text)) => serde_json::from_str(text.as_str()).expect("JSON frame"),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    /// The next text frame as JSON, or `None` if none arrives within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            match tokio::time::timeout(wait, self.socket.next()).await {
                Ok(Some(Ok(Message::Text(text)))) => {
                    return Some(serde_json::from_str(text.as_str()).expect("JSON frame"));
                }
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                Ok(other) => panic!("expected a text frame, got {other:?}"),
                Err(_) => return None,
            }
        }
    }

    /// Waits for the server to close, skipping other frames; returns the close code and reason.
    pub async fn closed(&mut self) -> (u16, String) {
        loop {
            match self.next_frame().await {
                Some(Message::Close(Some(frame))) => {
                    return (frame.code.into(), frame.reason.to_string());
                }
                Some(Message::Close(None)) | None => return (1005, String::new()),
                Some(_) => continue,
            }
        }
    }

    async fn next_frame(&mut self) -> Option<Message> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .expect("the server answers in time");
            match frame {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(message)) => return Some(message),
                Some(Err(_)) | None => return None,
            }
        }
    }
}
