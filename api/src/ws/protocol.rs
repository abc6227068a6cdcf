//! The two websocket subprotocols' message formats.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::graphql::pipeline::RawRequest;

/// The subprotocol a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `graphql-transport-ws`, from the graphql-ws library.
    TransportWs,
    /// `graphql-ws`, from the older subscriptions-transport-ws library.
    Legacy,
}

/// A message from the client, whichever subprotocol carried it.
#[derive(Debug)]
pub enum ClientMessage {
    Init(Option<Value>),
    Ping(Option<Value>),
    Pong,
    Subscribe { id: String, payload: RawRequest },
    Complete { id: String },
    Terminate,
}

/// A message to the client.
pub enum ServerMessage {
    Ack,
    Ping,
    Pong(Option<Value>),
    /// `payload` is a result's JSON, rendered once however many subscribers receive it.
    Next {
        id: String,
        payload: Arc<str>,
    },
    Error {
        id: String,
        errors: Vec<Value>,
    },
    Complete {
        id: String,
    },
    /// Legacy only: the connection was refused.
    ConnectionError(String),
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    payload: Option<Value>,
}

impl Protocol {
    pub const TRANSPORT_WS: &'static str = "graphql-transport-ws";
    pub const LEGACY: &'static str = "graphql-ws";

    pub fn from_header(name: &str) -> Self {
        if name == Self::LEGACY {
            Self::Legacy
        } else {
            Self::TransportWs
        }
    }

    /// Parses one text frame; `Err` says why it is not a valid message.
    pub fn decode(self, text: &str) -> Result<ClientMessage, String> {
        let envelope: Envelope =
            serde_json::from_str(text).map_err(|_| "Invalid message received".to_owned())?;
        let id = || {
            envelope
                .id
                .clone()
                .filter(|id| !id.is_empty())
                .ok_or_else(|| format!("`{}` requires an id", envelope.kind))
        };
        match (self, envelope.kind.as_str()) {
            (_, "connection_init") => Ok(ClientMessage::Init(envelope.payload.clone())),
            (Self::TransportWs, "ping") => Ok(ClientMessage::Ping(envelope.payload.clone())),
            (Self::TransportWs, "pong") => Ok(ClientMessage::Pong),
            (Self::TransportWs, "subscribe") | (Self::Legacy, "start") => {
                let payload = envelope
                    .payload
                    .clone()
                    .ok_or("`subscribe` requires a payload")?;
                let payload: RawRequest = serde_json::from_value(payload)
                    .map_err(|e| format!("Invalid subscribe payload: {e}"))?;
                Ok(ClientMessage::Subscribe { id: id()?, payload })
            }
            (Self::TransportWs, "complete") | (Self::Legacy, "stop") => {
                Ok(ClientMessage::Complete { id: id()? })
            }
            (Self::Legacy, "connection_terminate") => Ok(ClientMessage::Terminate),
            (_, other) => Err(format!("Unknown message type `{other}`")),
        }
    }

    /// Serialises a message in this subprotocol's words.
    pub fn encode(self, message: ServerMessage) -> String {
        let value = match (self, message) {
            (_, ServerMessage::Ack) => json!({ "type": "connection_ack" }),
            (Self::TransportWs, ServerMessage::Ping) => json!({ "type": "ping" }),
            (Self::Legacy, ServerMessage::Ping) => json!({ "type": "ka" }),
            (_, ServerMessage::Pong(Some(payload))) => {
                json!({ "type": "pong", "payload": payload })
            }
            (_, ServerMessage::Pong(None)) => json!({ "type": "pong" }),
            (Self::TransportWs, ServerMessage::Next { id, payload }) => {
                return with_payload("next", id, &payload);
            }
            (Self::Legacy, ServerMessage::Next { id, payload }) => {
                return with_payload("data", id, &payload);
            }
            (Self::TransportWs, ServerMessage::Error { id, errors }) => {
                json!({ "type": "error", "id": id, "payload": errors })
            }
            // The legacy protocol carries a single error object.
            (Self::Legacy, ServerMessage::Error { id, errors }) => {
                let first = errors.into_iter().next().unwrap_or(Value::Null);
                json!({ "type": "error", "id": id, "payload": first })
            }
            (_, ServerMessage::Complete { id }) => json!({ "type": "complete", "id": id }),
            (_, ServerMessage::ConnectionError(message)) => {
                json!({ "type": "connection_error", "payload": { "message": message } })
            }
        };
        value.to_string()
    }
}

/// A message around an already rendered payload, in the key order of the others.
fn with_payload(kind: &str, id: String, payload: &str) -> String {
    format!(
        r#"{{"type":"{kind}","id":{},"payload":{payload}}}"#,
        Value::String(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscribe_message_carries_its_request() {
        let text = r#"{"type":"subscribe","id":"1","payload":{"query":"{ a }"}}"#;
        match Protocol::TransportWs.decode(text) {
            Ok(ClientMessage::Subscribe { id, payload }) => {
                assert_eq!(id, "1");
                assert_eq!(payload.query.as_deref(), Some("{ a }"));
            }
            _ => panic!("expected a subscribe message"),
        }
    }

    #[test]
    fn legacy_words_are_not_valid_in_the_current_protocol() {
        let start = r#"{"type":"start","id":"1","payload":{"query":"{ a }"}}"#;
        assert!(Protocol::TransportWs.decode(start).is_err());
        assert!(matches!(
            Protocol::Legacy.decode(start),
            Ok(ClientMessage::Subscribe { .. })
        ));
    }

    #[test]
    fn a_subscribe_without_an_id_or_payload_is_invalid() {
        assert!(
            Protocol::TransportWs
                .decode(r#"{"type":"subscribe","payload":{"query":"{a}"}}"#)
                .is_err()
        );
        assert!(
            Protocol::TransportWs
                .decode(r#"{"type":"subscribe","id":"1"}"#)
                .is_err()
        );
        assert!(Protocol::TransportWs.decode("not json").is_err());
    }
}
