use async_graphql::{ID, Interface};

use super::{
    ApiToken, Community, Notification, Organisation, Person, Post, Practice, SavedSearch, Thread,
    Webhook, WebhookDelivery,
};

/// An object with a global id, fetchable with `node(id:)`.
#[derive(Interface, Clone)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's global, opaque identifier."
))]
pub enum Node {
    Organisation(Organisation),
    Person(Person),
    ApiToken(ApiToken),
    Community(Community),
    Practice(Practice),
    Thread(Thread),
    Post(Post),
    SavedSearch(SavedSearch),
    Notification(Notification),
    Webhook(Webhook),
    WebhookDelivery(WebhookDelivery),
}
