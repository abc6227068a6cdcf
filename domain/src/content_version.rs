//! Which version of the hub's content is current. Every write moves the version on once it has
//! committed, so an answer computed after noting the version stays true for as long as the
//! version has not moved. The version lives in the shared session store: a write on one
//! instance is seen by every instance's next read.
//!
//! Two are kept: all content's (for answers kept for anonymous readers), and people's (for
//! the signed-in people kept between their requests), which moves only when someone's profile,
//! organisation or role changes.

use std::sync::Arc;
use std::time::Duration;

use crate::error::DomainResult;
use crate::ports::{Secrets, SessionStore};

const CONTENT: &str = "content-version";
const PEOPLE: &str = "people-version";
/// Long enough never to lapse in practice; if it does, readers see no version and cache
/// nothing until the next write.
const LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The current content version, and the way to move it on.
#[derive(Clone)]
pub struct ContentVersion {
    key: &'static str,
    store: Arc<dyn SessionStore>,
    secrets: Arc<dyn Secrets>,
}

impl ContentVersion {
    /// All content's version.
    pub fn new(store: Arc<dyn SessionStore>, secrets: Arc<dyn Secrets>) -> Self {
        Self {
            key: CONTENT,
            store,
            secrets,
        }
    }

    /// People's version: their profiles, organisations and roles.
    pub fn of_people(store: Arc<dyn SessionStore>, secrets: Arc<dyn Secrets>) -> Self {
        Self {
            key: PEOPLE,
            store,
            secrets,
        }
    }

    /// Where the store keeps it, for reading it with other keys in one round trip.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The current version; none when the store holds none (nothing may be cached then).
    pub async fn current(&self) -> DomainResult<Option<String>> {
        self.store.get(self.key).await
    }

    /// Declares that content has changed. A random value rather than a counter: a version
    /// never comes back, even when the store forgets it and starts again.
    pub async fn advance(&self) -> DomainResult<()> {
        self.store
            .put(self.key, &self.secrets.generate(), LIFETIME)
            .await
    }
}
