//! `khub reputation rebuild`: every total recomputed from the ledger alone.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::ports::RebuildReport;
use khub_domain::reputation::Period;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait,
};
use uuid::Uuid;

use super::ledger::OVERALL;
use crate::db::entity::{reputation_event as event, reputation_score as score};
use crate::error::ResultExt;

type Key = (Uuid, Uuid, &'static str, DateTime<Utc>);

/// Recomputes the totals, reports whether the maintained ones already matched, and replaces
/// them, in one transaction.
pub(super) async fn rebuild(db: &DatabaseConnection) -> DomainResult<RebuildReport> {
    let tx = db.begin().await.context("begin rebuild")?;
    let entries = event::Entity::find()
        .all(&tx)
        .await
        .context("read the ledger")?;
    let rebuilt = totals(&entries);
    let maintained: HashMap<Key, i64> = score::Entity::find()
        .all(&tx)
        .await
        .context("read maintained totals")?
        .into_iter()
        .filter(|row| row.points != 0)
        .filter_map(|row| {
            let period = Period::parse(&row.period)?;
            Some((
                (row.person_id, row.scope, period.as_str(), row.bucket),
                row.points,
            ))
        })
        .collect();
    let matched = maintained == rebuilt;
    replace(&tx, &rebuilt).await?;
    tx.commit().await.context("commit rebuild")?;
    Ok(RebuildReport {
        entries: entries.len() as u64,
        totals: rebuilt.len() as u64,
        matched,
    })
}

/// Every non-zero total the ledger implies.
fn totals(entries: &[event::Model]) -> HashMap<Key, i64> {
    let mut totals: HashMap<Key, i64> = HashMap::new();
    for entry in entries {
        let scopes = std::iter::once(OVERALL).chain(entry.community_id);
        for scope in scopes {
            for period in Period::ALL {
                let key = (
                    entry.person_id,
                    scope,
                    period.as_str(),
                    period.bucket(entry.created_at),
                );
                *totals.entry(key).or_default() += entry.points;
            }
        }
    }
    totals.retain(|_, points| *points != 0);
    totals
}

async fn replace(db: &impl ConnectionTrait, totals: &HashMap<Key, i64>) -> DomainResult<()> {
    score::Entity::delete_many()
        .exec(db)
        .await
        .context("clear totals")?;
    let rows: Vec<score::ActiveModel> = totals
        .iter()
        .map(
            |((person, scope, period, bucket), points)| score::ActiveModel {
                person_id: Set(*person),
                scope: Set(*scope),
                period: Set((*period).to_owned()),
                bucket: Set(*bucket),
                points: Set(*points),
            },
        )
        .collect();
    for chunk in rows.chunks(500) {
        score::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .context("store rebuilt totals")?;
    }
    Ok(())
}
