//! Writes API tokens' counted use out every few seconds, and once more at shutdown.

use std::sync::Arc;
use std::time::Duration;

use khub_domain::ports::ApiTokenRepository;
use khub_domain::token_usage::UsageMeter;
use khub_infra::db::in_background;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How often counted use is written: a token's page of use is this far behind at most.
const EVERY: Duration = Duration::from_secs(2);

/// Flushes `meter` into `store` until `shutdown`, then a last time; await the handle before
/// closing the database.
pub(crate) fn start(
    meter: Arc<UsageMeter>,
    store: Arc<dyn ApiTokenRepository>,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(in_background(async move {
        loop {
            let stopping = tokio::select! {
                () = shutdown.cancelled() => true,
                () = tokio::time::sleep(EVERY) => false,
            };
            if let Err(error) = meter.flush(store.as_ref()).await {
                tracing::warn!(%error, "API token use waits for the next flush");
            }
            if stopping {
                return;
            }
        }
    }))
}
