//! Websockets follow their credential. A socket opened with a session or an API token is
//! closed with 4403 as soon as that credential ends anywhere: ended sessions and revoked tokens
//! are announced on the event bus (pushed to every instance), each operation checks the
//! credential first (in case an announcement was lost), and an API token's expiry is a timer.
//! The access token a socket opened with may expire meanwhile: the session is what it follows.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use khub_domain::access::{Actor, Credential};
use khub_domain::identity::{ENDED_CREDENTIALS_TOPIC, EndedCredential, Identity};
use khub_domain::ports::{BusDelivery, EventBus};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// Announcements queued per socket; one that falls further behind rechecks its credential.
const BACKLOG: usize = 256;

/// What a socket hears about credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// This credential has ended.
    Ended(EndedCredential),
    /// Announcements may have been missed: every socket checks its own credential.
    Recheck,
}

/// Relays ended credentials from the bus to this instance's sockets.
#[derive(Clone)]
pub struct CredentialWatch {
    identity: Option<Identity>,
    signals: broadcast::Sender<Signal>,
}

impl CredentialWatch {
    /// Listens on the bus until `shutdown`.
    pub async fn start(
        identity: Identity,
        bus: Arc<dyn EventBus>,
        shutdown: CancellationToken,
    ) -> anyhow::Result<Self> {
        let (signals, _) = broadcast::channel(BACKLOG);
        let mut deliveries = bus
            .subscribe(ENDED_CREDENTIALS_TOPIC)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen for ended sessions: {e}"))?;
        let relay = signals.clone();
        tokio::spawn(async move {
            loop {
                let delivery = tokio::select! {
                    () = shutdown.cancelled() => return,
                    delivery = deliveries.next() => delivery,
                };
                let signal = match delivery {
                    Some(BusDelivery::Message(bytes)) => {
                        match EndedCredential::from_bytes(&bytes) {
                            Some(ended) => Signal::Ended(ended),
                            None => continue,
                        }
                    }
                    Some(BusDelivery::Skipped(_)) => Signal::Recheck,
                    None => return,
                };
                // Nobody listening is fine.
                let _ = relay.send(signal);
            }
        });
        Ok(Self {
            identity: Some(identity),
            signals,
        })
    }

    /// A watch that hears nothing and believes every credential (for sockets in unit tests).
    #[cfg(test)]
    pub fn detached() -> Self {
        Self {
            identity: None,
            signals: broadcast::channel(1).0,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.signals.subscribe()
    }

    /// Whether `viewer`'s credential still works. A store that cannot answer is logged and
    /// believed: the operation that follows meets the same outage and fails on its own.
    pub async fn still_valid(&self, viewer: &Actor) -> bool {
        let Some(identity) = &self.identity else {
            return true;
        };
        match identity.still_valid(viewer).await {
            Ok(valid) => valid,
            Err(error) => {
                tracing::warn!(%error, "cannot check a websocket's credential");
                true
            }
        }
    }

    /// How long `viewer`'s API token has left, if it was given an end.
    pub fn time_left(&self, viewer: &Actor) -> Option<Duration> {
        let Actor::Person {
            credential:
                Credential::ApiToken {
                    expires_at: Some(expires_at),
                    ..
                },
            ..
        } = viewer
        else {
            return None;
        };
        let now = self.identity.as_ref()?.now();
        Some((*expires_at - now).to_std().unwrap_or(Duration::ZERO))
    }
}

/// The next signal, or never when the socket follows no credential.
pub async fn next_signal(
    signals: &mut Option<broadcast::Receiver<Signal>>,
) -> Result<Signal, broadcast::error::RecvError> {
    match signals {
        Some(signals) => signals.recv().await,
        None => std::future::pending().await,
    }
}

/// Sleeps until `deadline`, or forever without one.
pub async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}
