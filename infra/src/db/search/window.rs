//! The window a search reads once: the matching documents (at most `MAX_RESULTS`, newest
//! first; see `SqlSearch::matching`) with their scores, ranked here. The page, the count and the
//! facets of a search all come from one read of it.

use chrono::{DateTime, Utc};
use khub_domain::search::{SearchKind, SearchRequest};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Alias, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult};
use uuid::Uuid;

use super::filters::DOCUMENTS;
use super::{postgres, sqlite};
use crate::error::ResultExt;

/// A matching document as a search ranks and tallies it.
pub(super) struct Entry {
    pub id: Uuid,
    pub kind: SearchKind,
    pub service_area: Option<String>,
    pub community: Option<Uuid>,
    /// Higher is better.
    score: f64,
    updated_at: DateTime<Utc>,
}

/// The window, best first: by score, then most recently updated, then by id.
pub(super) async fn read(
    db: &DatabaseConnection,
    request: &SearchRequest,
    mut matching: SelectStatement,
) -> DomainResult<Vec<Entry>> {
    let backend = db.get_database_backend();
    let score = match backend {
        DatabaseBackend::Postgres => postgres::score(&request.query),
        _ => sqlite::score(),
    };
    let select = matching
        .columns(
            ["id", "kind", "service_area", "community_id", "updated_at"]
                .map(|c| (Alias::new(DOCUMENTS), Alias::new(c))),
        )
        .expr_as(score, Alias::new("score"))
        .to_owned();
    let rows = db.query_all(&select).await.context("search")?;
    let mut entries = rows.iter().map(entry).collect::<DomainResult<Vec<_>>>()?;
    entries.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.updated_at.cmp(&a.updated_at))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(entries)
}

fn entry(row: &QueryResult) -> DomainResult<Entry> {
    let read = "read search match";
    let kind: String = row.try_get("", "kind").context(read)?;
    Ok(Entry {
        id: row.try_get("", "id").context(read)?,
        kind: SearchKind::parse(&kind)
            .ok_or_else(|| DomainError::unavailable(read, format!("kind {kind}")))?,
        service_area: row.try_get("", "service_area").context(read)?,
        community: row.try_get("", "community_id").context(read)?,
        score: row.try_get("", "score").context(read)?,
        updated_at: row.try_get("", "updated_at").context(read)?,
    })
}
