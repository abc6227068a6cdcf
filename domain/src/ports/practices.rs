use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::DomainResult;
use crate::moderation::Moderated;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::practice::{
    Adoption, Endorsement, Practice, PracticeChanges, PracticeId, PracticeOrder, PracticeQuery,
    Promotion, PromotionRule, Revision,
};
use crate::reputation::Effects;

/// Where practices and everything said about them are kept. `effects` on reputation are applied
/// in the same transaction as the change that earns them, and only if it took place. Each change that reads and then
/// writes a practice happens in one transaction holding the practice's row, so concurrent
/// edits, endorsements and promotions see each other.
/// A facilitator's change to whether a practice is hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeHiding {
    pub practice: PracticeId,
    /// Why and since when, while hidden; none to show it again.
    pub hidden: Option<Moderated>,
    /// Whether it must be hidden now for the change to apply.
    pub was_hidden: bool,
    /// A facilitator reviewed it: its open flags are closed.
    pub resolves_flags: bool,
    pub at: DateTime<Utc>,
}

#[async_trait]
pub trait PracticeRepository: Send + Sync {
    /// Stores a new draft.
    async fn create(&self, practice: &Practice) -> DomainResult<()>;
    async fn find_by_slug(&self, slug: &str) -> DomainResult<Option<Practice>>;
    async fn find_by_ids(&self, ids: &[PracticeId]) -> DomainResult<Vec<Practice>>;
    /// A page of the practices the query allows.
    async fn list(
        &self,
        query: &PracticeQuery,
        order: PracticeOrder,
        page: &PageRequest,
    ) -> DomainResult<Page<Practice>>;
    /// Applies `changes` to the practice as it stands (see `PracticeContent::apply`); when it
    /// is past draft and something changed, keeps a revision by `editor`.
    async fn edit(
        &self,
        id: PracticeId,
        changes: &PracticeChanges,
        editor: PersonId,
        now: DateTime<Utc>,
    ) -> DomainResult<Practice>;
    /// Publishes a draft, keeping its text as revision 1; `None` if it was no longer a draft.
    async fn publish(
        &self,
        id: PracticeId,
        editor: PersonId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<Option<Practice>>;
    /// Records an endorsement (ALREADY_ENDORSED if the person has one) and, in the same
    /// transaction, promotes a PUBLISHED practice once `rule` is met. Returns the promotion
    /// this endorsement caused, if it caused one: exactly one endorsement ever does. Applies
    /// `on_endorsed`, and `on_promoted` if it promoted, in the same transaction.
    async fn endorse(
        &self,
        endorsement: &Endorsement,
        rule: PromotionRule,
        on_endorsed: &Effects,
        on_promoted: &Effects,
    ) -> DomainResult<Option<Promotion>>;
    /// Removes the person's endorsement; false if there was none. Promotion stays.
    async fn withdraw_endorsement(
        &self,
        id: PracticeId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<bool>;
    /// Promotes a PUBLISHED practice; false if it was not PUBLISHED.
    async fn promote(
        &self,
        id: PracticeId,
        promotion: &Promotion,
        effects: &Effects,
    ) -> DomainResult<bool>;
    /// Archives a PUBLISHED or PROMOTED practice; false if it was neither.
    async fn archive(&self, id: PracticeId, now: DateTime<Utc>) -> DomainResult<bool>;
    /// Hides or shows the practice (only if it `was_hidden` or not, as the change expects),
    /// re-indexing it and applying `effects`; false if it was not as expected.
    async fn set_hidden(&self, change: &PracticeHiding, effects: &Effects) -> DomainResult<bool>;
    /// Records an adoption (ALREADY_ADOPTED if the organisation has one).
    async fn adopt(&self, adoption: &Adoption, effects: &Effects) -> DomainResult<()>;
    /// Revisions, newest first.
    async fn revisions(&self, id: PracticeId, page: &PageRequest) -> DomainResult<Page<Revision>>;
    /// The revisions with these numbers (absent numbers are skipped).
    async fn revisions_numbered(
        &self,
        id: PracticeId,
        numbers: &[u32],
    ) -> DomainResult<Vec<Revision>>;
    /// Endorsements, oldest first.
    async fn endorsements(
        &self,
        id: PracticeId,
        page: &PageRequest,
    ) -> DomainResult<Page<Endorsement>>;
    /// Which of `practices` `person` has endorsed.
    async fn endorsed_among(
        &self,
        person: PersonId,
        practices: &[PracticeId],
    ) -> DomainResult<HashSet<PracticeId>>;
    /// Adoptions, oldest first.
    async fn adoptions(&self, id: PracticeId, page: &PageRequest) -> DomainResult<Page<Adoption>>;
}
