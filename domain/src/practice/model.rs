//! Practices, their revisions, endorsements, adoptions and promotion.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::content::{PracticeContent, PracticeField};
use crate::community::CommunityId;
use crate::moderation::Moderated;
use crate::organisation::OrganisationId;
use crate::person::PersonId;
use crate::slug::Slug;

crate::entity_id!(
    /// Identifies a practice.
    PracticeId
);

/// Where a practice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PracticeStatus {
    /// Being written; only its author sees it.
    Draft,
    Published,
    /// Practice worth repeating.
    Promoted,
    /// Kept for the record; no longer endorsed or adopted.
    Archived,
}

stable_names!(PracticeStatus {
    Draft => "DRAFT",
    Published => "PUBLISHED",
    Promoted => "PROMOTED",
    Archived => "ARCHIVED",
});

impl PracticeStatus {
    /// Whether peers can see it, endorse it and adopt it.
    pub fn is_live(self) -> bool {
        matches!(self, Self::Published | Self::Promoted)
    }

    /// Whether edits keep a revision (everything after publication does).
    pub fn keeps_revisions(self) -> bool {
        self != Self::Draft
    }
}

/// Why a practice became practice worth repeating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PromotionReason {
    /// Endorsements from this many organisations other than the author's reached the threshold.
    Endorsements { organisations: u32, threshold: u32 },
    /// A facilitator of its community promoted it.
    Facilitator { by: PersonId, note: String },
}

/// When and why a practice was promoted. Recorded once; later withdrawals do not undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub at: DateTime<Utc>,
    pub reason: PromotionReason,
}

/// A story of practice.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub id: PracticeId,
    /// Fixed at creation: links keep working when the title changes.
    pub slug: Slug,
    pub content: PracticeContent,
    pub author: PersonId,
    /// The author's organisation when they wrote it.
    pub organisation: Option<OrganisationId>,
    pub community: Option<CommunityId>,
    pub status: PracticeStatus,
    pub endorsement_count: u64,
    pub adoption_count: u64,
    /// The latest revision's number; 0 while a draft.
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub promotion: Option<Promotion>,
    /// Why and since when it is hidden (by a facilitator or members' flags): only its author
    /// and its community's facilitators read it meanwhile.
    pub hidden: Option<Moderated>,
}

/// One state of a published practice: who changed what, when, and what it said before.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub practice: PracticeId,
    /// 1 is the text as published.
    pub number: u32,
    pub editor: PersonId,
    pub created_at: DateTime<Utc>,
    /// The fields this revision changed (every field for revision 1).
    pub changed: Vec<PracticeField>,
    /// The whole content as of this revision.
    pub content: PracticeContent,
    /// The changed fields' text before this revision (empty for revision 1).
    pub previous: Vec<(PracticeField, String)>,
}

/// A peer's endorsement.
#[derive(Debug, Clone, PartialEq)]
pub struct Endorsement {
    pub practice: PracticeId,
    pub person: PersonId,
    /// The endorser's organisation when they endorsed.
    pub organisation: Option<OrganisationId>,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

/// How an adoption went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdoptionOutcome {
    InProgress,
    Successful,
    Mixed,
    Unsuccessful,
}

stable_names!(AdoptionOutcome {
    InProgress => "IN_PROGRESS",
    Successful => "SUCCESSFUL",
    Mixed => "MIXED",
    Unsuccessful => "UNSUCCESSFUL",
});

/// An organisation's record that it tried the practice.
#[derive(Debug, Clone, PartialEq)]
pub struct Adoption {
    pub practice: PracticeId,
    pub organisation: OrganisationId,
    /// Who recorded it.
    pub person: PersonId,
    pub outcome: AdoptionOutcome,
    /// Markdown.
    pub notes: String,
    pub created_at: DateTime<Utc>,
}

/// What the store applies, in the endorsement's own transaction, to decide promotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromotionRule {
    /// Distinct endorsing organisations needed.
    pub threshold: u32,
    /// Endorsements from this organisation do not count.
    pub author_organisation: Option<OrganisationId>,
}

impl PromotionRule {
    /// Whether endorsements from `organisations` distinct other organisations promote.
    pub fn promotes(&self, organisations: u32) -> bool {
        organisations >= self.threshold
    }
}

/// Narrows a list of practices.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeFilter {
    pub community: Option<CommunityId>,
    pub organisation: Option<OrganisationId>,
    pub author: Option<PersonId>,
    pub tag: Option<String>,
    pub service_area: Option<String>,
    /// Which statuses to include; drafts only ever match the reader's own.
    pub statuses: Vec<PracticeStatus>,
}

impl Default for PracticeFilter {
    fn default() -> Self {
        Self {
            community: None,
            organisation: None,
            author: None,
            tag: None,
            service_area: None,
            statuses: vec![PracticeStatus::Published, PracticeStatus::Promoted],
        }
    }
}

/// How a list of practices is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PracticeOrder {
    /// Most recently published first (drafts: most recently created).
    #[default]
    Newest,
    MostEndorsed,
    MostAdopted,
}

/// What the store is asked for: the filter, narrowed to what the reader may see.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeQuery {
    pub filter: PracticeFilter,
    /// The reader: their drafts and their communities' practices become visible. `None` for
    /// anonymous readers.
    pub reader: Option<PersonId>,
}
