//! Counting a search's hits, in all and by kind, tag, service area and community: the same
//! matching documents as the hits (visibility and filter applied), grouped.

use khub_domain::DomainResult;
use khub_domain::community::CommunityId;
use khub_domain::search::{MAX_FACET_VALUES, SearchFacets, SearchKind};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use uuid::Uuid;

use super::filters::column;
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

/// Counts by kind, tag, service area and community, most first.
pub(super) async fn facets(
    db: &DatabaseConnection,
    matching: impl Fn() -> SelectStatement,
) -> DomainResult<SearchFacets> {
    let kinds = grouped(db, matching(), column("kind")).await?;
    let tags = {
        let mut select = matching();
        select.inner_join(
            tag::Entity,
            Expr::col((tag::Entity, tag::Column::PracticeId)).equals(("d", "id")),
        );
        grouped(db, select, Expr::col((tag::Entity, tag::Column::Tag))).await?
    };
    let mut areas = matching();
    areas.and_where(column("service_area").is_not_null());
    let service_areas = grouped(db, areas, column("service_area")).await?;
    let mut communities = matching();
    communities.and_where(column("community_id").is_not_null());
    let communities = grouped_ids(db, communities).await?;
    Ok(SearchFacets {
        kinds: kinds
            .into_iter()
            .filter_map(|(kind, n)| SearchKind::parse(&kind).map(|kind| (kind, n)))
            .collect(),
        tags,
        service_areas,
        communities,
    })
}

async fn grouped(
    db: &DatabaseConnection,
    mut select: SelectStatement,
    by: Expr,
) -> DomainResult<Vec<(String, u64)>> {
    let rows = db
        .query_all(&group(&mut select, by))
        .await
        .context("count search facet")?;
    rows.iter()
        .map(|row| {
            let value: String = row.try_get("", "value").context("read facet")?;
            Ok((value, read_n(row)?))
        })
        .collect()
}

async fn grouped_ids(
    db: &DatabaseConnection,
    mut select: SelectStatement,
) -> DomainResult<Vec<(CommunityId, u64)>> {
    let rows = db
        .query_all(&group(&mut select, column("community_id")))
        .await
        .context("count search facet")?;
    rows.iter()
        .map(|row| {
            let value: Uuid = row.try_get("", "value").context("read facet")?;
            Ok((CommunityId::from_uuid(value), read_n(row)?))
        })
        .collect()
}

/// `SELECT <by> AS value, count(*) AS n … GROUP BY value ORDER BY n DESC, value LIMIT 20`.
fn group(select: &mut SelectStatement, by: Expr) -> SelectStatement {
    select
        .expr_as(by.clone(), Alias::new("value"))
        .expr_as(Expr::cust("count(*)"), Alias::new("n"))
        .group_by_col(Alias::new("value"))
        .order_by(Alias::new("n"), Order::Desc)
        .order_by(Alias::new("value"), Order::Asc)
        .limit(MAX_FACET_VALUES as u64)
        .to_owned()
}

fn read_n(row: &sea_orm::QueryResult) -> DomainResult<u64> {
    let n: i64 = row.try_get("", "n").context("read facet count")?;
    Ok(u64::try_from(n).unwrap_or(0))
}
