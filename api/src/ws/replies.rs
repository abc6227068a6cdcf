//! Small pieces of a connection's work: reading credentials from `connection_init`, error
//! messages for operations refused before they run, and holding a mutation's answer until the
//! content version has moved past its writes.

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use khub_domain::content_version::ContentVersion;
use serde_json::{Value, json};

use super::protocol::ServerMessage;
use crate::graphql::error::ErrorCode;
use crate::http::read_cache::Writing;

pub(super) fn authorization_of(payload: &Value) -> Option<String> {
    ["authorization", "Authorization"]
        .iter()
        .find_map(|key| payload.get(key))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

pub(super) fn error_message(id: String, code: ErrorCode, message: &str) -> ServerMessage {
    let errors = vec![json!({ "message": message, "extensions": { "code": code.as_str() } })];
    ServerMessage::Error { id, errors }
}

/// A mutation's responses, let out only once the content version has moved on past its
/// writes, so that its author never reads an anonymous answer from before them.
pub(super) fn after_writing(
    responses: BoxStream<'static, async_graphql::Response>,
    version: ContentVersion,
) -> BoxStream<'static, async_graphql::Response> {
    let mut writing = Some(Writing::start(&version));
    responses
        .then(move |response| {
            let writing = writing.take();
            async move {
                if let Some(writing) = writing {
                    writing.done().await;
                }
                response
            }
        })
        .boxed()
}
