use async_trait::async_trait;

use crate::error::DomainResult;
use crate::pagination::{Page, PageRequest};
use crate::search::{SearchFacets, SearchHit, SearchRequest};

/// Where searches run: the hub's own database today (PostgreSQL full-text search, SQLite
/// FTS5). Documents are written by the repositories in the same transaction as the change
/// they reflect; a dedicated engine would implement this port and be fed the same documents.
/// Both methods apply the request's reader's visibility before ranking, paging and counting.
#[async_trait]
pub trait SearchIndex: Send + Sync {
    /// A page of hits, best first; pages by offset, since ranks are not stable keys.
    async fn search(
        &self,
        request: &SearchRequest,
        page: &PageRequest,
    ) -> DomainResult<Page<SearchHit>>;

    /// A page of hits and the facets of all of them, from one reading of the index.
    async fn search_with_facets(
        &self,
        request: &SearchRequest,
        page: &PageRequest,
    ) -> DomainResult<(Page<SearchHit>, SearchFacets)>;

    /// How many hits there are (up to the paging limit's worth counts as all).
    async fn count(&self, request: &SearchRequest) -> DomainResult<u64>;

    /// Hit counts by kind, tag, service area and community.
    async fn facets(&self, request: &SearchRequest) -> DomainResult<SearchFacets>;
}
