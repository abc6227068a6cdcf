//! A relay pass's events as notification writes. Replies in a busy thread with thousands of
//! watchers would cost one write per watcher per reply; within a pass, the watcher deliveries of
//! one group merge into one write (their count summed, the latest actor and subject), so the
//! cost follows the passes, not the replies. The people an event singles out (its actor, the
//! person it tells directly) are told event by event instead, which keeps the rules exact for
//! them: nobody is counted for their own action, nor told twice of one event.

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

/// One write: a delivery of an event (the latest, for a merged one) to some of its audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub delivery: Delivery,
    pub event: EventId,
    pub among: Among,
}

/// The writes that tell everyone what `events` (in the order raised) make, in the order to run.
pub fn plan(events: &[(EventId, &HubEvent)]) -> Vec<Write> {
    let told: Vec<(EventId, Vec<Delivery>)> = events
        .iter()
        .map(|(id, event)| (*id, deliveries(event)))
        .collect();
    let groups = Groups::of(&told);
    let mut writes = Vec::new();
    for (event, delivered) in &told {
        for delivery in delivered {
            let among = match groups.merged(delivery) {
                None => Among::Everyone,
                Some(group) if group.singled_out.is_empty() => continue,
                Some(group) => Among::Only(group.singled_out.clone()),
            };
            writes.push(Write {
                delivery: delivery.clone(),
                event: *event,
                among,
            });
        }
    }
    writes.extend(groups.merged_writes());
    writes
}

/// Watcher deliveries of one group within a pass.
struct Group {
    latest: Delivery,
    event: EventId,
    count: u64,
    members: usize,
    /// Everyone an event of the group singles out, told event by event.
    singled_out: Vec<PersonId>,
}

impl Group {
    fn new(first: &Delivery, event: EventId) -> Self {
        Self {
            latest: first.clone(),
            event,
            count: 0,
            members: 0,
            singled_out: Vec::new(),
        }
    }
}

struct Groups(Vec<Group>);

impl Groups {
    fn of(told: &[(EventId, Vec<Delivery>)]) -> Self {
        let mut groups: Vec<Group> = Vec::new();
        for (event, delivered) in told {
            let singled_out = singled_out(delivered);
            for delivery in delivered.iter().filter(|d| watched(d)) {
                let at = match groups.iter().position(|g| same_group(&g.latest, delivery)) {
                    Some(at) => at,
                    None => {
                        groups.push(Group::new(delivery, *event));
                        groups.len() - 1
                    }
                };
                let group = &mut groups[at];
                group.latest = delivery.clone();
                group.event = *event;
                group.count += delivery.count;
                group.members += 1;
                for person in &singled_out {
                    if !group.singled_out.contains(person) {
                        group.singled_out.push(*person);
                    }
                }
            }
        }
        Self(groups)
    }

    /// The group `delivery` merges into, if it merges with another.
    fn merged(&self, delivery: &Delivery) -> Option<&Group> {
        self.0
            .iter()
            .find(|g| g.members > 1 && watched(delivery) && same_group(&g.latest, delivery))
    }

    fn merged_writes(self) -> impl Iterator<Item = Write> {
        self.0.into_iter().filter(|g| g.members > 1).map(|g| Write {
            delivery: Delivery {
                count: g.count,
                ..g.latest
            },
            event: g.event,
            among: Among::AllBut(g.singled_out),
        })
    }
}

fn watched(delivery: &Delivery) -> bool {
    !matches!(delivery.audience, Audience::Person(_))
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
    fn one_event_is_written_as_before() {
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
                (NotificationKind::ThreadActivity, 1, Among::Everyone),
            ]
        );
    }

    #[test]
    fn replies_in_one_thread_merge_for_watchers_but_not_for_the_people_they_single_out() {
        let (thread, other) = (ThreadId::generate(), ThreadId::generate());
        let [ana, bob, cy] = [(); 3].map(|()| PersonId::generate());
        let events = [
            reply(thread, ana, bob),
            reply(other, ana, bob),
            reply(thread, cy, ana),
        ];
        let ids: Vec<EventId> = events.iter().map(|_| EventId::generate()).collect();
        let batch: Vec<(EventId, &HubEvent)> = ids.iter().copied().zip(events.iter()).collect();
        let writes = plan(&batch);
        let singled = Among::Only(vec![ana, bob, cy]);
        assert_eq!(
            summary(&writes),
            [
                (NotificationKind::Replied, 1, Among::Everyone),
                (NotificationKind::ThreadActivity, 1, singled.clone()),
                (NotificationKind::Replied, 1, Among::Everyone),
                (NotificationKind::ThreadActivity, 1, Among::Everyone),
                (NotificationKind::Replied, 1, Among::Everyone),
                (NotificationKind::ThreadActivity, 1, singled),
                (
                    NotificationKind::ThreadActivity,
                    2,
                    Among::AllBut(vec![ana, bob, cy])
                ),
            ]
        );
        let merged = writes.last().expect("a merged write");
        assert_eq!(merged.event, ids[2], "the latest event");
        assert_eq!(merged.delivery.actor, Some(cy), "the latest actor");
    }
}
