//! Webhooks: partners' endpoints told of public events as they happen, at least once, in order
//! per webhook, signed as Standard Webhooks are, and only what their owner may read.

mod delivery;
mod model;
pub mod schedule;
mod service;

pub use model::{
    Attempt, Delivery, DeliveryId, DeliveryStatus, Disabled, DueDelivery, EventSelection, Webhook,
    WebhookEvent, WebhookId, WebhookSecrets, WebhookUrl,
};
pub use service::{IssuedWebhook, WebhookChange, WebhookPorts, WebhookSpec, Webhooks};
