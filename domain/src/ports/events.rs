use std::pin::Pin;

use async_trait::async_trait;
use futures_core::Stream;

use crate::error::DomainResult;
use crate::ports::HealthCheck;

/// What a subscriber receives from the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusDelivery {
    /// One published payload, in publication order.
    Message(Vec<u8>),
    /// The subscriber fell behind and this many messages were dropped for it; it may resync.
    Skipped(u64),
}

pub type BusStream = Pin<Box<dyn Stream<Item = BusDelivery> + Send>>;

/// A payload for the subscribers of each of its topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusMessage {
    pub topics: Vec<String>,
    pub payload: Vec<u8>,
}

/// Fans events out to every subscriber of a topic, on every server instance.
#[async_trait]
pub trait EventBus: HealthCheck {
    /// Publishes `payload` to every current subscriber of each of `topics`, in order, at once
    /// (one round trip to a shared bus); nobody listening is not an error.
    async fn publish(&self, topics: &[String], payload: &[u8]) -> DomainResult<()>;
    /// Publishes each of `messages` as [`EventBus::publish`] would, in order; a shared bus in
    /// one round trip, so a burst of events costs one wait rather than one each.
    async fn publish_all(&self, messages: &[BusMessage]) -> DomainResult<()> {
        for message in messages {
            self.publish(&message.topics, &message.payload).await?;
        }
        Ok(())
    }
    /// Subscribes to `topic`. A slow subscriber skips messages rather than slowing others.
    async fn subscribe(&self, topic: &str) -> DomainResult<BusStream>;
    /// How many subscriptions this process holds, for metrics.
    fn subscriber_count(&self) -> usize;
}
