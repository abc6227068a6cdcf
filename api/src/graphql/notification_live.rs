//! Notifications as they happen: the relay tells a person's live sessions, on every instance,
//! which event notified them, once the notification is written.

use async_graphql::{Context, Result, Subscription};
use futures_util::{Stream, StreamExt};
use khub_domain::access::Actor;
use khub_domain::events::{EventId, notifications_topic};
use khub_domain::notification::Notifications;
use khub_domain::policy::{self, Action};
use khub_domain::ports::BusDelivery;

use super::context::HubContext;
use super::error::ApiError;
use super::live_source::deliveries;
use super::types::Notification;

#[derive(Default)]
pub struct NotificationSubscription;

#[Subscription]
/// The viewer's notifications.
impl NotificationSubscription {
    /// Each notification the viewer is given from now on, or a collapsed one given another
    /// event (its `count` grown), on whichever instance they are connected to. Signed in only.
    async fn notification_received(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Notification> + use<>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let person = policy::authorize(actor, Action::ReadNotifications).map_err(ApiError)?;
        let pushes = deliveries(ctx, hub, &notifications_topic(person.id)).await?;
        let (notifications, actor) = (hub.notifications().clone(), actor.clone());
        Ok(pushes.filter_map(move |push| {
            let (notifications, actor) = (notifications.clone(), actor.clone());
            async move { told(&notifications, &actor, push).await }
        }))
    }
}

/// The notification a push names, if the viewer may still read it. A missed push needs no
/// notice: the notification is in the list when next read.
async fn told(
    notifications: &Notifications,
    actor: &Actor,
    push: BusDelivery,
) -> Option<Notification> {
    let BusDelivery::Message(payload) = push else {
        return None;
    };
    let event = std::str::from_utf8(&payload).ok()?.parse().ok()?;
    match notifications
        .told_of(actor, EventId::from_uuid(event))
        .await
    {
        Ok(found) => found.map(Notification),
        Err(error) => {
            tracing::warn!(%error, "a live notification was withheld: it could not be read");
            None
        }
    }
}
