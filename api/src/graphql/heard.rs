//! Each event heard once. The outbox relays at least once: a relay that published a batch but
//! could not mark it relayed publishes it again, so a subscriber may be handed an event twice.

use std::collections::VecDeque;

use futures_util::{Stream, StreamExt, future};
use khub_domain::events::{Envelope, EventId, HubEvent};
use khub_domain::ports::{BusDelivery, BusStream};

/// How many recent events a subscriber remembers: more than a relay batch, whose repeat is the
/// only way an event comes twice. Kept small and grown on demand: a subscriber that hears few
/// events costs few bytes.
const REMEMBERED: usize = 256;

/// A delivery as a subscriber hears it.
pub(crate) enum Heard {
    Event(HubEvent),
    /// The subscriber fell behind and missed this many events.
    Skipped(u64),
}

/// The events in `deliveries`, each once; anything that is not an event is dropped.
pub(crate) fn once(deliveries: BusStream) -> impl Stream<Item = Heard> + Send + use<> {
    let mut recent = Recent::default();
    deliveries.filter_map(move |delivery| future::ready(recent.hear(delivery)))
}

#[derive(Default)]
struct Recent(VecDeque<EventId>);

impl Recent {
    fn hear(&mut self, delivery: BusDelivery) -> Option<Heard> {
        let payload = match delivery {
            BusDelivery::Message(payload) => payload,
            BusDelivery::Skipped(n) => return Some(Heard::Skipped(n)),
        };
        let Envelope { id, event } = Envelope::decode(&payload)?;
        if self.0.contains(&id) {
            return None;
        }
        if self.0.len() == REMEMBERED {
            self.0.pop_front();
        }
        self.0.push_back(id);
        Some(Heard::Event(event))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use khub_domain::events::{Envelope, EventId, HubEvent};
    use khub_domain::person::PersonId;
    use khub_domain::ports::BusDelivery;
    use khub_domain::practice::PracticeId;

    use super::{Heard, Recent};

    fn delivery(id: EventId) -> BusDelivery {
        let event = HubEvent::PracticePublished {
            practice: PracticeId::generate(),
            community: None,
            author: PersonId::generate(),
            at: Utc::now(),
        };
        BusDelivery::Message(Envelope { id, event }.encode().expect("encodes"))
    }

    #[test]
    fn an_event_relayed_twice_is_heard_once() {
        let (first, second) = (EventId::generate(), EventId::generate());
        let mut recent = Recent::default();
        let heard: Vec<bool> = [first, second, first, second]
            .into_iter()
            .map(|id| matches!(recent.hear(delivery(id)), Some(Heard::Event(_))))
            .collect();
        assert_eq!(heard, [true, true, false, false]);
    }

    #[test]
    fn missed_events_are_told_and_garbage_is_dropped() {
        let mut recent = Recent::default();
        assert!(matches!(
            recent.hear(BusDelivery::Skipped(3)),
            Some(Heard::Skipped(3))
        ));
        assert!(recent.hear(BusDelivery::Message(b"{}".to_vec())).is_none());
    }
}
