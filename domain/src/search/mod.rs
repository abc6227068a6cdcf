//! Finding things: one ranked search over practices, threads, replies, people and
//! communities, with facets, as each reader may see them.

mod document;
mod listening;
mod model;
mod query;
mod saved;

use std::sync::Arc;

pub use document::SearchDocument;
pub use model::{
    MARK_END, MARK_START, MAX_FACET_VALUES, SearchFacets, SearchField, SearchFilter, SearchHit,
    SearchItem, SearchKind, SearchRequest, Snippet,
};
pub use query::{Atom, SearchQuery, is_stop_word};
pub use saved::{
    MAX_SAVED_SEARCHES, SavedQuery, SavedSearch, SavedSearchChanges, SavedSearchId, SearchName,
};

use crate::access::Actor;
use crate::error::DomainResult;
use crate::pagination::{Page, PageRequest};
use crate::policy;
use crate::ports::{Clock, SavedSearchRepository, SearchIndex};

/// The search use cases. What a reader may find is decided inside the index's query, by the
/// same rules as every other read path; the API loads each hit through those paths again.
#[derive(Clone)]
pub struct Search {
    index: Arc<dyn SearchIndex>,
    saved: Arc<dyn SavedSearchRepository>,
    clock: Arc<dyn Clock>,
}

impl Search {
    pub fn new(
        index: Arc<dyn SearchIndex>,
        saved: Arc<dyn SavedSearchRepository>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            index,
            saved,
            clock,
        }
    }

    /// A page of what the actor may find, best first.
    #[tracing::instrument(skip_all)]
    pub async fn search(
        &self,
        actor: &Actor,
        query: SearchQuery,
        filter: SearchFilter,
        page: &PageRequest,
    ) -> DomainResult<Page<SearchHit>> {
        let request = request(actor, query, filter)?;
        self.index.search(&request, page).await
    }

    /// A page of what the actor may find, and its facets, from one reading of the index.
    #[tracing::instrument(skip_all)]
    pub async fn search_with_facets(
        &self,
        actor: &Actor,
        query: SearchQuery,
        filter: SearchFilter,
        page: &PageRequest,
    ) -> DomainResult<(Page<SearchHit>, SearchFacets)> {
        let request = request(actor, query, filter)?;
        self.index.search_with_facets(&request, page).await
    }

    /// Counts of what the actor may find, by kind, tag, service area and community.
    #[tracing::instrument(skip_all)]
    pub async fn facets(
        &self,
        actor: &Actor,
        query: SearchQuery,
        filter: SearchFilter,
    ) -> DomainResult<SearchFacets> {
        let request = request(actor, query, filter)?;
        self.index.facets(&request).await
    }
}

fn request(actor: &Actor, query: SearchQuery, filter: SearchFilter) -> DomainResult<SearchRequest> {
    policy::authorize_read(actor)?;
    Ok(SearchRequest {
        query,
        filter,
        reader: actor.person().map(|person| person.id),
    })
}
