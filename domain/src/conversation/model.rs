//! Threads, posts, reactions and edit history.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::community::CommunityId;
use crate::error::{DomainError, FieldError};
pub use crate::moderation::Moderated;
use crate::person::PersonId;
use crate::practice::PracticeId;

crate::entity_id!(
    /// Identifies a thread.
    ThreadId
);

crate::entity_id!(
    /// Identifies a post: a thread's opening post or a reply.
    PostId
);

/// What kind of conversation a thread is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ThreadKind {
    Discussion,
    /// Its author or a facilitator accepts an answer.
    Question,
    /// Always facilitated: members' posts wait for approval.
    Debate,
}

stable_names!(ThreadKind { Discussion => "DISCUSSION", Question => "QUESTION", Debate => "DEBATE" });

/// Whether a post is visible to everyone who may read the thread. Any other status shows it
/// only to its author and the community's facilitators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PostStatus {
    Approved,
    /// Waits for a facilitator.
    Pending,
    /// A facilitator turned it down, with a reason for its author.
    Rejected,
    /// Taken down by a facilitator or by members' flags, pending review.
    Hidden,
}

stable_names!(PostStatus {
    Approved => "APPROVED",
    Pending => "PENDING",
    Rejected => "REJECTED",
    Hidden => "HIDDEN",
});

/// A reaction to a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReactionKind {
    Like,
    Insightful,
    Helpful,
    Support,
}

stable_names!(ReactionKind {
    Like => "LIKE",
    Insightful => "INSIGHTFUL",
    Helpful => "HELPFUL",
    Support => "SUPPORT",
});

impl ReactionKind {
    pub const ALL: [Self; 4] = [Self::Like, Self::Insightful, Self::Helpful, Self::Support];
}

/// How many of each reaction a post has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCounts {
    pub like: u32,
    pub insightful: u32,
    pub helpful: u32,
    pub support: u32,
}

impl ReactionCounts {
    pub fn get(&self, kind: ReactionKind) -> u32 {
        match kind {
            ReactionKind::Like => self.like,
            ReactionKind::Insightful => self.insightful,
            ReactionKind::Helpful => self.helpful,
            ReactionKind::Support => self.support,
        }
    }
}

/// A conversation in a community, optionally about a practice.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    pub id: ThreadId,
    pub community: CommunityId,
    pub practice: Option<PracticeId>,
    pub author: PersonId,
    pub title: String,
    pub kind: ThreadKind,
    /// The opening post's status: a pending thread is seen by its author and facilitators only.
    pub status: PostStatus,
    pub pinned: bool,
    pub locked: bool,
    pub opening_post: PostId,
    pub accepted_answer: Option<PostId>,
    /// Approved replies, deleted or not.
    pub reply_count: u64,
    /// The latest approved reply.
    pub last_reply: Option<PostId>,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
}

/// A thread's opening post or a reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub id: PostId,
    pub thread: ThreadId,
    pub author: PersonId,
    /// Markdown, as written; kept, but never served, once the post is deleted.
    pub body: String,
    /// The post this one answers, in the same thread.
    pub reply_to: Option<PostId>,
    /// 0 for the opening post, then 1, 2, … in the order posted.
    pub position: u64,
    pub status: PostStatus,
    pub mentions: Vec<PersonId>,
    pub reactions: ReactionCounts,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub edit_count: u32,
    /// A deleted post stays in the thread as a tombstone.
    pub deleted_at: Option<DateTime<Utc>>,
    /// Why it was last rejected or hidden, and when.
    pub moderation: Option<Moderated>,
}

impl Post {
    pub fn is_opening(&self) -> bool {
        self.position == 0
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// An earlier version of a post, kept when it was edited.
#[derive(Debug, Clone, PartialEq)]
pub struct PostEdit {
    pub post: PostId,
    /// 1 for the first edit.
    pub number: u32,
    /// The body before this edit.
    pub previous_body: String,
    pub edited_by: PersonId,
    pub edited_at: DateTime<Utc>,
}

/// Which posts of a thread a reader is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PostScope {
    /// Facilitators see every post, pending or not.
    All,
    /// Approved posts, and the reader's own pending ones.
    ApprovedOr(Option<PersonId>),
}

/// Which threads a list shows, ordered pinned first, then by latest activity. The store
/// applies `can_read_thread` for `reader` in the query itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadQuery {
    pub community: Option<CommunityId>,
    pub practice: Option<PracticeId>,
    pub reader: Option<PersonId>,
}

const MAX_BODY: usize = 20_000;

/// Checks a title: 3–200 characters, trimmed.
pub fn parse_title(raw: &str) -> Result<String, DomainError> {
    let title = raw.trim();
    if !(3..=200).contains(&title.chars().count()) {
        return Err(DomainError::invalid(
            "title",
            "LENGTH",
            "must be 3 to 200 characters",
        ));
    }
    Ok(title.to_owned())
}

/// Checks a post body: 1–20000 characters of Markdown, kept as written (trimmed).
pub fn parse_body(raw: &str) -> Result<String, DomainError> {
    let body = raw.trim();
    if !(1..=MAX_BODY).contains(&body.chars().count()) {
        return Err(DomainError::Invalid(vec![FieldError::new(
            "body",
            "LENGTH",
            format!("must be 1 to {MAX_BODY} characters"),
        )]));
    }
    Ok(body.to_owned())
}
