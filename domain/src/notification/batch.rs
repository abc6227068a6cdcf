//! A notifier pass's events as notification writes. Replies in a busy thread with thousands
//! of watchers would cost one write per watcher per reply; within a pass, the deliveries of one
//! group merge into one write (their count summed, the latest actor and subject), so the cost
//! follows the passes, not the replies. The rules stay exact: nobody is counted for their own
//! action, nor told twice of one event. For the few people some event of a group singles out
//! (its actor, the person it tells directly), the group's events are counted person by person.

use crate::events::{EventId, HubEvent};
use crate::notification::fanout::{Audience, Delivery, deliveries};
use crate::person::PersonId;

/// Who of a delivery's audience one write tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Among {
    Everyone,
    Only(Vec<PersonId>),
    AllBut(Vec<PersonId>),
}

/// One write: a delivery (standing for `count` events, the latest its subject) to some of its
/// audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub delivery: Delivery,
    /// The latest event it tells of.
    pub event: EventId,
    pub among: Among,
}

/// The writes that tell everyone what `events` (in the order raised) make: people told
/// directly first (the most specific), then watchers.
pub fn plan(events: &[(EventId, &HubEvent)]) -> Vec<Write> {
    let mut direct: Vec<Merged> = Vec::new();
    let mut watched: Vec<Group> = Vec::new();
    for (event, event_ref) in events {
        let delivered = deliveries(event_ref);
        let singled_out = singled_out(&delivered);
        for delivery in delivered {
            match delivery.audience {
                // Nobody is told of their own action.
                Audience::Person(person) if delivery.actor == Some(person) => {}
                Audience::Person(_) => merge_into(&mut direct, *event, delivery),
                _ => {
                    let at = group_of(&mut watched, &delivery);
                    watched[at].add(*event, delivery, singled_out.clone());
                }
            }
        }
    }
    let mut writes: Vec<Write> = direct
        .into_iter()
        .map(|merged| merged.write(Among::Everyone))
        .collect();
    for group in watched {
        writes.extend(group.writes());
    }
    writes
}

/// Deliveries of one group, merged: the latest, and how many events they stand for.
#[derive(Clone)]
struct Merged {
    latest: Delivery,
    event: EventId,
    count: u64,
}

impl Merged {
    fn new(event: EventId, delivery: Delivery) -> Self {
        let count = delivery.count;
        Self {
            latest: delivery,
            event,
            count,
        }
    }

    fn add(&mut self, event: EventId, delivery: Delivery) {
        self.count += delivery.count;
        self.latest = delivery;
        self.event = event;
    }

    fn write(self, among: Among) -> Write {
        Write {
            delivery: Delivery {
                count: self.count,
                ..self.latest
            },
            event: self.event,
            among,
        }
    }
}

fn merge_into(merged: &mut Vec<Merged>, event: EventId, delivery: Delivery) {
    match merged.iter_mut().find(|m| same_group(&m.latest, &delivery)) {
        Some(existing) => existing.add(event, delivery),
        None => merged.push(Merged::new(event, delivery)),
    }
}

/// Watcher deliveries of one group within a pass, each with the people its event singles out.
struct Group {
    key: Delivery,
    members: Vec<(EventId, Delivery, Vec<PersonId>)>,
}

impl Group {
    fn add(&mut self, event: EventId, delivery: Delivery, singled_out: Vec<PersonId>) {
        self.members.push((event, delivery, singled_out));
    }

    /// Everyone no event singles out is told of them all; each person some event singles out,
    /// of the events that do not (people told of the same events share a write).
    fn writes(self) -> Vec<Write> {
        let mut singled: Vec<PersonId> = Vec::new();
        for (_, _, people) in &self.members {
            for person in people {
                if !singled.contains(person) {
                    singled.push(*person);
                }
            }
        }
        let mut all: Option<Merged> = None;
        for (event, delivery, _) in &self.members {
            merge_option(&mut all, *event, delivery.clone());
        }
        let mut writes: Vec<Write> = all
            .map(|merged| merged.write(Among::AllBut(singled.clone())))
            .into_iter()
            .collect();
        let mut each: Vec<(Merged, Vec<PersonId>)> = Vec::new();
        for person in singled {
            let mut theirs: Option<Merged> = None;
            for (event, delivery, people) in &self.members {
                if !people.contains(&person) {
                    merge_option(&mut theirs, *event, delivery.clone());
                }
            }
            let Some(theirs) = theirs else { continue };
            match each
                .iter_mut()
                .find(|(m, _)| m.event == theirs.event && m.count == theirs.count)
            {
                Some((_, people)) => people.push(person),
                None => each.push((theirs, vec![person])),
            }
        }
        writes.extend(
            each.into_iter()
                .map(|(merged, people)| merged.write(Among::Only(people))),
        );
        writes
    }
}

fn merge_option(merged: &mut Option<Merged>, event: EventId, delivery: Delivery) {
    match merged {
        Some(existing) => existing.add(event, delivery),
        None => *merged = Some(Merged::new(event, delivery)),
    }
}

/// The group `delivery` belongs to, added if new; its index.
fn group_of(groups: &mut Vec<Group>, delivery: &Delivery) -> usize {
    let found = groups.iter().position(|g| same_group(&g.key, delivery));
    found.unwrap_or_else(|| {
        groups.push(Group {
            key: delivery.clone(),
            members: Vec::new(),
        });
        groups.len() - 1
    })
}

fn same_group(a: &Delivery, b: &Delivery) -> bool {
    a.audience == b.audience && a.kind == b.kind && a.group == b.group && a.content == b.content
}

/// The people one event's deliveries single out: their actors and direct recipients.
fn singled_out(delivered: &[Delivery]) -> Vec<PersonId> {
    let actors = delivered.iter().filter_map(|d| d.actor);
    let direct = delivered.iter().filter_map(|d| match d.audience {
        Audience::Person(person) => Some(person),
        _ => None,
    });
    let mut people = Vec::new();
    for person in actors.chain(direct) {
        if !people.contains(&person) {
            people.push(person);
        }
    }
    people
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::{Among, Write, plan};
    use crate::community::CommunityId;
    use crate::conversation::{PostId, PostStatus, ThreadId};
    use crate::events::{EventId, HubEvent, PostRef};
    use crate::notification::NotificationKind;
    use crate::person::PersonId;

    fn reply(thread: ThreadId, author: PersonId, to: PersonId) -> HubEvent {
        HubEvent::ReplyPosted {
            reply: PostRef {
                post: PostId::generate(),
                thread,
                community: CommunityId::generate(),
                author,
                status: PostStatus::Approved,
            },
            replied_to: Some(to),
            at: Utc::now(),
        }
    }

    fn summary(writes: &[Write]) -> Vec<(NotificationKind, u64, Among)> {
        writes
            .iter()
            .map(|w| (w.delivery.kind, w.delivery.count, w.among.clone()))
            .collect()
    }

    #[test]
    fn one_event_tells_its_addressee_then_every_other_watcher() {
        let (thread, ana, bob) = (
            ThreadId::generate(),
            PersonId::generate(),
            PersonId::generate(),
        );
        let event = reply(thread, ana, bob);
        let writes = plan(&[(EventId::generate(), &event)]);
        assert_eq!(
            summary(&writes),
            [
                (NotificationKind::Replied, 1, Among::Everyone),
                (
                    NotificationKind::ThreadActivity,
                    1,
                    Among::AllBut(vec![ana, bob])
                ),
            ]
        );
        let own = reply(thread, ana, ana);
        let writes = plan(&[(EventId::generate(), &own)]);
        assert_eq!(
            summary(&writes),
            [(
                NotificationKind::ThreadActivity,
                1,
                Among::AllBut(vec![ana])
            )],
            "nobody is told of their own reply"
        );
    }

    #[test]
    fn a_pass_merges_each_group_and_counts_for_the_singled_out_what_did_not_single_them_out() {
        let (thread, other) = (ThreadId::generate(), ThreadId::generate());
        let [ana, bob, cy] = [(); 3].map(|()| PersonId::generate());
        let events = [
            reply(thread, ana, bob),
            reply(other, ana, bob),
            reply(thread, cy, ana),
            reply(thread, cy, ana),
        ];
        let ids: Vec<EventId> = events.iter().map(|_| EventId::generate()).collect();
        let batch: Vec<(EventId, &HubEvent)> = ids.iter().copied().zip(events.iter()).collect();
        let writes = plan(&batch);
        assert_eq!(
            summary(&writes),
            [
                (NotificationKind::Replied, 1, Among::Everyone),
                (NotificationKind::Replied, 1, Among::Everyone),
                (NotificationKind::Replied, 2, Among::Everyone),
                (
                    NotificationKind::ThreadActivity,
                    3,
                    Among::AllBut(vec![ana, bob, cy])
                ),
                (NotificationKind::ThreadActivity, 2, Among::Only(vec![bob])),
                (NotificationKind::ThreadActivity, 1, Among::Only(vec![cy])),
                (
                    NotificationKind::ThreadActivity,
                    1,
                    Among::AllBut(vec![ana, bob])
                ),
            ]
        );
        let merged = &writes[3];
        assert_eq!(merged.event, ids[3], "the latest event");
        assert_eq!(merged.delivery.actor, Some(cy), "the latest actor");
        assert_eq!(writes[5].event, ids[0], "Cy is told only of Ana's reply");
    }
}
