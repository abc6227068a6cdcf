//! Which statements a request caused and which the hub's own background work ran: the count of
//! a request's statements (the measure of N+1 queries) must not move with a relay's poll.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

tokio::task_local! {
    static BACKGROUND: ();
}

/// Runs `work` as background work: the statements it runs are counted apart from requests'.
/// Tasks it spawns are not marked; spawn them through this too.
pub async fn in_background<F: Future>(work: F) -> F::Output {
    BACKGROUND.scope((), work).await
}

/// Statements run since start, by origin.
#[derive(Clone, Default)]
pub(super) struct StatementCounts {
    requests: Arc<AtomicU64>,
    background: Arc<AtomicU64>,
}

impl StatementCounts {
    /// Counts one statement of the task it runs in.
    pub(super) fn count(&self) {
        let counter = if BACKGROUND.try_with(|()| ()).is_ok() {
            &self.background
        } else {
            &self.requests
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub(super) fn background(&self) -> u64 {
        self.background.load(Ordering::Relaxed)
    }
}
