//! Notification work in the background: checks saved searches for new matches and sends
//! notification mail. Every instance runs one; each search and each mail is claimed first, so
//! none is done twice.

use std::time::Duration;

use khub_domain::notification::Notifications;
use khub_infra::db::in_background;
use tokio_util::sync::CancellationToken;

/// How often due mail is looked for: mentions and replies reach inboxes within about this.
const EVERY: Duration = Duration::from_secs(1);

/// Sends due mail until `shutdown`.
pub(crate) fn start(notifications: Notifications, shutdown: CancellationToken) {
    tokio::spawn(in_background(async move {
        loop {
            if let Err(error) = notifications.tell_saved_search_matches().await {
                tracing::warn!(%error, "saved searches wait to be checked in the next round");
            }
            if let Err(error) = notifications.send_due_mail().await {
                tracing::warn!(%error, "notification mail waits for the next round");
            }
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(EVERY) => {}
            }
        }
    }));
}
