//! How one operation of a connection is served: run for its subscriber alone (queries,
//! mutations, and subscriptions that fail to start), or as a member of a shared run.

use std::pin::Pin;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::sync::mpsc;

use super::protocol::{Protocol, ServerMessage};
use super::shared::{Member, Received, Rendered, ShareKey, SharedOperations, Template};
use crate::graphql::live_source::LiveSource;
use crate::http::respond;

/// What operation tasks send back to their connection.
pub enum Outgoing {
    Frame(String),
    /// The operation `id` (of `generation`) has finished.
    Finished(String, u64),
}

/// One operation's way back to its connection.
pub struct Link {
    pub protocol: Protocol,
    pub id: String,
    pub generation: u64,
    pub outbox: mpsc::Sender<Outgoing>,
}

impl Link {
    /// Sends one message; `false` once the connection is gone.
    async fn send(&self, message: ServerMessage) -> bool {
        let frame = self.protocol.encode(message);
        self.outbox.send(Outgoing::Frame(frame)).await.is_ok()
    }

    fn next(&self, payload: impl Into<Arc<str>>) -> ServerMessage {
        ServerMessage::Next {
            id: self.id.clone(),
            payload: payload.into(),
        }
    }

    fn error(&self, errors: Vec<serde_json::Value>) -> ServerMessage {
        ServerMessage::Error {
            id: self.id.clone(),
            errors,
        }
    }

    /// Ends the operation: `complete` unless it failed, then frees its id.
    async fn finish(self, completed: bool) {
        if completed {
            let _ = self
                .send(ServerMessage::Complete {
                    id: self.id.clone(),
                })
                .await;
        }
        let _ = self
            .outbox
            .send(Outgoing::Finished(self.id, self.generation))
            .await;
    }
}

/// Runs an operation for its subscriber alone and forwards each result; `complete` follows
/// unless it failed validation.
pub async fn alone(mut responses: BoxStream<'static, async_graphql::Response>, link: Link) {
    while let Some(response) = responses.next().await {
        let message = match respond::body_of(response, &link.id) {
            respond::Body::Data(payload) => link.next(payload.to_string()),
            respond::Body::RequestErrors(errors) => {
                let _ = link.send(link.error(errors)).await;
                return link.finish(false).await;
            }
        };
        if !link.send(message).await {
            return;
        }
    }
    link.finish(true).await;
}

/// A subscription about to join the shared run of its key.
pub struct Joining {
    pub key: ShareKey,
    pub template: Template,
    pub shared: Arc<SharedOperations>,
}

/// Serves a subscription from a shared run. It is first run on its own without listening,
/// which checks the subscriber's access and charges its budget exactly as a private run would;
/// anything that run says (an error) goes to the subscriber alone. `first` carries the
/// subscriber's own budget and request id.
pub async fn shared(joining: Joining, first: async_graphql::Request, link: Link) {
    // Boxed: the subscriber's request is large and only needed until it joins, while the
    // task that waits for events lives as long as the subscription (bench/results: memory).
    let mut member = match Box::pin(check_and_join(joining, first)).await {
        Ok(member) => member,
        Err(refused) => return alone(refused, link).await,
    };
    while let Some(received) = member.next().await {
        let delivered = match received {
            Received::Rendered(Rendered::Next(payload)) => link.send(link.next(payload)).await,
            Received::Rendered(Rendered::Failed(errors)) => {
                let _ = link.send(link.error(errors.to_vec())).await;
                return link.finish(false).await;
            }
            Received::Missed(missed) => forward(member.notice(missed), &link).await,
        };
        if !delivered {
            return;
        }
    }
    link.finish(true).await;
}

/// Joins the shared run once the subscriber's own check passes, or returns what the check said.
async fn check_and_join(
    joining: Joining,
    first: async_graphql::Request,
) -> Result<Member, BoxStream<'static, async_graphql::Response>> {
    let probe = first.data(LiveSource::Replay(Vec::new()));
    let mut refused = joining.shared.execute(probe).peekable();
    if Pin::new(&mut refused).peek().await.is_some() {
        return Err(refused.boxed());
    }
    Ok(joining.shared.join(joining.key, joining.template))
}

/// Sends each result with data; `false` once the connection is gone.
async fn forward(mut responses: BoxStream<'static, async_graphql::Response>, link: &Link) -> bool {
    while let Some(response) = responses.next().await {
        if let respond::Body::Data(payload) = respond::body_of(response, &link.id)
            && !link.send(link.next(payload.to_string())).await
        {
            return false;
        }
    }
    true
}
