//! Notifications, what they are about, and how closely a person listens.

use chrono::{DateTime, Utc};

use crate::community::{CommunityId, Standing};
use crate::conversation::{PostId, ThreadId};
use crate::person::PersonId;
use crate::practice::PracticeId;
use crate::reputation::Badge;
use crate::search::SavedSearchId;
use crate::webhook::WebhookId;

crate::entity_id!(
    /// One notification (which may stand for several collapsed events).
    NotificationId
);

/// Why someone is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// Someone @mentioned them.
    Mentioned,
    /// Someone replied to their post, or in their thread.
    Replied,
    /// A new post in a thread they watch.
    ThreadActivity,
    /// A new thread or practice in a community they watch.
    CommunityActivity,
    /// Their reply was accepted as the answer.
    AnswerAccepted,
    PracticeEndorsed,
    PracticePromoted,
    /// Another organisation adopted their practice.
    PracticeAdopted,
    /// A facilitator invited them into a community.
    Invited,
    /// Their request to join a community was approved or rejected.
    MembershipDecided,
    /// They were awarded a badge.
    BadgeAwarded,
    /// One of their saved searches found something new.
    SavedSearchMatch,
    /// A webhook they created failed for days and was disabled.
    WebhookDisabled,
}

stable_names!(NotificationKind {
    Mentioned => "MENTIONED",
    Replied => "REPLIED",
    ThreadActivity => "THREAD_ACTIVITY",
    CommunityActivity => "COMMUNITY_ACTIVITY",
    AnswerAccepted => "ANSWER_ACCEPTED",
    PracticeEndorsed => "PRACTICE_ENDORSED",
    PracticePromoted => "PRACTICE_PROMOTED",
    PracticeAdopted => "PRACTICE_ADOPTED",
    Invited => "INVITED",
    MembershipDecided => "MEMBERSHIP_DECIDED",
    BadgeAwarded => "BADGE_AWARDED",
    SavedSearchMatch => "SAVED_SEARCH_MATCH",
    WebhookDisabled => "WEBHOOK_DISABLED",
});

/// How closely a person follows a thread or community, as Discourse users know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WatchLevel {
    /// Told of every new post (thread) or thread and practice (community).
    Watching,
    /// Counted, not told.
    Tracking,
    /// Told only of mentions and replies to them.
    Normal,
    /// Told of nothing there.
    Muted,
}

impl WatchLevel {
    /// A thread's level for someone who neither chose one nor started or replied in it.
    pub const THREAD_DEFAULT: Self = Self::Normal;

    /// A community's level for someone who chose none: members track what they joined.
    pub fn community_default(standing: &Standing) -> Self {
        if standing.is_member() {
            Self::Tracking
        } else {
            Self::Normal
        }
    }
}

stable_names!(WatchLevel {
    Watching => "WATCHING",
    Tracking => "TRACKING",
    Normal => "NORMAL",
    Muted => "MUTED",
});

/// How often someone is e-mailed about their notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailFrequency {
    /// Mentions and replies at once, each in a mail of its own.
    Immediately,
    /// A digest of what is unread, once a day.
    Daily,
    /// A digest of what is unread, once a week.
    Weekly,
    Never,
}

stable_names!(EmailFrequency {
    Immediately => "IMMEDIATELY",
    Daily => "DAILY",
    Weekly => "WEEKLY",
    Never => "NEVER",
});

impl EmailFrequency {
    /// Until someone chooses: mentions and replies at once, as most forums do.
    pub const DEFAULT: Self = Self::Immediately;

    /// How long a digest covers, for the digests.
    pub fn digest_period(self) -> Option<chrono::Duration> {
        match self {
            Self::Daily => Some(chrono::Duration::days(1)),
            Self::Weekly => Some(chrono::Duration::weeks(1)),
            Self::Immediately | Self::Never => None,
        }
    }
}

impl NotificationKind {
    /// The kinds mailed at once to those who chose IMMEDIATELY: what is addressed to them.
    pub const MAILED_AT_ONCE: [Self; 2] = [Self::Mentioned, Self::Replied];

    /// The kinds about someone's place in a community rather than its content: shown to them
    /// though they may not read what is inside (an invitation, a decision on their request).
    pub const ABOUT_MEMBERSHIP: [Self; 2] = [Self::Invited, Self::MembershipDecided];
}

/// What a notification is about: where it happened, as precisely as known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Subject {
    pub community: Option<CommunityId>,
    pub thread: Option<ThreadId>,
    pub post: Option<PostId>,
    pub practice: Option<PracticeId>,
    /// For SAVED_SEARCH_MATCH: which of their searches.
    pub saved_search: Option<SavedSearchId>,
    /// For BADGE_AWARDED: which.
    pub badge: Option<Badge>,
    /// For MEMBERSHIP_DECIDED: whether the request was approved.
    pub approved: Option<bool>,
    /// For WEBHOOK_DISABLED: which.
    pub webhook: Option<WebhookId>,
}

/// A notification as its recipient reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: NotificationId,
    pub recipient: PersonId,
    pub kind: NotificationKind,
    /// How many events it stands for (collapsed while unread).
    pub count: u64,
    /// Who caused the latest of them.
    pub actor: Option<PersonId>,
    pub subject: Subject,
    pub created_at: DateTime<Utc>,
    /// When the latest of them happened.
    pub updated_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A level a change sets unless the person chose one: you watch threads you start and track
/// threads you reply in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultWatch {
    pub person: PersonId,
    pub thread: ThreadId,
    pub level: WatchLevel,
}
