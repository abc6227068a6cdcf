//! Search over the hub's own database: PostgreSQL full-text search or SQLite FTS5, behind one
//! port. Both rank, page, count and facet inside one statement each, after the reader's
//! visibility and the filter (see [`filters`]).

pub(crate) mod documents;
mod facets;
mod filters;
mod postgres;
mod rebuild;
mod sqlite;

use async_trait::async_trait;
use khub_domain::community::CommunityId;
use khub_domain::conversation::{PostId, ThreadId};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::SearchIndex;
use khub_domain::practice::PracticeId;
use khub_domain::search::{
    SearchFacets, SearchField, SearchHit, SearchItem, SearchKind, SearchRequest, Snippet,
};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{DatabaseBackend, DatabaseConnection};
use uuid::Uuid;

pub use rebuild::{rebuild, rebuild_if_never_built};

use super::keyset;
use crate::error::ResultExt;

/// How deep a search pages: ranks past this are noise (GitHub's search stops at 1,000 too).
const MAX_RESULTS: u64 = 1_000;

/// The search index over sea-orm.
#[derive(Clone)]
pub struct SqlSearch {
    db: DatabaseConnection,
}

impl SqlSearch {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    fn backend(&self) -> DatabaseBackend {
        self.db.get_database_backend()
    }
}

/// A hit as a backend's statement returns it, before its snippet is read.
pub(super) struct Found {
    pub id: Uuid,
    pub kind: String,
    pub field: String,
    pub marked: String,
}

/// The documents that match the query and the request's visibility and filter: the FROM and
/// WHERE every search statement starts from.
fn matching(backend: DatabaseBackend, request: &SearchRequest) -> SelectStatement {
    match backend {
        DatabaseBackend::Postgres => postgres::matching(request),
        _ => sqlite::matching(request),
    }
}

#[async_trait]
impl SearchIndex for SqlSearch {
    #[tracing::instrument(skip_all)]
    async fn search(
        &self,
        request: &SearchRequest,
        page: &PageRequest,
    ) -> DomainResult<Page<SearchHit>> {
        let offset = match &page.after {
            Some(cursor) => keyset::read_int(cursor)
                .and_then(|n| u64::try_from(n).ok())
                .map(|n| n + 1)
                .ok_or_else(|| DomainError::invalid("after", "INVALID", "not a search cursor"))?,
            None => 0,
        };
        let limit = (page.limit as u64).min(MAX_RESULTS.saturating_sub(offset));
        let found = match self.backend() {
            DatabaseBackend::Postgres => {
                postgres::hits(&self.db, request, offset, limit + 1).await?
            }
            _ => sqlite::hits(&self.db, request, offset, limit + 1).await?,
        };
        let total = match page.with_total {
            true => Some(self.count(request).await?),
            false => None,
        };
        let more = found.len() as u64 > limit;
        let items = found
            .into_iter()
            .take(limit as usize)
            .zip(offset..)
            .map(|(found, at)| Ok((keyset::int(at as i64), hit(found)?)))
            .collect::<DomainResult<Vec<_>>>()?;
        Ok(Page {
            items,
            has_previous_page: offset > 0,
            has_next_page: more,
            total_count: total,
        })
    }

    #[tracing::instrument(skip_all)]
    async fn count(&self, request: &SearchRequest) -> DomainResult<u64> {
        let n = facets::count(&self.db, matching(self.backend(), request)).await?;
        Ok(n.min(MAX_RESULTS))
    }

    #[tracing::instrument(skip_all)]
    async fn facets(&self, request: &SearchRequest) -> DomainResult<SearchFacets> {
        facets::facets(&self.db, || matching(self.backend(), request)).await
    }
}

fn hit(found: Found) -> DomainResult<SearchHit> {
    let broken = || DomainError::unavailable("read search hit", format!("kind {}", found.kind));
    let item = match SearchKind::parse(&found.kind).ok_or_else(broken)? {
        SearchKind::Practice => SearchItem::Practice(PracticeId::from_uuid(found.id)),
        SearchKind::Thread => SearchItem::Thread(ThreadId::from_uuid(found.id)),
        SearchKind::Post => SearchItem::Post(PostId::from_uuid(found.id)),
        SearchKind::Person => SearchItem::Person(PersonId::from_uuid(found.id)),
        SearchKind::Community => SearchItem::Community(CommunityId::from_uuid(found.id)),
    };
    Ok(SearchHit {
        item,
        field: SearchField::parse(&found.field).unwrap_or(SearchField::Body),
        snippet: Snippet::from_marked(&found.marked),
    })
}

/// Reads a text column of a search statement's row.
fn text(row: &sea_orm::QueryResult, column: &str) -> DomainResult<String> {
    row.try_get("", column).context("read search row")
}
