//! The Redis event bus: every instance publishes to Redis and listens to one pattern
//! subscription, which it fans out locally. The listener reconnects after Redis restarts.

use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use khub_domain::DomainResult;
use khub_domain::ports::{BusMessage, BusStream, EventBus, HealthCheck};
use redis::aio::{ConnectionManager, PubSub};
use tokio_util::sync::CancellationToken;

use super::fanout::Fanout;
use crate::error::ResultExt;

/// An [`EventBus`] over Redis pub/sub.
pub struct RedisBus {
    publisher: ConnectionManager,
    channel_prefix: String,
    fanout: Fanout,
    stop: CancellationToken,
}

impl RedisBus {
    /// Subscribes before returning, so nothing published after start-up is missed, then keeps
    /// listening (reconnecting as needed) until the bus is dropped.
    pub async fn start(
        client: redis::Client,
        publisher: ConnectionManager,
        prefix: &str,
    ) -> anyhow::Result<Self> {
        let channel_prefix = format!("{prefix}events:");
        let first = subscribe_all(&client, &channel_prefix)
            .await
            .map_err(|e| anyhow::anyhow!("cannot subscribe to Redis events: {e}"))?;
        let fanout = Fanout::default();
        let stop = CancellationToken::new();
        tokio::spawn(listen(
            client,
            first,
            channel_prefix.clone(),
            fanout.clone(),
            stop.clone(),
        ));
        Ok(Self {
            publisher,
            channel_prefix,
            fanout,
            stop,
        })
    }
}

impl Drop for RedisBus {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn subscribe_all(client: &redis::Client, prefix: &str) -> redis::RedisResult<PubSub> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.psubscribe(format!("{prefix}*")).await?;
    Ok(pubsub)
}

async fn listen(
    client: redis::Client,
    first: PubSub,
    prefix: String,
    fanout: Fanout,
    stop: CancellationToken,
) {
    let mut connected = Some(first);
    let mut backoff = Duration::from_millis(50);
    loop {
        let attempt = async {
            let pubsub = match connected.take() {
                Some(pubsub) => pubsub,
                None => subscribe_all(&client, &prefix).await?,
            };
            relay(pubsub, &prefix, &fanout).await
        };
        tokio::select! {
            () = stop.cancelled() => return,
            outcome = attempt => match outcome {
                Ok(()) => {
                    backoff = Duration::from_millis(50);
                    tracing::warn!("event bus lost Redis; reconnecting");
                }
                Err(error) => tracing::warn!(%error, "event bus cannot reach Redis; retrying"),
            },
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(backoff) => backoff = (backoff * 2).min(Duration::from_secs(2)),
        }
    }
}

/// Relays messages until the connection drops.
async fn relay(mut pubsub: PubSub, prefix: &str, fanout: &Fanout) -> redis::RedisResult<()> {
    let mut messages = pubsub.on_message();
    while let Some(message) = messages.next().await {
        if let Some(topic) = message.get_channel_name().strip_prefix(prefix) {
            fanout.deliver(topic, message.get_payload_bytes());
        }
    }
    Ok(())
}

#[async_trait]
impl HealthCheck for RedisBus {
    fn component(&self) -> &'static str {
        "events"
    }

    async fn ping(&self) -> DomainResult<()> {
        crate::redis_health::ping(&self.publisher).await
    }
}

impl RedisBus {
    fn add_publishes(&self, pipeline: &mut redis::Pipeline, topics: &[String], payload: &[u8]) {
        for topic in topics {
            pipeline
                .cmd("PUBLISH")
                .arg(format!("{}{topic}", self.channel_prefix))
                .arg(payload)
                .ignore();
        }
    }

    async fn send(&self, pipeline: redis::Pipeline) -> DomainResult<()> {
        let mut conn = self.publisher.clone();
        pipeline
            .query_async::<()>(&mut conn)
            .await
            .context("redis PUBLISH")
    }
}

#[async_trait]
impl EventBus for RedisBus {
    async fn publish(&self, topics: &[String], payload: &[u8]) -> DomainResult<()> {
        let mut pipeline = redis::pipe();
        self.add_publishes(&mut pipeline, topics, payload);
        self.send(pipeline).await
    }

    async fn publish_all(&self, messages: &[BusMessage]) -> DomainResult<()> {
        if messages.is_empty() {
            return Ok(());
        }
        let mut pipeline = redis::pipe();
        for message in messages {
            self.add_publishes(&mut pipeline, &message.topics, &message.payload);
        }
        self.send(pipeline).await
    }

    fn subscriber_count(&self) -> usize {
        self.fanout.subscribers()
    }

    async fn subscribe(&self, topic: &str) -> DomainResult<BusStream> {
        Ok(self.fanout.subscribe(topic))
    }
}
