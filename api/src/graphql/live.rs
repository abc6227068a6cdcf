//! One subscriber's view of a topic: decoded, deduplicated, and checked against what the
//! subscriber may see at the moment each event arrives.

use futures_util::{Stream, StreamExt};
use khub_domain::access::Actor;
use khub_domain::community::Community;
use khub_domain::conversation::Conversations;
use khub_domain::events::HubEvent;
use khub_domain::ports::BusStream;

use super::heard::{self, Heard};

/// One subscriber's view of a topic: decodes each delivery and keeps what it may see now.
#[derive(Clone)]
pub(super) struct Watcher {
    conversations: Conversations,
    actor: Actor,
    community: Community,
}

impl Watcher {
    pub(super) fn new(conversations: &Conversations, actor: &Actor, community: Community) -> Self {
        Self {
            conversations: conversations.clone(),
            actor: actor.clone(),
            community,
        }
    }

    /// The deliveries this subscription is about (`kind_of`), that the subscriber may see now.
    pub(super) fn watch<K: Send + 'static>(
        self,
        deliveries: BusStream,
        kind_of: fn(&HubEvent) -> Option<K>,
    ) -> impl Stream<Item = Live<K>> + use<K> {
        heard::once(deliveries).filter_map(move |heard| {
            let watcher = self.clone();
            async move {
                let event = match heard {
                    Heard::Event(event) => event,
                    Heard::Skipped(n) => return Some(Live::Skipped(n)),
                };
                // Classified first: events of no interest cost no visibility check.
                let kind = kind_of(&event)?;
                watcher
                    .admits(&event)
                    .await
                    .then_some(Live::Happened(kind, event))
            }
        })
    }

    async fn admits(&self, event: &HubEvent) -> bool {
        match self
            .conversations
            .may_see(&self.actor, &self.community, event)
            .await
        {
            Ok(visible) => visible,
            Err(error) => {
                tracing::warn!(%error, "a live event was withheld: its visibility could not be checked");
                false
            }
        }
    }
}

/// A live event as one subscriber receives it.
pub(super) enum Live<K> {
    Happened(K, HubEvent),
    /// The subscriber fell behind and missed this many events.
    Skipped(u64),
}

impl<K: Copy> Live<K> {
    pub(super) fn event(&self) -> Option<&HubEvent> {
        match self {
            Self::Happened(_, event) => Some(event),
            Self::Skipped(_) => None,
        }
    }

    /// What happened, or `skipped` for a notice of missed events.
    pub(super) fn kind_or(&self, skipped: K) -> K {
        match self {
            Self::Happened(kind, _) => *kind,
            Self::Skipped(_) => skipped,
        }
    }

    pub(super) fn skipped(&self) -> Option<u64> {
        match self {
            Self::Skipped(n) => Some(*n),
            Self::Happened(..) => None,
        }
    }
}
