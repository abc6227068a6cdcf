//! Domain events: what happened. A change records its events in its own transaction (they
//! travel with its `Effects`); the outbox relay then hands each on at least once, so live
//! updates and notifications react without the code that raised them knowing them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::community::CommunityId;
use crate::conversation::{PostId, PostStatus, ReactionCounts, ReactionKind, ThreadId};
use crate::organisation::OrganisationId;
use crate::person::PersonId;
use crate::practice::{AdoptionOutcome, PracticeId, Promotion};
use crate::reputation::Badge;
use crate::search::SavedSearchId;
use crate::webhook::WebhookId;

/// The bus topic every domain event is published to.
pub const ALL_EVENTS_TOPIC: &str = "domain";

/// The bus topic of one community's activity.
pub fn community_topic(community: CommunityId) -> String {
    format!("community:{community}")
}

/// The bus topic of one thread's events.
pub fn thread_topic(thread: ThreadId) -> String {
    format!("thread:{thread}")
}

/// The bus topic telling one person's live sessions that an event notified them.
pub fn notifications_topic(person: PersonId) -> String {
    format!("notifications:{person}")
}

/// A post as events name it: enough to decide who may see the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRef {
    pub post: PostId,
    pub thread: ThreadId,
    pub community: CommunityId,
    pub author: PersonId,
    pub status: PostStatus,
}

impl PostRef {
    /// The same post, approved.
    pub fn approved(self) -> Self {
        Self {
            status: PostStatus::Approved,
            ..self
        }
    }
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
    /// A thread was started (or, in a facilitated space, its opening post approved).
    ThreadStarted {
        opening: PostRef,
        at: DateTime<Utc>,
    },
    ReplyPosted {
        reply: PostRef,
        /// Whom it answers: the author of the post it replies to, else of the thread.
        #[serde(default)]
        replied_to: Option<PersonId>,
        at: DateTime<Utc>,
    },
    PostEdited {
        post: PostRef,
        at: DateTime<Utc>,
    },
    PostDeleted {
        post: PostRef,
        by: PersonId,
        at: DateTime<Utc>,
    },
    PostApproved {
        post: PostRef,
        by: PersonId,
        /// For a reply, whom it answers (as `ReplyPosted`); `None` for an opening post.
        #[serde(default)]
        replied_to: Option<PersonId>,
        at: DateTime<Utc>,
    },
    /// A facilitator, or members' flags, took a post down: readers drop it; its author and the
    /// facilitators still see it, marked hidden.
    PostHidden {
        post: PostRef,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A hidden post is back for every reader.
    PostRestored {
        post: PostRef,
        by: PersonId,
        at: DateTime<Utc>,
    },
    ReactionChanged {
        post: PostRef,
        person: PersonId,
        reaction: ReactionKind,
        active: bool,
        counts: ReactionCounts,
        at: DateTime<Utc>,
    },
    AnswerAccepted {
        answer: PostRef,
        accepted_by: PersonId,
        at: DateTime<Utc>,
    },
    ThreadLocked {
        thread: ThreadId,
        community: CommunityId,
        locked: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A facilitator invited someone into a community.
    Invited {
        community: CommunityId,
        person: PersonId,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// A facilitator approved or rejected someone's request to join.
    MembershipDecided {
        community: CommunityId,
        person: PersonId,
        approved: bool,
        by: PersonId,
        at: DateTime<Utc>,
    },
    /// Someone was awarded a badge.
    BadgeAwarded {
        person: PersonId,
        badge: Badge,
        at: DateTime<Utc>,
    },
    /// A saved search found `count` new matches since it last told its owner.
    SavedSearchMatched {
        search: SavedSearchId,
        owner: PersonId,
        count: u64,
        at: DateTime<Utc>,
    },
    /// A webhook that failed for days was disabled; whoever created it is told.
    WebhookDisabled {
        webhook: WebhookId,
        told: PersonId,
        at: DateTime<Utc>,
    },
    /// Someone was @mentioned in an approved post.
    Mentioned {
        post: PostRef,
        person: PersonId,
        at: DateTime<Utc>,
    },
}

impl HubEvent {
    /// When it happened.
    pub fn occurred_at(&self) -> DateTime<Utc> {
        match self {
            Self::ThreadStarted { at, .. }
            | Self::ReplyPosted { at, .. }
            | Self::PostEdited { at, .. }
            | Self::PostDeleted { at, .. }
            | Self::PostApproved { at, .. }
            | Self::PostHidden { at, .. }
            | Self::PostRestored { at, .. }
            | Self::ReactionChanged { at, .. }
            | Self::AnswerAccepted { at, .. }
            | Self::ThreadLocked { at, .. }
            | Self::Mentioned { at, .. }
            | Self::PracticePublished { at, .. }
            | Self::PracticeEndorsed { at, .. }
            | Self::EndorsementWithdrawn { at, .. }
            | Self::PracticeAdopted { at, .. }
            | Self::Invited { at, .. }
            | Self::MembershipDecided { at, .. }
            | Self::BadgeAwarded { at, .. }
            | Self::SavedSearchMatched { at, .. }
            | Self::WebhookDisabled { at, .. } => *at,
            Self::PracticePromoted { promotion, .. } => promotion.at,
        }
    }

    /// The post the event is about, if it is about one.
    pub fn post(&self) -> Option<&PostRef> {
        match self {
            Self::ThreadStarted { opening: post, .. }
            | Self::ReplyPosted { reply: post, .. }
            | Self::PostEdited { post, .. }
            | Self::PostDeleted { post, .. }
            | Self::PostApproved { post, .. }
            | Self::PostHidden { post, .. }
            | Self::PostRestored { post, .. }
            | Self::ReactionChanged { post, .. }
            | Self::AnswerAccepted { answer: post, .. }
            | Self::Mentioned { post, .. } => Some(post),
            _ => None,
        }
    }

    /// The thread the event happened in, if any.
    pub fn thread(&self) -> Option<ThreadId> {
        match self {
            Self::ThreadLocked { thread, .. } => Some(*thread),
            other => other.post().map(|p| p.thread),
        }
    }

    /// The community the event happened in, if any.
    pub fn community(&self) -> Option<CommunityId> {
        match self {
            Self::PracticePublished { community, .. }
            | Self::PracticeEndorsed { community, .. }
            | Self::EndorsementWithdrawn { community, .. }
            | Self::PracticePromoted { community, .. }
            | Self::PracticeAdopted { community, .. } => *community,
            Self::ThreadLocked { community, .. }
            | Self::Invited { community, .. }
            | Self::MembershipDecided { community, .. } => Some(*community),
            Self::BadgeAwarded { .. }
            | Self::SavedSearchMatched { .. }
            | Self::WebhookDisabled { .. } => None,
            other => other.post().map(|p| p.community),
        }
    }

    /// Every topic the event goes to: all events; a community's activity (new threads and
    /// practices); a thread's own events.
    pub fn topics(&self) -> Vec<String> {
        let mut topics = vec![ALL_EVENTS_TOPIC.to_owned()];
        match self {
            Self::ThreadStarted { opening, .. } => {
                topics.push(community_topic(opening.community));
            }
            // About one person: told to them alone, as a notification.
            Self::Mentioned { .. }
            | Self::Invited { .. }
            | Self::MembershipDecided { .. }
            | Self::BadgeAwarded { .. }
            | Self::SavedSearchMatched { .. }
            | Self::WebhookDisabled { .. } => {}
            other => match other.thread() {
                Some(thread) => topics.push(thread_topic(thread)),
                None => topics.extend(other.community().map(community_topic)),
            },
        }
        topics
    }
}

crate::entity_id!(
    /// One raised event: consumers that may hear it twice recognise it by this.
    EventId
);

/// An event as the outbox relays it: what happened, and which raising of it this is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: EventId,
    pub event: HubEvent,
}

impl Envelope {
    pub fn encode(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self)
    }

    /// Reads an envelope off the bus; `None` for anything that is not one.
    pub fn decode(payload: &[u8]) -> Option<Self> {
        serde_json::from_slice(payload).ok()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::{Envelope, EventId, HubEvent};
    use crate::community::CommunityId;
    use crate::person::PersonId;
    use crate::practice::PracticeId;

    #[test]
    fn an_envelope_round_trips_through_its_encoding() {
        let envelope = Envelope {
            id: EventId::generate(),
            event: HubEvent::PracticePublished {
                practice: PracticeId::generate(),
                community: Some(CommunityId::generate()),
                author: PersonId::generate(),
                at: Utc::now(),
            },
        };
        let encoded = envelope.encode().expect("encodes");
        assert_eq!(Envelope::decode(&encoded), Some(envelope.clone()));
        assert_eq!(envelope.event.topics().len(), 2);
    }
}
