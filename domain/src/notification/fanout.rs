//! Who an event tells. The rules are here; the store finds the people (thousands may watch one
//! thread) and writes their notifications in one statement per delivery, off the request path.

use crate::community::CommunityId;
use crate::conversation::{PostStatus, ThreadId};
use crate::events::{HubEvent, PostRef};
use crate::notification::model::{NotificationKind, Subject};
use crate::person::PersonId;
use crate::practice::{PracticeId, PromotionReason};

/// Who a delivery is for, as the store finds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// One person, unless they muted the thread or community it happened in.
    Person(PersonId),
    /// Everyone WATCHING the thread.
    ThreadWatchers(ThreadId),
    /// Everyone WATCHING the community.
    CommunityWatchers(CommunityId),
}

/// One kind of notification for one audience. The store applies the rules every delivery
/// shares: the actor is never told of their own action; nobody is told of what they may not
/// read (content of a community that is not open, for non-members); one event tells a person
/// once (the first delivery that reaches them: deliveries come most specific first); and an
/// unread notification of the same `group` collapses the new one into itself (count + 1, the
/// latest actor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub audience: Audience,
    pub kind: NotificationKind,
    pub group: String,
    pub subject: Subject,
    pub actor: Option<PersonId>,
    /// Whether it is about the community's content, which its audience must be able to read
    /// (else it is about their place in the community: an invitation, a decision).
    pub content: bool,
    /// How many events it stands for (a saved search's new matches; else one).
    pub count: u64,
}

/// The deliveries `event` makes, most specific first.
pub fn deliveries(event: &HubEvent) -> Vec<Delivery> {
    match event {
        HubEvent::ReplyPosted {
            reply, replied_to, ..
        } if reply.status == PostStatus::Approved => replied(reply, *replied_to),
        HubEvent::PostApproved {
            post,
            replied_to: Some(replied_to),
            ..
        } => replied(post, Some(*replied_to)),
        HubEvent::ThreadStarted { opening, .. } if opening.status == PostStatus::Approved => {
            vec![community_activity(
                opening.community,
                post_subject(opening),
                opening.author,
            )]
        }
        HubEvent::PracticePublished {
            practice,
            community: Some(community),
            author,
            ..
        } => vec![community_activity(
            *community,
            practice_subject(*practice, Some(*community)),
            *author,
        )],
        HubEvent::Mentioned { post, person, .. } if post.status == PostStatus::Approved => {
            vec![Delivery {
                audience: Audience::Person(*person),
                kind: NotificationKind::Mentioned,
                group: format!("mentioned:{}", post.post),
                subject: post_subject(post),
                actor: Some(post.author),
                content: true,
                count: 1,
            }]
        }
        HubEvent::AnswerAccepted {
            answer,
            accepted_by,
            ..
        } => vec![Delivery {
            audience: Audience::Person(answer.author),
            kind: NotificationKind::AnswerAccepted,
            group: format!("accepted:{}", answer.thread),
            subject: post_subject(answer),
            actor: Some(*accepted_by),
            content: true,
            count: 1,
        }],
        HubEvent::PracticeEndorsed {
            practice,
            community,
            author,
            endorser,
            ..
        } => vec![to_author(
            NotificationKind::PracticeEndorsed,
            practice_subject(*practice, *community),
            *author,
            Some(*endorser),
        )],
        HubEvent::PracticePromoted {
            practice,
            community,
            author,
            promotion,
        } => vec![to_author(
            NotificationKind::PracticePromoted,
            practice_subject(*practice, *community),
            *author,
            match &promotion.reason {
                PromotionReason::Facilitator { by, .. } => Some(*by),
                PromotionReason::Endorsements { .. } => None,
            },
        )],
        HubEvent::PracticeAdopted {
            practice,
            community,
            author,
            recorded_by,
            ..
        } => vec![to_author(
            NotificationKind::PracticeAdopted,
            practice_subject(*practice, *community),
            *author,
            Some(*recorded_by),
        )],
        HubEvent::Invited {
            community,
            person,
            by,
            ..
        } => vec![about_membership(
            NotificationKind::Invited,
            *community,
            *person,
            *by,
            None,
        )],
        HubEvent::MembershipDecided {
            community,
            person,
            approved,
            by,
            ..
        } => vec![about_membership(
            NotificationKind::MembershipDecided,
            *community,
            *person,
            *by,
            Some(*approved),
        )],
        HubEvent::BadgeAwarded { person, badge, .. } => vec![Delivery {
            audience: Audience::Person(*person),
            kind: NotificationKind::BadgeAwarded,
            group: format!("badge:{}", badge.as_str()),
            subject: Subject {
                badge: Some(*badge),
                ..Subject::default()
            },
            actor: None,
            content: false,
            count: 1,
        }],
        HubEvent::SavedSearchMatched {
            search,
            owner,
            count,
            ..
        } => vec![Delivery {
            audience: Audience::Person(*owner),
            kind: NotificationKind::SavedSearchMatch,
            group: format!("saved:{search}"),
            subject: Subject {
                saved_search: Some(*search),
                ..Subject::default()
            },
            actor: None,
            content: false,
            count: *count,
        }],
        HubEvent::WebhookDisabled { webhook, told, .. } => vec![Delivery {
            audience: Audience::Person(*told),
            kind: NotificationKind::WebhookDisabled,
            group: format!("webhook:{webhook}"),
            subject: Subject {
                webhook: Some(*webhook),
                ..Subject::default()
            },
            actor: None,
            content: false,
            count: 1,
        }],
        _ => Vec::new(),
    }
}

/// An invitation or a decision, told to the person it concerns.
fn about_membership(
    kind: NotificationKind,
    community: CommunityId,
    person: PersonId,
    by: PersonId,
    approved: Option<bool>,
) -> Delivery {
    Delivery {
        audience: Audience::Person(person),
        kind,
        group: format!("{}:{community}", kind.as_str()),
        subject: Subject {
            community: Some(community),
            approved,
            ..Subject::default()
        },
        actor: Some(by),
        content: false,
        count: 1,
    }
}

/// A visible reply: its addressee (the author of the post it answers, else of the thread) is
/// told REPLIED; the thread's watchers, THREAD_ACTIVITY.
fn replied(reply: &PostRef, replied_to: Option<PersonId>) -> Vec<Delivery> {
    let subject = post_subject(reply);
    let addressee = replied_to.map(|person| Delivery {
        audience: Audience::Person(person),
        kind: NotificationKind::Replied,
        group: format!("replied:{}", reply.thread),
        subject,
        actor: Some(reply.author),
        content: true,
        count: 1,
    });
    let watchers = Delivery {
        audience: Audience::ThreadWatchers(reply.thread),
        kind: NotificationKind::ThreadActivity,
        group: format!("activity:{}", reply.thread),
        subject,
        actor: Some(reply.author),
        content: true,
        count: 1,
    };
    addressee.into_iter().chain([watchers]).collect()
}

fn community_activity(community: CommunityId, subject: Subject, actor: PersonId) -> Delivery {
    Delivery {
        audience: Audience::CommunityWatchers(community),
        kind: NotificationKind::CommunityActivity,
        group: format!("activity:{community}"),
        subject,
        actor: Some(actor),
        content: true,
        count: 1,
    }
}

/// A practice's author is told, collapsed per practice and kind.
fn to_author(
    kind: NotificationKind,
    subject: Subject,
    author: PersonId,
    actor: Option<PersonId>,
) -> Delivery {
    let practice = subject.practice.map(|p| p.to_string()).unwrap_or_default();
    Delivery {
        audience: Audience::Person(author),
        kind,
        group: format!("{}:{practice}", kind.as_str()),
        subject,
        actor,
        content: true,
        count: 1,
    }
}

fn post_subject(post: &PostRef) -> Subject {
    Subject {
        community: Some(post.community),
        thread: Some(post.thread),
        post: Some(post.post),
        ..Subject::default()
    }
}

fn practice_subject(practice: PracticeId, community: Option<CommunityId>) -> Subject {
    Subject {
        community,
        practice: Some(practice),
        ..Subject::default()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::{Audience, deliveries};
    use crate::community::CommunityId;
    use crate::conversation::{PostId, PostStatus, ThreadId};
    use crate::events::{HubEvent, PostRef};
    use crate::notification::NotificationKind;
    use crate::person::PersonId;

    fn reply(status: PostStatus) -> PostRef {
        PostRef {
            post: PostId::generate(),
            thread: ThreadId::generate(),
            community: CommunityId::generate(),
            author: PersonId::generate(),
            status,
        }
    }

    #[test]
    fn a_reply_tells_its_addressee_before_the_watchers_and_a_pending_one_tells_no_one() {
        let to = PersonId::generate();
        let posted = |status| HubEvent::ReplyPosted {
            reply: reply(status),
            replied_to: Some(to),
            at: Utc::now(),
        };
        let told = deliveries(&posted(PostStatus::Approved));
        let kinds: Vec<_> = told.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [NotificationKind::Replied, NotificationKind::ThreadActivity]
        );
        assert_eq!(told[0].audience, Audience::Person(to));
        assert!(deliveries(&posted(PostStatus::Pending)).is_empty());
    }
}
