//! The reputation ledger, its totals and badges in SQL.

pub(crate) mod ledger;
mod rebuild;

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::community::CommunityId;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::{RebuildReport, ReputationRepository};
use khub_domain::reputation::{
    Badge, Effects, HeldBadge, LedgerEntry, ObjectKind, ObjectRef, Period, Reason, Standing,
};
use khub_domain::{DomainError, DomainResult};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

use super::entity::{badge, reputation_event as event, reputation_score as score};
use super::keyset;
use crate::db::one_of::one_of;
use crate::db::outbox;
use crate::error::ResultExt;
use ledger::OVERALL;

/// The reputation repository over sea-orm.
#[derive(Clone)]
pub struct SqlReputation {
    db: DatabaseConnection,
}

impl SqlReputation {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl ReputationRepository for SqlReputation {
    async fn apply(&self, effects: &Effects) -> DomainResult<()> {
        let tx = self.db.begin().await.context("begin reputation")?;
        ledger::apply(&tx, effects).await?;
        outbox::commit(tx, "commit reputation").await
    }

    async fn all_time_scores(
        &self,
        keys: &[(PersonId, Option<CommunityId>)],
    ) -> DomainResult<HashMap<(PersonId, Option<CommunityId>), i64>> {
        let people: Vec<Uuid> = keys.iter().map(|(p, _)| p.as_uuid()).collect();
        let scopes: Vec<Uuid> = keys
            .iter()
            .map(|(_, c)| c.map_or(OVERALL, |c| c.as_uuid()))
            .collect();
        let rows = score::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                score::Column::PersonId,
                people,
            ))
            .filter(one_of(
                self.db.get_database_backend(),
                score::Column::Scope,
                scopes,
            ))
            .filter(score::Column::Period.eq(Period::AllTime.as_str()))
            .all(&self.db)
            .await
            .context("read reputation totals")?;
        let found: HashMap<(Uuid, Uuid), i64> = rows
            .into_iter()
            .map(|row| ((row.person_id, row.scope), row.points))
            .collect();
        Ok(keys
            .iter()
            .map(|key| {
                let scope = key.1.map_or(OVERALL, |c| c.as_uuid());
                (
                    *key,
                    found.get(&(key.0.as_uuid(), scope)).copied().unwrap_or(0),
                )
            })
            .collect())
    }

    async fn events(
        &self,
        person: PersonId,
        page: &PageRequest,
    ) -> DomainResult<Page<LedgerEntry>> {
        let select = event::Entity::find().filter(event::Column::PersonId.eq(person.as_uuid()));
        keyset::page(
            &self.db,
            select,
            (event::Column::CreatedAt, event::Column::Id),
            true,
            page,
            keyset::read_time_and_id,
            |row| Ok((keyset::time_and_id(row.created_at, row.id), to_entry(row)?)),
        )
        .await
    }

    async fn badges(&self, people: &[PersonId]) -> DomainResult<HashMap<PersonId, Vec<HeldBadge>>> {
        let uuids: Vec<Uuid> = people.iter().map(PersonId::as_uuid).collect();
        let rows = badge::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                badge::Column::PersonId,
                uuids,
            ))
            .order_by_asc(badge::Column::AwardedAt)
            .all(&self.db)
            .await
            .context("read badges")?;
        let mut held: HashMap<PersonId, Vec<HeldBadge>> = HashMap::new();
        for row in rows {
            if let Some(badge) = Badge::parse(&row.badge) {
                held.entry(PersonId::from_uuid(row.person_id))
                    .or_default()
                    .push(HeldBadge {
                        badge,
                        awarded_at: row.awarded_at,
                    });
            }
        }
        // Awarded order; badges awarded at the same instant in their own order.
        held.values_mut()
            .for_each(|badges| badges.sort_by_key(|b| (b.awarded_at, b.badge)));
        Ok(held)
    }

    async fn leaderboard(
        &self,
        community: Option<CommunityId>,
        period: Period,
        bucket: DateTime<Utc>,
        limit: usize,
    ) -> DomainResult<Vec<Standing>> {
        let scope = community.map_or(OVERALL, |c| c.as_uuid());
        let rows = score::Entity::find()
            .filter(score::Column::Scope.eq(scope))
            .filter(score::Column::Period.eq(period.as_str()))
            .filter(score::Column::Bucket.eq(bucket))
            .filter(score::Column::Points.gt(0))
            .order_by_desc(score::Column::Points)
            .order_by_asc(score::Column::PersonId)
            .limit(limit as u64)
            .all(&self.db)
            .await
            .context("read leaderboard")?;
        Ok(rows
            .into_iter()
            .map(|row| Standing {
                person: PersonId::from_uuid(row.person_id),
                points: row.points,
            })
            .collect())
    }

    async fn rebuild(&self) -> DomainResult<RebuildReport> {
        rebuild::rebuild(&self.db).await
    }
}

fn to_entry(row: event::Model) -> DomainResult<LedgerEntry> {
    let corrupt = |what: &str, value: &str| {
        DomainError::unavailable(
            format!("read {what}"),
            format!("unknown value `{value}` in ledger line {}", row.id),
        )
    };
    Ok(LedgerEntry {
        id: row.id,
        person: PersonId::from_uuid(row.person_id),
        points: row.points,
        reason: Reason::parse(&row.reason).ok_or_else(|| corrupt("reason", &row.reason))?,
        object: ObjectRef {
            kind: ObjectKind::parse(&row.object_kind)
                .ok_or_else(|| corrupt("object kind", &row.object_kind))?,
            id: row.object_id,
        },
        actor: row.actor_id.map(PersonId::from_uuid),
        community: row.community_id.map(CommunityId::from_uuid),
        at: row.created_at,
    })
}
