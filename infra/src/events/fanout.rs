//! Local fan-out of topic messages to subscribers of this process, with bounded buffers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::stream;
use khub_domain::ports::{BusDelivery, BusStream};
use tokio::sync::broadcast::{self, error::RecvError};

/// Messages buffered per topic before a slow subscriber starts skipping.
const BUFFER: usize = 256;

type Payload = Arc<[u8]>;

/// Topic → broadcast channel. A subscriber that falls more than [`BUFFER`] messages behind is
/// told how many it skipped; publishers never wait for it.
#[derive(Default, Clone)]
pub(crate) struct Fanout {
    topics: Arc<Mutex<HashMap<String, broadcast::Sender<Payload>>>>,
}

impl Fanout {
    /// Delivers to this process's subscribers of `topic`.
    pub(crate) fn deliver(&self, topic: &str, payload: &[u8]) {
        let Ok(mut topics) = self.topics.lock() else {
            return;
        };
        let orphaned = match topics.get(topic) {
            Some(sender) => sender.send(Arc::from(payload)).is_err(),
            None => false,
        };
        if orphaned {
            topics.remove(topic);
        }
    }

    /// How many subscriptions this process holds, across topics.
    pub(crate) fn subscribers(&self) -> usize {
        self.topics
            .lock()
            .map(|topics| topics.values().map(|s| s.receiver_count()).sum())
            .unwrap_or(0)
    }

    pub(crate) fn subscribe(&self, topic: &str) -> BusStream {
        let receiver = match self.topics.lock() {
            Ok(mut topics) => {
                topics.retain(|_, sender| sender.receiver_count() > 0);
                topics
                    .entry(topic.to_owned())
                    .or_insert_with(|| broadcast::channel(BUFFER).0)
                    .subscribe()
            }
            // A poisoned map means a panic elsewhere; an empty stream is the safe answer.
            Err(_) => broadcast::channel(1).1,
        };
        Box::pin(stream::unfold(receiver, |mut receiver| async move {
            let delivery = match receiver.recv().await {
                Ok(payload) => BusDelivery::Message(payload.to_vec()),
                Err(RecvError::Lagged(skipped)) => BusDelivery::Skipped(skipped),
                Err(RecvError::Closed) => return None,
            };
            Some((delivery, receiver))
        }))
    }
}
