//! Notifications as they happen: the notifier tells a person's live sessions, on every instance,
//! which event notified them, once the notification is written.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, Result, Subscription};
use futures_util::{Stream, StreamExt};
use khub_domain::access::Actor;
use khub_domain::events::{EventId, notifications_topic};
use khub_domain::notification::Notifications;
use khub_domain::person::PersonId;
use khub_domain::ports::BusDelivery;

use super::context::HubContext;
use super::error::ApiError;
use super::live_source::deliveries;
use super::loaders::{LoadError, shared};
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
        let person = Notifications::authorize_live(actor).map_err(ApiError)?;
        let pushes = deliveries(ctx, hub, &notifications_topic(person)).await?;
        let told = Arc::clone(ctx.data::<Arc<DataLoader<ToldLoader>>>()?);
        Ok(pushes.filter_map(move |push| {
            let told = told.clone();
            async move { told_of(&told, person, push).await }
        }))
    }
}

/// The notification a push names, if the viewer may still read it. A missed push needs no
/// notice: the notification is in the list when next read.
async fn told_of(
    told: &DataLoader<ToldLoader>,
    person: PersonId,
    push: BusDelivery,
) -> Option<Notification> {
    let BusDelivery::Message(payload) = push else {
        return None;
    };
    let event = std::str::from_utf8(&payload).ok()?.parse().ok()?;
    match told.load_one((person, EventId::from_uuid(event))).await {
        Ok(found) => found.map(Notification),
        Err(error) => {
            tracing::warn!(error = %error.0, "a live notification was withheld: it could not be read");
            None
        }
    }
}

/// The notification an event told a person of. A push names one event to everyone it told,
/// each listening on their own socket: their look-ups arrive together and are read as one.
pub struct ToldLoader(pub HubContext);

impl Loader<(PersonId, EventId)> for ToldLoader {
    type Value = khub_domain::notification::Notification;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(PersonId, EventId)],
    ) -> Result<HashMap<(PersonId, EventId), Self::Value>, LoadError> {
        let found = self.0.notifications().told_of(keys).await.map_err(shared)?;
        Ok(found.into_iter().collect())
    }
}
