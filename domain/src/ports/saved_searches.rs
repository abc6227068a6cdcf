use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::DomainResult;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::search::{SavedSearch, SavedSearchId};

/// Where saved searches are kept.
#[async_trait]
pub trait SavedSearchRepository: Send + Sync {
    async fn create(&self, search: &SavedSearch) -> DomainResult<()>;
    async fn find(&self, id: SavedSearchId) -> DomainResult<Option<SavedSearch>>;
    async fn find_many(&self, ids: &[SavedSearchId]) -> DomainResult<Vec<SavedSearch>>;
    /// The person's searches, newest first.
    async fn list(&self, owner: PersonId, page: &PageRequest) -> DomainResult<Page<SavedSearch>>;
    async fn count(&self, owner: PersonId) -> DomainResult<u64>;
    /// Stores its name, query and filter as given.
    async fn update(&self, search: &SavedSearch) -> DomainResult<()>;
    async fn delete(&self, id: SavedSearchId) -> DomainResult<bool>;
    async fn mark_seen(&self, id: SavedSearchId, at: DateTime<Utc>) -> DomainResult<()>;
    /// Claims up to `limit` searches not checked for new matches since `checked_before` (each
    /// marked checked at `now`, so no other instance checks it too): each with what its check
    /// covers, matches created after the later of its owner's last look and its last check.
    async fn claim_to_check(
        &self,
        now: DateTime<Utc>,
        checked_before: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<(SavedSearch, DateTime<Utc>)>>;
}
