//! The in-process event bus: right for a single instance.

use async_trait::async_trait;
use khub_domain::DomainResult;
use khub_domain::ports::{BusStream, EventBus, HealthCheck};

use super::fanout::Fanout;

/// An [`EventBus`] that only reaches subscribers in this process.
#[derive(Default, Clone)]
pub struct MemoryBus {
    fanout: Fanout,
}

impl MemoryBus {
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl HealthCheck for MemoryBus {
    fn component(&self) -> &'static str {
        "events"
    }

    async fn ping(&self) -> DomainResult<()> {
        Ok(())
    }
}

#[async_trait]
impl EventBus for MemoryBus {
    async fn publish(&self, topics: &[String], payload: &[u8]) -> DomainResult<()> {
        for topic in topics {
            self.fanout.deliver(topic, payload);
        }
        Ok(())
    }

    fn subscriber_count(&self) -> usize {
        self.fanout.subscribers()
    }

    async fn subscribe(&self, topic: &str) -> DomainResult<BusStream> {
        Ok(self.fanout.subscribe(topic))
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use khub_domain::ports::BusDelivery;

    use super::*;

    #[tokio::test]
    async fn a_subscriber_receives_what_is_published_on_its_topic_only() {
        let bus = MemoryBus::new();
        let mut mine = bus.subscribe("a").await.expect("subscribe");
        bus.publish(&["b".to_owned()], b"other")
            .await
            .expect("publish");
        bus.publish(&["a".to_owned()], b"mine")
            .await
            .expect("publish");
        assert_eq!(
            mine.next().await,
            Some(BusDelivery::Message(b"mine".to_vec()))
        );
    }

    #[tokio::test]
    async fn a_slow_subscriber_is_told_what_it_skipped_and_never_blocks_the_publisher() {
        let bus = MemoryBus::new();
        let mut slow = bus.subscribe("t").await.expect("subscribe");
        for i in 0..300u32 {
            bus.publish(&["t".to_owned()], &i.to_be_bytes())
                .await
                .expect("publish");
        }
        assert_eq!(slow.next().await, Some(BusDelivery::Skipped(44)));
        assert_eq!(
            slow.next().await,
            Some(BusDelivery::Message(44u32.to_be_bytes().to_vec()))
        );
    }
}
