//! What resolvers reach: the hub's use cases and ports (shared) and the request's own facts.

use std::sync::{Arc, Mutex};

use khub_domain::community::{Badges, Communities};
use khub_domain::conversation::{ConversationPorts, Conversations};
use khub_domain::feeds::Feeds;
use khub_domain::identity::Identity;
use khub_domain::moderation::{Moderation, ModerationPorts};
use khub_domain::notification::{MailPorts, NotificationPorts, Notifications};
use khub_domain::ports::{Clock, EventBus, OrganisationRepository, PersonRepository};
use khub_domain::practice::Practices;
use khub_domain::rate_limit::{RateLimiter, RateStatus};
use khub_domain::reputation::{Reputation, ReputationRules};
use khub_domain::search::Search;
use khub_domain::webhook::{WebhookPorts, Webhooks};
use khub_infra::Backends;

use crate::graphql::webhook_body::WebhookBodies;

/// The hub's use cases and ports, shared by every request. Fields are private: resolvers ask
/// for what they need by name.
#[derive(Clone)]
pub struct HubContext {
    organisations: Arc<dyn OrganisationRepository>,
    identity: Identity,
    communities: Communities,
    practices: Practices,
    conversations: Conversations,
    reputation: Reputation,
    search: Search,
    feeds: Feeds,
    notifications: Notifications,
    moderation: Moderation,
    webhooks: Webhooks,
    events: Arc<dyn EventBus>,
    rate_limiter: RateLimiter,
}

impl HubContext {
    /// The use cases over `backends`, telling time by `clock`.
    pub fn new(
        backends: &Backends,
        identity: Identity,
        rate_limiter: RateLimiter,
        clock: Arc<dyn Clock>,
        rules: ReputationRules,
    ) -> Self {
        let badges = Badges {
            store: backends.reputation.clone(),
            rules,
        };
        let communities = Communities::new(
            backends.communities.clone(),
            backends.people.clone(),
            clock.clone(),
            badges,
        );
        let practices = Practices::new(
            backends.practices.clone(),
            communities.clone(),
            clock.clone(),
            rules,
        );
        let conversations = Conversations::new(ConversationPorts {
            repo: backends.conversations.clone(),
            communities: communities.clone(),
            practices: practices.clone(),
            people: backends.people.clone(),
            clock: clock.clone(),
            reputation: rules,
        });
        let reputation = Reputation::new(
            backends.reputation.clone(),
            communities.clone(),
            clock.clone(),
            rules,
        );
        let search = Search::new(
            backends.search.clone(),
            backends.saved_searches.clone(),
            clock.clone(),
        );
        let feeds = Feeds::new(
            practices.clone(),
            conversations.clone(),
            communities.clone(),
            search.clone(),
            backends.people.clone(),
        );
        let (mailer, signer, public_url) = identity.mail_ports();
        let notifications = Notifications::new(NotificationPorts {
            repo: backends.notifications.clone(),
            conversations: conversations.clone(),
            communities: communities.clone(),
            practices: practices.clone(),
            people: backends.people.clone(),
            search: search.clone(),
            saved_searches: backends.saved_searches.clone(),
            effects: backends.reputation.clone(),
            mail: MailPorts {
                mailer,
                signer,
                public_url,
            },
            clock: clock.clone(),
        });
        let moderation = Moderation::new(ModerationPorts {
            repo: backends.moderation.clone(),
            conversations: conversations.clone(),
            practices: practices.clone(),
            communities: communities.clone(),
            clock: clock.clone(),
        });
        let webhooks = Webhooks::new(WebhookPorts {
            repo: backends.webhooks.clone(),
            transport: backends.webhook_transport.clone(),
            payloads: Arc::new(WebhookBodies),
            people: backends.people.clone(),
            organisations: backends.organisations.clone(),
            communities: communities.clone(),
            conversations: conversations.clone(),
            practices: practices.clone(),
            clock,
        });
        Self {
            moderation,
            webhooks,
            notifications,
            organisations: backends.organisations.clone(),
            identity,
            communities,
            practices,
            conversations,
            reputation,
            search,
            feeds,
            events: backends.events.clone(),
            rate_limiter,
        }
    }

    pub fn reputation(&self) -> &Reputation {
        &self.reputation
    }

    pub fn search(&self) -> &Search {
        &self.search
    }

    pub fn notifications(&self) -> &Notifications {
        &self.notifications
    }

    pub fn moderation(&self) -> &Moderation {
        &self.moderation
    }

    pub fn webhooks(&self) -> &Webhooks {
        &self.webhooks
    }

    pub fn feeds(&self) -> &Feeds {
        &self.feeds
    }

    pub fn conversations(&self) -> &Conversations {
        &self.conversations
    }

    /// The bus live events arrive on, for subscriptions.
    pub fn event_bus(&self) -> &dyn EventBus {
        self.events.as_ref()
    }

    pub fn practices(&self) -> &Practices {
        &self.practices
    }

    pub fn communities(&self) -> &Communities {
        &self.communities
    }

    pub fn organisations(&self) -> &dyn OrganisationRepository {
        self.organisations.as_ref()
    }

    pub fn people(&self) -> &dyn PersonRepository {
        self.identity.people()
    }

    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.rate_limiter
    }
}

/// Identifies one request in logs and in internal-error messages.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Where the rate limiter leaves the request's budget, for the HTTP response headers.
#[derive(Debug, Clone, Default)]
pub struct RateSlot(Arc<Mutex<Option<(RateStatus, u64)>>>);

impl RateSlot {
    /// Records the request's charge: where its budget stands, and its cost.
    pub fn set(&self, status: RateStatus, cost: u64) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some((status, cost));
        }
    }

    pub fn get(&self) -> Option<RateStatus> {
        self.charged().map(|(status, _)| status)
    }

    /// The budget's standing and the cost charged, once the request has been charged.
    pub fn charged(&self) -> Option<(RateStatus, u64)> {
        self.0.lock().ok().and_then(|slot| *slot)
    }
}
