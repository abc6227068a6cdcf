//! Webhook delivery in the background: every instance runs one; each delivery is claimed
//! first, so none is sent twice at once. Apart from the mail worker, so a slow endpoint (an
//! attempt may take up to its time-out) never delays mail.

use std::time::Duration;

use khub_domain::webhook::Webhooks;
use khub_infra::db::in_background;
use tokio_util::sync::CancellationToken;

/// How often due deliveries are looked for: events reach endpoints within about this.
const EVERY: Duration = Duration::from_millis(500);

/// Sends due deliveries until `shutdown`.
pub(crate) fn start(webhooks: Webhooks, shutdown: CancellationToken) {
    tokio::spawn(in_background(async move {
        loop {
            let sent = match webhooks.deliver_due().await {
                Ok(sent) => sent,
                Err(error) => {
                    tracing::warn!(%error, "webhook deliveries wait for the next round");
                    0
                }
            };
            // A full round may have left more due: look again at once.
            let wait = if sent > 0 { Duration::ZERO } else { EVERY };
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(wait) => {}
            }
        }
    }));
}
