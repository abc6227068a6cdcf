//! What facilitators do, and the record kept of it.

use chrono::{DateTime, Utc};

use crate::community::CommunityId;
use crate::conversation::{PostId, ThreadId};
use crate::error::DomainError;
use crate::organisation::OrganisationId;
use crate::person::{OrganisationRole, Person, PersonId};
use crate::practice::PracticeId;

crate::entity_id!(
    /// Identifies an entry of a community's moderation log.
    LogEntryId
);

/// What a facilitator did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModerationAction {
    Approve,
    Reject,
    Hide,
    /// Members' flags reached the community's threshold and hid the content.
    HiddenByFlags,
    Restore,
    Lock,
    Unlock,
    Pin,
    Unpin,
    RemoveMember,
    BanMember,
    Unban,
    DismissFlags,
}

stable_names!(ModerationAction {
    Approve => "APPROVE",
    Reject => "REJECT",
    Hide => "HIDE",
    HiddenByFlags => "HIDDEN_BY_FLAGS",
    Restore => "RESTORE",
    Lock => "LOCK",
    Unlock => "UNLOCK",
    Pin => "PIN",
    Unpin => "UNPIN",
    RemoveMember => "REMOVE_MEMBER",
    BanMember => "BAN_MEMBER",
    Unban => "UNBAN",
    DismissFlags => "DISMISS_FLAGS",
});

/// Content a facilitator may act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentRef {
    Thread(ThreadId),
    Post(PostId),
    Practice(PracticeId),
}

impl ContentRef {
    pub fn kind(self) -> &'static str {
        match self {
            Self::Thread(_) => "THREAD",
            Self::Post(_) => "POST",
            Self::Practice(_) => "PRACTICE",
        }
    }

    pub fn id(self) -> uuid::Uuid {
        match self {
            Self::Thread(id) => id.as_uuid(),
            Self::Post(id) => id.as_uuid(),
            Self::Practice(id) => id.as_uuid(),
        }
    }

    /// The reference stored as `kind` and `id`; `None` for an unknown kind.
    pub fn from_parts(kind: &str, id: uuid::Uuid) -> Option<Self> {
        match kind {
            "THREAD" => Some(Self::Thread(ThreadId::from_uuid(id))),
            "POST" => Some(Self::Post(PostId::from_uuid(id))),
            "PRACTICE" => Some(Self::Practice(PracticeId::from_uuid(id))),
            _ => None,
        }
    }
}

/// Why a facilitator acted: 1–500 characters, trimmed. Shown to the author and in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    const MAX: usize = 500;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let reason = raw.trim();
        if !(1..=Self::MAX).contains(&reason.chars().count()) {
            return Err(DomainError::invalid(
                "reason",
                "LENGTH",
                format!("must be 1 to {} characters", Self::MAX),
            ));
        }
        Ok(Self(reason.to_owned()))
    }

    /// A reason the hub itself gives.
    pub(crate) fn from_hub(text: &str) -> Self {
        Self(text.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a facilitator (or members' flags) rejected or hid content, and when: kept with it so its
/// author sees why, and a restore gives back what hiding took.
#[derive(Debug, Clone, PartialEq)]
pub struct Moderated {
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// One line of a community's moderation log: append-only.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub id: LogEntryId,
    /// None for a practice that belongs to no community (hub administrators moderate those).
    pub community: Option<CommunityId>,
    pub actor: PersonId,
    pub action: ModerationAction,
    pub content: Option<ContentRef>,
    /// The person acted on (removed, banned, unbanned).
    pub subject: Option<PersonId>,
    pub reason: Option<Reason>,
    /// When a ban ends.
    pub until: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

impl LogEntry {
    /// An entry for `action` by `actor` in `community`, at `at`, about nothing yet.
    pub fn new(
        community: Option<CommunityId>,
        actor: PersonId,
        action: ModerationAction,
        at: DateTime<Utc>,
    ) -> Self {
        Self {
            id: LogEntryId::generate(),
            community,
            actor,
            action,
            content: None,
            subject: None,
            reason: None,
            until: None,
            at,
        }
    }

    pub fn about(mut self, content: ContentRef) -> Self {
        self.content = Some(content);
        self
    }

    pub fn of_person(mut self, person: PersonId) -> Self {
        self.subject = Some(person);
        self
    }

    pub fn because(mut self, reason: Option<Reason>) -> Self {
        self.reason = reason;
        self
    }

    pub fn until(mut self, until: Option<DateTime<Utc>>) -> Self {
        self.until = until;
        self
    }
}

/// A person kept out of a community until `until` (for good when none).
#[derive(Debug, Clone, PartialEq)]
pub struct Ban {
    pub community: CommunityId,
    pub person: PersonId,
    pub by: PersonId,
    pub reason: Option<Reason>,
    pub until: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

impl Ban {
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.until.is_none_or(|until| until > now)
    }
}

/// Whether `person` administers `organisation`: organisation administrators moderate, in every
/// community, what their organisation's people write and those people themselves.
pub fn administers(person: &Person, organisation: Option<OrganisationId>) -> bool {
    match (person.organisation, organisation) {
        (Some((mine, OrganisationRole::Administrator)), Some(theirs)) => mine == theirs,
        _ => false,
    }
}
