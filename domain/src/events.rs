//! Domain events: what happened, raised through the event bus so reputation, notifications,
//! live updates and search can react without the code that raised them knowing them.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::community::CommunityId;
use crate::organisation::OrganisationId;
use crate::person::PersonId;
use crate::ports::EventBus;
use crate::practice::{AdoptionOutcome, PracticeId, Promotion};

/// The bus topic every domain event is published to.
pub const ALL_EVENTS_TOPIC: &str = "domain";

/// The bus topic of one community's activity.
pub fn community_topic(community: CommunityId) -> String {
    format!("community:{community}")
}

/// Something that happened in the hub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HubEvent {
    PracticePublished {
        practice: PracticeId,
        community: Option<CommunityId>,
        author: PersonId,
        at: DateTime<Utc>,
    },
    PracticeEndorsed {
        practice: PracticeId,
        community: Option<CommunityId>,
        author: PersonId,
        author_organisation: Option<OrganisationId>,
        endorser: PersonId,
        endorser_organisation: Option<OrganisationId>,
        at: DateTime<Utc>,
    },
    EndorsementWithdrawn {
        practice: PracticeId,
        community: Option<CommunityId>,
        author: PersonId,
        endorser: PersonId,
        at: DateTime<Utc>,
    },
    PracticePromoted {
        practice: PracticeId,
        community: Option<CommunityId>,
        author: PersonId,
        promotion: Promotion,
    },
    PracticeAdopted {
        practice: PracticeId,
        community: Option<CommunityId>,
        author: PersonId,
        organisation: OrganisationId,
        recorded_by: PersonId,
        outcome: AdoptionOutcome,
        at: DateTime<Utc>,
    },
}

impl HubEvent {
    /// The community the event happened in, if any.
    pub fn community(&self) -> Option<CommunityId> {
        match self {
            Self::PracticePublished { community, .. }
            | Self::PracticeEndorsed { community, .. }
            | Self::EndorsementWithdrawn { community, .. }
            | Self::PracticePromoted { community, .. }
            | Self::PracticeAdopted { community, .. } => *community,
        }
    }

    /// Every topic the event goes to.
    pub fn topics(&self) -> Vec<String> {
        let mut topics = vec![ALL_EVENTS_TOPIC.to_owned()];
        topics.extend(self.community().map(community_topic));
        topics
    }

    /// Reads an event off the bus; `None` for anything that is not one.
    pub fn decode(payload: &[u8]) -> Option<Self> {
        serde_json::from_slice(payload).ok()
    }
}

/// Raises domain events on the bus. The action they describe has already been committed, so a
/// bus failure is logged rather than undoing or failing it.
#[derive(Clone)]
pub struct Events {
    bus: Arc<dyn EventBus>,
}

impl Events {
    pub fn new(bus: Arc<dyn EventBus>) -> Self {
        Self { bus }
    }

    pub async fn raise(&self, event: HubEvent) {
        let payload = match serde_json::to_vec(&event) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, ?event, "cannot encode a domain event");
                return;
            }
        };
        for topic in event.topics() {
            if let Err(error) = self.bus.publish(&topic, payload.clone()).await {
                tracing::warn!(%error, topic, "a domain event was not published");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_round_trips_through_its_encoding() {
        let event = HubEvent::PracticePublished {
            practice: PracticeId::generate(),
            community: Some(CommunityId::generate()),
            author: PersonId::generate(),
            at: Utc::now(),
        };
        let encoded = serde_json::to_vec(&event).expect("encodes");
        assert_eq!(HubEvent::decode(&encoded), Some(event.clone()));
        assert_eq!(event.topics().len(), 2);
    }
}
