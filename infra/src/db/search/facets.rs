//! Counting a search's hits, in all and by kind, tag, service area and community: the same
//! window of matching documents as the hits (visibility and filter applied), tallied here,
//! since it holds at most the paging limit's worth.

use std::collections::HashMap;
use std::hash::Hash;

use khub_domain::DomainResult;
use khub_domain::community::CommunityId;
use khub_domain::search::{MAX_FACET_VALUES, SearchFacets, SearchKind};
use sea_orm::sea_query::{Alias, Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::window::Entry;
use crate::db::entity::practice_tag as tag;
use crate::error::ResultExt;

/// How many documents match.
pub(super) async fn count(
    db: &DatabaseConnection,
    mut matching: SelectStatement,
) -> DomainResult<u64> {
    let select = matching
        .expr_as(Expr::cust("count(*)"), Alias::new("n"))
        .to_owned();
    let row = db.query_one(&select).await.context("count search hits")?;
    let n: i64 = match row {
        Some(row) => row.try_get("", "n").context("read search count")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Counts by kind, tag, service area and community of the window's documents, most first.
pub(super) async fn tally(db: &DatabaseConnection, window: &[Entry]) -> DomainResult<SearchFacets> {
    let (mut kinds, mut tags, mut areas, mut communities) = Default::default();
    for entry in window {
        add(&mut kinds, Some(entry.kind));
        add(&mut areas, entry.service_area.clone());
        add(
            &mut communities,
            entry.community.map(CommunityId::from_uuid),
        );
    }
    for tag in practice_tags(db, window).await? {
        add(&mut tags, Some(tag));
    }
    Ok(SearchFacets {
        kinds: largest(kinds),
        tags: largest(tags),
        service_areas: largest(areas),
        communities: largest(communities),
    })
}

/// Every tag of every practice in the window, once per practice.
async fn practice_tags(db: &DatabaseConnection, window: &[Entry]) -> DomainResult<Vec<String>> {
    let ids: Vec<Uuid> = window
        .iter()
        .filter(|entry| entry.kind == SearchKind::Practice)
        .map(|entry| entry.id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let select = Query::select()
        .column(tag::Column::Tag)
        .from(tag::Entity)
        .and_where(tag::Column::PracticeId.is_in(ids))
        .to_owned();
    let rows = db.query_all(&select).await.context("search facet tags")?;
    rows.iter()
        .map(|row| row.try_get("", "tag").context("read facet tag"))
        .collect()
}

fn add<T: Eq + Hash>(counts: &mut HashMap<T, u64>, value: Option<T>) {
    if let Some(value) = value {
        *counts.entry(value).or_default() += 1;
    }
}

/// The [`MAX_FACET_VALUES`] most frequent values, most first, ties in their own order.
fn largest<T: Ord>(counts: HashMap<T, u64>) -> Vec<(T, u64)> {
    let mut counted: Vec<(T, u64)> = counts.into_iter().collect();
    counted.sort_by(|(a, m), (b, n)| n.cmp(m).then_with(|| a.cmp(b)));
    counted.truncate(MAX_FACET_VALUES);
    counted
}
