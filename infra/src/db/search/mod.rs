//! Search over the hub's own database: PostgreSQL full-text search or SQLite FTS5, behind one
//! port. A search reads one window: the newest [`MAX_RESULTS`] documents that match the query,
//! the reader's visibility and the filter (see [`filters`]), each with its score; it ranks,
//! pages, counts and tallies facets from that one read, then highlights the page. The window
//! bounds what a search for common words costs; the ranking orders what it holds.

pub(crate) mod documents;
mod facets;
mod filters;
mod path;
mod postgres;
mod rebuild;
mod sqlite;
mod window;

use std::collections::HashMap;

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
use path::Lexicons;
use window::Entry;

/// How many matches a search considers, newest first, and so how deep it pages.
const MAX_RESULTS: u64 = 300;

/// The search index over sea-orm.
#[derive(Clone)]
pub struct SqlSearch {
    db: DatabaseConnection,
    lexicons: Lexicons,
}

impl SqlSearch {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            lexicons: Lexicons::default(),
        }
    }

    fn backend(&self) -> DatabaseBackend {
        self.db.get_database_backend()
    }
}

/// The matched field and highlighted text of each hit of a page, by id.
type Snippets = HashMap<Uuid, (String, String)>;

impl SqlSearch {
    /// The documents that match the query and the request's visibility and filter: the FROM
    /// and WHERE every search statement starts from.
    async fn matching(&self, request: &SearchRequest) -> DomainResult<SelectStatement> {
        Ok(match self.backend() {
            DatabaseBackend::Postgres => {
                let lexicon = self.lexicons.current(&self.db).await?;
                postgres::matching(request, lexicon.path(&request.query))
            }
            _ => sqlite::matching(request),
        })
    }

    async fn window(&self, request: &SearchRequest) -> DomainResult<Vec<Entry>> {
        window::read(&self.db, request, self.matching(request).await?).await
    }

    /// One page of the window's hits, with their snippets.
    async fn page(
        &self,
        request: &SearchRequest,
        window: &[Entry],
        page: &PageRequest,
    ) -> DomainResult<Page<SearchHit>> {
        let offset = match &page.after {
            Some(cursor) => keyset::read_int(cursor)
                .and_then(|n| usize::try_from(n).ok())
                .map(|n| n + 1)
                .ok_or_else(|| DomainError::invalid("after", "INVALID", "not a search cursor"))?,
            None => 0,
        };
        let shown: Vec<&Entry> = window.iter().skip(offset).take(page.limit).collect();
        let ids = shown.iter().map(|entry| entry.id).collect();
        let mut snippets = match self.backend() {
            DatabaseBackend::Postgres => postgres::snippets(&self.db, &request.query, ids).await?,
            _ => sqlite::snippets(&self.db, &request.query, ids).await?,
        };
        let items = shown
            .into_iter()
            .zip(offset..)
            .map(|(entry, at)| {
                let (field, marked) = snippets.remove(&entry.id).unwrap_or_default();
                (keyset::int(at as i64), hit(entry, &field, &marked))
            })
            .collect::<Vec<_>>();
        Ok(Page {
            has_previous_page: offset > 0,
            has_next_page: offset + items.len() < window.len(),
            total_count: page.with_total.then_some(window.len() as u64),
            items,
        })
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
        let window = self.window(request).await?;
        self.page(request, &window, page).await
    }

    #[tracing::instrument(skip_all)]
    async fn search_with_facets(
        &self,
        request: &SearchRequest,
        page: &PageRequest,
    ) -> DomainResult<(Page<SearchHit>, SearchFacets)> {
        let window = self.window(request).await?;
        let facets = facets::tally(&self.db, &window).await?;
        Ok((self.page(request, &window, page).await?, facets))
    }

    #[tracing::instrument(skip_all)]
    async fn count(&self, request: &SearchRequest) -> DomainResult<u64> {
        facets::count(&self.db, self.matching(request).await?).await
    }

    #[tracing::instrument(skip_all)]
    async fn facets(&self, request: &SearchRequest) -> DomainResult<SearchFacets> {
        let window = self.window(request).await?;
        facets::tally(&self.db, &window).await
    }
}

fn hit(entry: &Entry, field: &str, marked: &str) -> SearchHit {
    let item = match entry.kind {
        SearchKind::Practice => SearchItem::Practice(PracticeId::from_uuid(entry.id)),
        SearchKind::Thread => SearchItem::Thread(ThreadId::from_uuid(entry.id)),
        SearchKind::Post => SearchItem::Post(PostId::from_uuid(entry.id)),
        SearchKind::Person => SearchItem::Person(PersonId::from_uuid(entry.id)),
        SearchKind::Community => SearchItem::Community(CommunityId::from_uuid(entry.id)),
    };
    SearchHit {
        item,
        field: SearchField::parse(field).unwrap_or(SearchField::Body),
        snippet: Snippet::from_marked(marked),
    }
}

/// Reads a text column of a search statement's row.
fn text(row: &sea_orm::QueryResult, column: &str) -> DomainResult<String> {
    row.try_get("", column).context("read search row")
}
