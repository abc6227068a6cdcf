//! Saved searches in SQL; a filter is kept as JSON of its stable spellings.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::community::CommunityId;
use khub_domain::organisation::OrganisationId;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::SavedSearchRepository;
use khub_domain::practice::PracticeStatus;
use khub_domain::search::{
    SavedQuery, SavedSearch, SavedSearchId, SearchFilter, SearchKind, SearchName,
};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::saved_search as row;
use super::keyset;
use crate::error::ResultExt;

/// The saved-search repository over sea-orm.
#[derive(Clone)]
pub struct SqlSavedSearches {
    db: DatabaseConnection,
}

impl SqlSavedSearches {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// A filter as stored.
#[derive(Serialize, Deserialize, Default)]
struct StoredFilter {
    kinds: Vec<String>,
    community: Option<Uuid>,
    tag: Option<String>,
    service_area: Option<String>,
    organisation: Option<Uuid>,
    author: Option<Uuid>,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    practice_statuses: Vec<String>,
}

impl From<&SearchFilter> for StoredFilter {
    fn from(filter: &SearchFilter) -> Self {
        Self {
            kinds: filter.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            community: filter.community.map(|c| c.as_uuid()),
            tag: filter.tag.clone(),
            service_area: filter.service_area.clone(),
            organisation: filter.organisation.map(|o| o.as_uuid()),
            author: filter.author.map(|a| a.as_uuid()),
            from: filter.from,
            until: filter.until,
            practice_statuses: filter
                .practice_statuses
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
        }
    }
}

impl StoredFilter {
    fn into_filter(self) -> SearchFilter {
        SearchFilter {
            kinds: self
                .kinds
                .iter()
                .filter_map(|k| SearchKind::parse(k))
                .collect(),
            community: self.community.map(CommunityId::from_uuid),
            tag: self.tag,
            service_area: self.service_area,
            organisation: self.organisation.map(OrganisationId::from_uuid),
            author: self.author.map(PersonId::from_uuid),
            from: self.from,
            until: self.until,
            created_after: None,
            practice_statuses: self
                .practice_statuses
                .iter()
                .filter_map(|s| PracticeStatus::parse(s))
                .collect(),
        }
    }
}

fn to_row(search: &SavedSearch) -> DomainResult<row::ActiveModel> {
    let filter = serde_json::to_string(&StoredFilter::from(&search.filter))
        .context("encode saved search filter")?;
    Ok(row::ActiveModel {
        id: Set(search.id.as_uuid()),
        owner_id: Set(search.owner.as_uuid()),
        name: Set(search.name.as_str().to_owned()),
        query: Set(search.query.text().to_owned()),
        filter: Set(filter),
        created_at: Set(search.created_at),
        seen_at: Set(search.seen_at),
        // Kept by the notifier alone (`claim_to_check`).
        notified_at: NotSet,
    })
}

fn to_search(row: row::Model) -> DomainResult<SavedSearch> {
    let broken = |e: DomainError| {
        DomainError::unavailable(format!("read saved search {}", row.id), e.to_string())
    };
    let filter: StoredFilter = serde_json::from_str(&row.filter)
        .map_err(|e| DomainError::unavailable(format!("read saved search {}", row.id), e))?;
    Ok(SavedSearch {
        id: SavedSearchId::from_uuid(row.id),
        owner: PersonId::from_uuid(row.owner_id),
        name: SearchName::parse(&row.name).map_err(broken)?,
        query: SavedQuery::parse(&row.query).map_err(broken)?,
        filter: filter.into_filter(),
        created_at: row.created_at,
        seen_at: row.seen_at,
    })
}

#[async_trait]
impl SavedSearchRepository for SqlSavedSearches {
    async fn create(&self, search: &SavedSearch) -> DomainResult<()> {
        to_row(search)?
            .insert(&self.db)
            .await
            .context("save search")?;
        Ok(())
    }

    async fn find(&self, id: SavedSearchId) -> DomainResult<Option<SavedSearch>> {
        row::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .context("find saved search")?
            .map(to_search)
            .transpose()
    }

    async fn list(&self, owner: PersonId, page: &PageRequest) -> DomainResult<Page<SavedSearch>> {
        let select = row::Entity::find().filter(row::Column::OwnerId.eq(owner.as_uuid()));
        keyset::page(
            &self.db,
            select,
            (row::Column::CreatedAt, row::Column::Id),
            true,
            page,
            keyset::read_time_and_id,
            |row| Ok((keyset::time_and_id(row.created_at, row.id), to_search(row)?)),
        )
        .await
    }

    async fn count(&self, owner: PersonId) -> DomainResult<u64> {
        row::Entity::find()
            .filter(row::Column::OwnerId.eq(owner.as_uuid()))
            .count(&self.db)
            .await
            .context("count saved searches")
    }

    async fn update(&self, search: &SavedSearch) -> DomainResult<()> {
        to_row(search)?
            .update(&self.db)
            .await
            .context("update saved search")?;
        Ok(())
    }

    async fn delete(&self, id: SavedSearchId) -> DomainResult<bool> {
        let deleted = row::Entity::delete_by_id(id.as_uuid())
            .exec(&self.db)
            .await
            .context("delete saved search")?;
        Ok(deleted.rows_affected > 0)
    }

    async fn find_many(&self, ids: &[SavedSearchId]) -> DomainResult<Vec<SavedSearch>> {
        let ids: Vec<Uuid> = ids.iter().map(SavedSearchId::as_uuid).collect();
        row::Entity::find()
            .filter(row::Column::Id.is_in(ids))
            .all(&self.db)
            .await
            .context("read saved searches")?
            .into_iter()
            .map(to_search)
            .collect()
    }

    async fn claim_to_check(
        &self,
        now: DateTime<Utc>,
        checked_before: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<(SavedSearch, DateTime<Utc>)>> {
        let due = Condition::any()
            .add(row::Column::NotifiedAt.is_null())
            .add(row::Column::NotifiedAt.lte(checked_before));
        let candidates = row::Entity::find()
            .filter(due)
            .order_by_asc(row::Column::NotifiedAt)
            .limit(limit)
            .all(&self.db)
            .await
            .context("find saved searches to check")?;
        let mut claimed = Vec::new();
        for candidate in candidates {
            // Compare-and-set: an instance claiming at the same time finds it moved on.
            let unchanged = match candidate.notified_at {
                Some(at) => row::Column::NotifiedAt.eq(at),
                None => row::Column::NotifiedAt.is_null(),
            };
            let moved = row::Entity::update_many()
                .col_expr(row::Column::NotifiedAt, Expr::value(now))
                .filter(row::Column::Id.eq(candidate.id))
                .filter(unchanged)
                .exec(&self.db)
                .await
                .context("claim a saved search")?;
            if moved.rows_affected == 1 {
                let since = candidate
                    .notified_at
                    .map_or(candidate.seen_at, |at| at.max(candidate.seen_at));
                claimed.push((to_search(candidate)?, since));
            }
        }
        Ok(claimed)
    }

    async fn mark_seen(&self, id: SavedSearchId, at: DateTime<Utc>) -> DomainResult<()> {
        row::Entity::update_many()
            .col_expr(row::Column::SeenAt, Expr::value(at))
            .filter(row::Column::Id.eq(id.as_uuid()))
            .exec(&self.db)
            .await
            .context("mark saved search seen")?;
        Ok(())
    }
}
