//! Which version of the hub's content is current. Every write moves the version on once it has
//! committed, so an answer computed after noting the version stays true for as long as the
//! version has not moved. The version lives in the shared session store: a write on one
//! instance is seen by every instance's next read.

use std::sync::Arc;
use std::time::Duration;

use crate::error::DomainResult;
use crate::ports::{Secrets, SessionStore};

const KEY: &str = "content-version";
/// Long enough never to lapse in practice; if it does, readers see no version and cache
/// nothing until the next write.
const LIFETIME: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The current content version, and the way to move it on.
#[derive(Clone)]
pub struct ContentVersion {
    store: Arc<dyn SessionStore>,
    secrets: Arc<dyn Secrets>,
}

impl ContentVersion {
    pub fn new(store: Arc<dyn SessionStore>, secrets: Arc<dyn Secrets>) -> Self {
        Self { store, secrets }
    }

    /// The current version; none when the store holds none (nothing may be cached then).
    pub async fn current(&self) -> DomainResult<Option<String>> {
        self.store.get(KEY).await
    }

    /// Declares that content has changed. A random value rather than a counter: a version
    /// never comes back, even when the store forgets it and starts again.
    pub async fn advance(&self) -> DomainResult<()> {
        self.store
            .put(KEY, &self.secrets.generate(), LIFETIME)
            .await
    }
}
