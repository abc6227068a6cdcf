//! API tokens' use per day in SQL: flushed counts are added to the day's row in one upsert.

use chrono::NaiveDate;
use khub_domain::DomainResult;
use khub_domain::api_token::ApiTokenId;
use khub_domain::token_usage::DailyUsage;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::entity::api_token_usage as row;
use crate::error::ResultExt;

/// Adds each day's requests and cost to what is stored.
pub(super) async fn add(db: &DatabaseConnection, usage: &[DailyUsage]) -> DomainResult<()> {
    if usage.is_empty() {
        return Ok(());
    }
    let rows = usage.iter().map(|used| row::ActiveModel {
        token_id: Set(used.token.as_uuid()),
        day: Set(used.day),
        requests: Set(i64::try_from(used.requests).unwrap_or(i64::MAX)),
        cost: Set(i64::try_from(used.cost).unwrap_or(i64::MAX)),
    });
    let added = |column: row::Column| {
        Expr::col((row::Entity, column)).add(Expr::col((Alias::new("excluded"), column)))
    };
    let upsert = OnConflict::columns([row::Column::TokenId, row::Column::Day])
        .value(row::Column::Requests, added(row::Column::Requests))
        .value(row::Column::Cost, added(row::Column::Cost))
        .to_owned();
    row::Entity::insert_many(rows)
        .on_conflict(upsert)
        .exec_without_returning(db)
        .await
        .context("add API token usage")?;
    Ok(())
}

/// The tokens' days of use since `since`, newest first.
pub(super) async fn read(
    db: &DatabaseConnection,
    tokens: &[ApiTokenId],
    since: NaiveDate,
) -> DomainResult<Vec<DailyUsage>> {
    let ids: Vec<Uuid> = tokens.iter().map(ApiTokenId::as_uuid).collect();
    let rows = row::Entity::find()
        .filter(row::Column::TokenId.is_in(ids))
        .filter(row::Column::Day.gte(since))
        .order_by_desc(row::Column::Day)
        .all(db)
        .await
        .context("read API token usage")?;
    Ok(rows
        .into_iter()
        .map(|row| DailyUsage {
            token: ApiTokenId::from_uuid(row.token_id),
            day: row.day,
            requests: u64::try_from(row.requests).unwrap_or(0),
            cost: u64::try_from(row.cost).unwrap_or(0),
        })
        .collect())
}
