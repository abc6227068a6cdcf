//! The values a practice is described with: evidence links, status, order, adoption
//! outcomes and the list filter.

use async_graphql::{Enum, ID, InputObject, SimpleObject};
use khub_domain::practice as domain;

/// A link to evidence.
#[derive(SimpleObject)]
pub struct EvidenceLink {
    /// What it is, e.g. `Evaluation report (PDF)`.
    pub title: String,
    /// An http or https address.
    pub url: String,
}

/// A link to evidence, as written.
#[derive(InputObject)]
pub struct EvidenceLinkInput {
    /// What it is, 1–200 characters.
    pub title: String,
    /// An http or https address.
    pub url: String,
}

impl From<EvidenceLinkInput> for domain::EvidenceLink {
    fn from(link: EvidenceLinkInput) -> Self {
        Self {
            title: link.title,
            url: link.url,
        }
    }
}

/// Where a practice is in its life.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PracticeStatus {
    /// Being written; only its author sees it.
    Draft,
    /// Shared with peers.
    Published,
    /// Practice worth repeating: endorsed across organisations, or chosen by a facilitator.
    Promoted,
    /// Kept for the record.
    Archived,
}

/// How a list of practices is ordered.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum PracticeOrder {
    /// Most recently published first.
    #[default]
    Newest,
    /// Most endorsements first.
    MostEndorsed,
    /// Most adoptions first.
    MostAdopted,
}

/// How an adoption went.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AdoptionOutcome {
    /// Under way.
    InProgress,
    /// It worked here too.
    Successful,
    /// Some of it worked.
    Mixed,
    /// It did not work here.
    Unsuccessful,
}

mirror_enum!(PracticeStatus <=> domain::PracticeStatus { Draft, Published, Promoted, Archived });
mirror_enum!(PracticeOrder <=> domain::PracticeOrder { Newest, MostEndorsed, MostAdopted });
mirror_enum!(AdoptionOutcome <=> domain::AdoptionOutcome { InProgress, Successful, Mixed, Unsuccessful });

/// Narrows a list of practices.
#[derive(InputObject, Default)]
pub struct PracticeFilter {
    /// Only practices shared in this community.
    pub community_id: Option<ID>,
    /// Only practices from this organisation.
    pub organisation_id: Option<ID>,
    /// Only practices by this person.
    pub author_id: Option<ID>,
    /// Only practices with this tag.
    pub tag: Option<String>,
    /// Only practices in this service area (exact).
    pub service_area: Option<String>,
    /// Only these statuses (default PUBLISHED and PROMOTED); DRAFT lists only the viewer's own.
    pub status: Option<Vec<PracticeStatus>>,
}
