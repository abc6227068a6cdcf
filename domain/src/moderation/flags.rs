//! Flags: readers tell a community's facilitators about content, once each; enough distinct
//! members' flags hide it pending review, as Discourse does.

use chrono::{DateTime, Utc};

use super::model::{ContentRef, LogEntry, ModerationAction, Reason};
use crate::community::CommunityId;
use crate::error::DomainError;
use crate::person::PersonId;

crate::entity_id!(
    /// Identifies a flag.
    FlagId
);

/// Why a reader flagged content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlagReason {
    Spam,
    Abusive,
    OffTopic,
    PersonalData,
    Other,
}

stable_names!(FlagReason {
    Spam => "SPAM",
    Abusive => "ABUSIVE",
    OffTopic => "OFF_TOPIC",
    PersonalData => "PERSONAL_DATA",
    Other => "OTHER",
});

/// A reader's note with a flag: at most 500 characters, trimmed; empty means none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagNote(String);

impl FlagNote {
    const MAX: usize = 500;

    pub fn parse(raw: &str) -> Result<Option<Self>, DomainError> {
        let note = raw.trim();
        if note.chars().count() > Self::MAX {
            return Err(DomainError::invalid(
                "note",
                "LENGTH",
                format!("must be at most {} characters", Self::MAX),
            ));
        }
        Ok((!note.is_empty()).then(|| Self(note.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One reader's flag on one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub id: FlagId,
    /// None for a practice that belongs to no community.
    pub community: Option<CommunityId>,
    pub content: ContentRef,
    pub flagger: PersonId,
    pub reason: FlagReason,
    pub note: Option<FlagNote>,
    pub at: DateTime<Utc>,
}

/// An item in a community's moderation queue: its open flags, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct FlaggedItem {
    pub content: ContentRef,
    pub first_flagged_at: DateTime<Utc>,
    pub flags: Vec<Flag>,
}

/// The reason shown on content its readers' flags hid.
pub(crate) fn hidden_by_flags() -> Reason {
    Reason::from_hub("hidden after members' flags, pending a facilitator's review")
}

/// The log entry for content `flag` hid by reaching the threshold.
pub(crate) fn hidden_by(flag: &Flag) -> LogEntry {
    LogEntry::new(
        flag.community,
        flag.flagger,
        ModerationAction::HiddenByFlags,
        flag.at,
    )
    .about(flag.content)
    .because(Some(hidden_by_flags()))
}
