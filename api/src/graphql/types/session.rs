//! A person's signed-in sessions, as they see them.

use async_graphql::{ID, Object};
use chrono::{DateTime, Utc};
use khub_domain::identity::SessionSummary;

/// One of the viewer's sessions.
pub struct Session(pub SessionSummary);

/// A place the person is signed in: a browser, an app. Ending it (`endSession`) signs that
/// place out at once and closes its websockets.
#[Object]
impl Session {
    /// The session's id, for `endSession`.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    /// When it signed in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was last used (to within five minutes).
    async fn last_seen_at(&self) -> DateTime<Utc> {
        self.0.last_seen_at
    }

    /// The `User-Agent` it signed in with, e.g. a browser's.
    async fn client(&self) -> Option<&str> {
        self.0.client.as_deref()
    }

    /// The network address it signed in from.
    async fn address(&self) -> Option<&str> {
        self.0.address.as_deref()
    }

    /// Whether this is the session making the request.
    async fn current(&self) -> bool {
        self.0.current
    }
}
