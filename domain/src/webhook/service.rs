//! Managing webhooks: a person's own, or an organisation's (acting as its service identity) by
//! its administrators. Like API tokens, they are managed from a signed-in session: a partner's
//! token cannot mint signing secrets.

use std::sync::Arc;

use chrono::Duration;

use crate::access::Actor;
use crate::community::{Communities, CommunityId};
use crate::conversation::Conversations;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::organisation::OrganisationId;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::ports::{
    Clock, OrganisationRepository, PersonRepository, WebhookOwners, WebhookPayloads,
    WebhookRepository, WebhookTransport,
};
use crate::practice::Practices;
use crate::webhook::model::{
    Attempt, Delivery, DeliveryId, EventSelection, Webhook, WebhookId, WebhookUrl,
};

/// How long a rotated-out secret still signs deliveries, so receivers can switch unhurried.
const ROTATION_OVERLAP: Duration = Duration::hours(24);

/// What a webhook is set up with.
#[derive(Debug, Clone)]
pub struct WebhookSpec {
    pub url: WebhookUrl,
    pub events: EventSelection,
    pub community: Option<CommunityId>,
}

/// What an update changes; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct WebhookChange {
    pub url: Option<WebhookUrl>,
    pub events: Option<EventSelection>,
    /// `Some(None)` removes the community filter.
    pub community: Option<Option<CommunityId>>,
    /// Re-enabling starts afresh; disabling stops deliveries until re-enabled.
    pub enabled: Option<bool>,
}

/// A webhook and its signing secret, shown this once.
#[derive(Debug, Clone)]
pub struct IssuedWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

/// The ports and use cases webhooks build on.
pub struct WebhookPorts {
    pub repo: Arc<dyn WebhookRepository>,
    pub transport: Arc<dyn WebhookTransport>,
    pub payloads: Arc<dyn WebhookPayloads>,
    pub people: Arc<dyn PersonRepository>,
    pub organisations: Arc<dyn OrganisationRepository>,
    pub communities: Communities,
    pub conversations: Conversations,
    pub practices: Practices,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Webhooks {
    pub(super) repo: Arc<dyn WebhookRepository>,
    pub(super) transport: Arc<dyn WebhookTransport>,
    pub(super) payloads: Arc<dyn WebhookPayloads>,
    pub(super) people: Arc<dyn PersonRepository>,
    organisations: Arc<dyn OrganisationRepository>,
    communities: Communities,
    pub(super) conversations: Conversations,
    pub(super) practices: Practices,
    pub(super) clock: Arc<dyn Clock>,
}

impl Webhooks {
    pub fn new(ports: WebhookPorts) -> Self {
        Self {
            repo: ports.repo,
            transport: ports.transport,
            payloads: ports.payloads,
            people: ports.people,
            organisations: ports.organisations,
            communities: ports.communities,
            conversations: ports.conversations,
            practices: ports.practices,
            clock: ports.clock,
        }
    }

    /// Creates a webhook for the caller, or for an organisation they administer. Its address
    /// must be one the hub may call; its community one its owner may read.
    #[tracing::instrument(skip_all)]
    pub async fn create(
        &self,
        actor: &Actor,
        organisation: Option<OrganisationId>,
        spec: WebhookSpec,
    ) -> DomainResult<IssuedWebhook> {
        let creator = policy::authorize(actor, Action::ManageOwnSession)?.id;
        let owner = match organisation {
            Some(org) => self.service_identity(actor, org).await?,
            None => creator,
        };
        self.check(owner, &spec.url, spec.community).await?;
        let now = self.clock.now();
        let webhook = Webhook {
            id: WebhookId::generate(),
            owner,
            organisation,
            created_by: creator,
            url: spec.url,
            events: spec.events,
            community: spec.community,
            failing_since: None,
            disabled: None,
            created_at: now,
            updated_at: now,
        };
        let secret = self.transport.new_secret();
        self.repo.create(&webhook, &secret).await?;
        Ok(IssuedWebhook { webhook, secret })
    }

    /// Changes a webhook the caller manages.
    #[tracing::instrument(skip_all)]
    pub async fn update(
        &self,
        actor: &Actor,
        id: WebhookId,
        change: WebhookChange,
    ) -> DomainResult<Webhook> {
        let mut webhook = self.managed(actor, id).await?;
        let url = change.url.unwrap_or_else(|| webhook.url.clone());
        let community = change.community.unwrap_or(webhook.community);
        if url != webhook.url || community != webhook.community {
            self.check(webhook.owner, &url, community).await?;
        }
        let now = self.clock.now();
        webhook.url = url;
        webhook.community = community;
        if let Some(events) = change.events {
            webhook.events = events;
        }
        match change.enabled {
            Some(true) => {
                webhook.disabled = None;
                webhook.failing_since = None;
            }
            Some(false) if webhook.disabled.is_none() => {
                webhook.disabled = Some(super::model::Disabled {
                    at: now,
                    reason: "disabled by its owner".to_owned(),
                });
            }
            _ => {}
        }
        webhook.updated_at = now;
        self.repo.update(&webhook).await?;
        Ok(webhook)
    }

    /// Deletes a webhook the caller manages, with its delivery log.
    #[tracing::instrument(skip_all)]
    pub async fn delete(&self, actor: &Actor, id: WebhookId) -> DomainResult<Webhook> {
        let webhook = self.managed(actor, id).await?;
        self.repo.delete(id).await?;
        Ok(webhook)
    }

    /// Replaces the signing secret; the old one still signs deliveries for 24 hours.
    #[tracing::instrument(skip_all)]
    pub async fn rotate_secret(&self, actor: &Actor, id: WebhookId) -> DomainResult<IssuedWebhook> {
        let webhook = self.managed(actor, id).await?;
        let secret = self.transport.new_secret();
        let until = self.clock.now() + ROTATION_OVERLAP;
        self.repo.rotate_secret(id, &secret, until).await?;
        Ok(IssuedWebhook { webhook, secret })
    }

    /// A webhook the caller manages.
    pub async fn webhook(&self, actor: &Actor, id: WebhookId) -> DomainResult<Option<Webhook>> {
        match self.managed(actor, id).await {
            Ok(webhook) => Ok(Some(webhook)),
            Err(DomainError::NotFound) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// A delivery of a webhook the caller manages.
    pub async fn delivery(&self, actor: &Actor, id: DeliveryId) -> DomainResult<Option<Delivery>> {
        let Some(delivery) = self.repo.find_delivery(id).await? else {
            return Ok(None);
        };
        Ok(self
            .webhook(actor, delivery.webhook)
            .await?
            .map(|_| delivery))
    }

    /// The attempts of deliveries the caller already holds (from `deliveries` or `delivery`),
    /// in order.
    pub async fn attempts(&self, deliveries: &[DeliveryId]) -> DomainResult<Vec<Attempt>> {
        self.repo.attempts(deliveries).await
    }

    /// The caller's own webhooks, newest first.
    pub async fn of_person(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> DomainResult<Page<Webhook>> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?.id;
        self.repo.list(WebhookOwners::Person(person), page).await
    }

    /// An organisation's webhooks, for its administrators.
    pub async fn of_organisation(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
        page: &PageRequest,
    ) -> DomainResult<Page<Webhook>> {
        policy::authorize(actor, Action::ManageOrganisationTokens(organisation))?;
        let owners = WebhookOwners::Organisation(organisation);
        self.repo.list(owners, page).await
    }

    /// A webhook's delivery log, newest first.
    pub async fn deliveries(
        &self,
        actor: &Actor,
        webhook: &Webhook,
        page: &PageRequest,
    ) -> DomainResult<Page<Delivery>> {
        self.may_manage(actor, webhook)?;
        self.repo.deliveries(webhook.id, page).await
    }

    /// Sends a delivery's event again, as a new delivery with the same message id, after any
    /// already waiting.
    #[tracing::instrument(skip_all)]
    pub async fn redeliver(&self, actor: &Actor, id: DeliveryId) -> DomainResult<Delivery> {
        let earlier = self
            .repo
            .find_delivery(id)
            .await?
            .ok_or(DomainError::NotFound)?;
        self.managed(actor, earlier.webhook).await?;
        let event = (earlier.event_id, earlier.event);
        let delivery = Delivery::queued(
            earlier.webhook,
            event,
            earlier.kind,
            earlier.seq,
            self.clock.now(),
        );
        self.repo.add_delivery(&delivery).await?;
        Ok(delivery)
    }

    /// The webhook, if the caller manages it; anyone else's reads as one that does not exist.
    async fn managed(&self, actor: &Actor, id: WebhookId) -> DomainResult<Webhook> {
        policy::authorize(actor, Action::ManageOwnSession)?;
        let webhook = self.repo.find(id).await?.ok_or(DomainError::NotFound)?;
        self.may_manage(actor, &webhook)
            .map_err(|_| DomainError::NotFound)?;
        Ok(webhook)
    }

    fn may_manage(&self, actor: &Actor, webhook: &Webhook) -> DomainResult<()> {
        match webhook.organisation {
            Some(org) => policy::authorize(actor, Action::ManageOrganisationTokens(org)).map(drop),
            None => match policy::authorize(actor, Action::ManageOwnSession)?.id == webhook.owner {
                true => Ok(()),
                false => Err(DomainError::NotFound),
            },
        }
    }

    /// The organisation's service identity, for one of its administrators.
    async fn service_identity(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
    ) -> DomainResult<PersonId> {
        policy::authorize(actor, Action::ManageOrganisationTokens(organisation))?;
        let found = self.organisations.find_by_ids(&[organisation]).await?.pop();
        let found = found.ok_or(DomainError::NotFound)?;
        Ok(self.people.service_identity(&found).await?.id)
    }

    /// Refuses an address the hub may not call, or a community the owner may not read.
    async fn check(
        &self,
        owner: PersonId,
        url: &WebhookUrl,
        community: Option<CommunityId>,
    ) -> DomainResult<()> {
        let mut errors = Vec::new();
        if let Err(refused) = self.transport.check_target(url).await {
            errors.push(FieldError::new("url", refused.code, refused.message));
        }
        if let Some(community) = community {
            let reader = self.reader(owner).await?;
            let readable = match reader {
                Some(reader) => self.communities.readable(&reader, community).await?,
                None => None,
            };
            if readable.is_none() {
                errors.push(FieldError::new(
                    "communityId",
                    "NOT_FOUND",
                    "no community its owner may read has this id",
                ));
            }
        }
        match errors.is_empty() {
            true => Ok(()),
            false => Err(DomainError::Invalid(errors)),
        }
    }
}
