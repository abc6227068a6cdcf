//! Creating, changing, deleting webhooks, rotating their secrets and redelivering.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::organisation::OrganisationId;
use khub_domain::webhook::{
    DeliveryId, EventSelection, IssuedWebhook, WebhookChange, WebhookId, WebhookSpec, WebhookUrl,
};
use khub_domain::{DomainError, DomainResult, FieldError};

use crate::graphql::context::HubContext;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{Webhook, WebhookDelivery, WebhookEventType};

/// A webhook to create.
#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// Where deliveries are POSTed: https (plain http only outside production), and not an
    /// address of a private network unless the hub's allow-list names it.
    pub url: String,
    /// The events it is told of (at least one).
    pub events: Vec<WebhookEventType>,
    /// Only events in this community (one its owner may read).
    pub community_id: Option<ID>,
    /// Create it on behalf of this organisation (its administrators only): deliveries then read
    /// as the organisation's service identity.
    pub organisation_id: Option<ID>,
}

/// What to change in a webhook; omitted fields stay as they are.
#[derive(InputObject)]
pub struct UpdateWebhookInput {
    /// The webhook.
    pub webhook_id: ID,
    /// A new target address.
    pub url: Option<String>,
    /// The events it is told of from now on (replacing the list).
    pub events: Option<Vec<WebhookEventType>>,
    /// Only events in this community; null for events anywhere its owner may read.
    pub community_id: MaybeUndefined<ID>,
    /// False stops deliveries; true starts them again (after a disabling too).
    pub enabled: Option<bool>,
}

/// The webhook to delete.
#[derive(InputObject)]
pub struct DeleteWebhookInput {
    /// The webhook.
    pub webhook_id: ID,
}

/// The webhook whose secret to replace.
#[derive(InputObject)]
pub struct RotateWebhookSecretInput {
    /// The webhook.
    pub webhook_id: ID,
}

/// The delivery to send again.
#[derive(InputObject)]
pub struct RedeliverWebhookInput {
    /// A delivery from the webhook's `deliveries`.
    pub delivery_id: ID,
}

/// A webhook and its new signing secret.
#[derive(SimpleObject)]
pub struct WebhookSecretPayload {
    /// The webhook.
    pub webhook: Option<Webhook>,
    /// The secret deliveries are signed with (`whsec_…`, as Standard Webhooks libraries take
    /// it): shown this once and never again.
    pub secret: Option<String>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The webhook as it now stands (or stood, once deleted).
#[derive(SimpleObject)]
pub struct WebhookPayload {
    /// The webhook.
    pub webhook: Option<Webhook>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The new delivery.
#[derive(SimpleObject)]
pub struct RedeliverWebhookPayload {
    /// The delivery queued: the same event and message id, sent again.
    pub delivery: Option<WebhookDelivery>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Creates a webhook for the viewer (or their organisation). Needs a signed-in session.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook to create; each of its fields is described on its type.")]
        input: CreateWebhookInput,
    ) -> Result<WebhookSecretPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match create_request(&input) {
            Ok((organisation, spec)) => hub.webhooks().create(actor, organisation, spec).await,
            Err(invalid) => Err(invalid),
        };
        secret_payload(result)
    }

    /// Changes a webhook the viewer manages.
    async fn update_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to change; each of its fields is described on its type.")]
        input: UpdateWebhookInput,
    ) -> Result<WebhookPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match change_request(&input) {
            Ok((id, change)) => hub.webhooks().update(actor, id, change).await,
            Err(invalid) => Err(invalid),
        };
        let (webhook, user_errors) = Outcome::of(result)?.split();
        Ok(WebhookPayload {
            webhook: webhook.map(Webhook),
            user_errors,
        })
    }

    /// Deletes a webhook the viewer manages, with its delivery log.
    async fn delete_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook to delete.")] input: DeleteWebhookInput,
    ) -> Result<WebhookPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match webhook_id(&input.webhook_id) {
            Ok(id) => hub.webhooks().delete(actor, id).await,
            Err(invalid) => Err(invalid),
        };
        let (webhook, user_errors) = Outcome::of(result)?.split();
        Ok(WebhookPayload {
            webhook: webhook.map(Webhook),
            user_errors,
        })
    }

    /// Replaces a webhook's signing secret. Deliveries are signed with both the new and the
    /// old secret for 24 hours, so receivers can switch without missing one.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The webhook whose secret to replace.")] input: RotateWebhookSecretInput,
    ) -> Result<WebhookSecretPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match webhook_id(&input.webhook_id) {
            Ok(id) => hub.webhooks().rotate_secret(actor, id).await,
            Err(invalid) => Err(invalid),
        };
        secret_payload(result)
    }

    /// Sends a delivery's event again (same message id), after any deliveries waiting.
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The delivery to send again.")] input: RedeliverWebhookInput,
    ) -> Result<RedeliverWebhookPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match id::expect(NodeKind::WebhookDelivery, "deliveryId", &input.delivery_id) {
            Ok(uuid) => {
                hub.webhooks()
                    .redeliver(actor, DeliveryId::from_uuid(uuid))
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (delivery, user_errors) = Outcome::of(result)?.split();
        Ok(RedeliverWebhookPayload {
            delivery: delivery.map(WebhookDelivery),
            user_errors,
        })
    }
}

fn secret_payload(result: DomainResult<IssuedWebhook>) -> Result<WebhookSecretPayload> {
    let (issued, user_errors) = Outcome::of(result)?.split();
    let (webhook, secret) = match issued {
        Some(issued) => (Some(Webhook(issued.webhook)), Some(issued.secret)),
        None => (None, None),
    };
    Ok(WebhookSecretPayload {
        webhook,
        secret,
        user_errors,
    })
}

fn webhook_id(global: &ID) -> DomainResult<WebhookId> {
    id::expect(NodeKind::Webhook, "webhookId", global).map(WebhookId::from_uuid)
}

/// Every field's error at once, or the parsed value.
fn all_valid<T>(value: Option<T>, errors: Vec<FieldError>) -> DomainResult<T> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(DomainError::Invalid(errors)),
    }
}

fn field<T>(parsed: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    parsed.map_err(|error| errors.push(error)).ok()
}

/// An id argument's error as the field error it is.
fn id_field<T>(parsed: DomainResult<T>, errors: &mut Vec<FieldError>) -> Option<T> {
    match parsed {
        Ok(value) => Some(value),
        Err(DomainError::Invalid(found)) => {
            errors.extend(found);
            None
        }
        Err(_) => None,
    }
}

fn events(chosen: &[WebhookEventType]) -> Result<EventSelection, FieldError> {
    EventSelection::new(chosen.iter().map(|e| (*e).into()).collect())
}

fn community(global: &ID) -> DomainResult<CommunityId> {
    id::expect(NodeKind::Community, "communityId", global).map(CommunityId::from_uuid)
}

fn create_request(
    input: &CreateWebhookInput,
) -> DomainResult<(Option<OrganisationId>, WebhookSpec)> {
    let mut errors = Vec::new();
    let url = field(WebhookUrl::parse(&input.url), &mut errors);
    let events = field(events(&input.events), &mut errors);
    let community = input
        .community_id
        .as_ref()
        .map(|global| id_field(community(global), &mut errors));
    let organisation = input.organisation_id.as_ref().map(|global| {
        let parsed = id::expect(NodeKind::Organisation, "organisationId", global);
        id_field(parsed.map(OrganisationId::from_uuid), &mut errors)
    });
    let parsed = url.zip(events).map(|(url, events)| {
        let spec = WebhookSpec {
            url,
            events,
            community: community.flatten(),
        };
        (organisation.flatten(), spec)
    });
    all_valid(parsed, errors)
}

fn change_request(input: &UpdateWebhookInput) -> DomainResult<(WebhookId, WebhookChange)> {
    let mut errors = Vec::new();
    let id = id_field(webhook_id(&input.webhook_id), &mut errors);
    let url = input
        .url
        .as_deref()
        .map(|raw| field(WebhookUrl::parse(raw), &mut errors));
    let events = input
        .events
        .as_deref()
        .map(|chosen| field(events(chosen), &mut errors));
    let community = match &input.community_id {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(global) => Some(id_field(community(global), &mut errors)),
    };
    let change = id.map(|id| {
        let change = WebhookChange {
            url: url.flatten(),
            events: events.flatten(),
            community,
            enabled: input.enabled,
        };
        (id, change)
    });
    all_valid(change, errors)
}
