//! Where a live subscription's deliveries come from: the event bus, or a replay.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use async_graphql::{Context, Result};
use khub_domain::ports::{BusDelivery, BusStream};

use super::context::HubContext;
use super::error::ApiError;

/// Where a subscription's deliveries come from. Without one in the request: the event bus.
#[derive(Clone)]
pub enum LiveSource {
    /// The event bus; `subscribed` is set once the subscription is registered there.
    Bus { subscribed: Arc<AtomicBool> },
    /// These deliveries only: an operation run to check the reader's access without listening
    /// (none), or to tell one subscriber how many events it missed.
    Replay(Vec<BusDelivery>),
}

/// The deliveries of `topic` for this subscription.
pub(crate) async fn deliveries(
    ctx: &Context<'_>,
    hub: &HubContext,
    topic: &str,
) -> Result<BusStream> {
    let source = ctx.data_opt::<LiveSource>();
    if let Some(LiveSource::Replay(deliveries)) = source {
        return Ok(Box::pin(futures_util::stream::iter(deliveries.clone())));
    }
    let deliveries = hub.event_bus().subscribe(topic).await.map_err(ApiError)?;
    if let Some(LiveSource::Bus { subscribed }) = source {
        subscribed.store(true, Ordering::Release);
    }
    Ok(deliveries)
}
