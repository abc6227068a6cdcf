//! Practices, revisions, endorsements and adoptions in SQL.

mod lifecycle;
mod list;
mod moderation;
mod peers;
mod rows;
mod store;

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::{PracticeHiding, PracticeRepository};
use khub_domain::practice::{
    Adoption, Endorsement, Practice, PracticeChanges, PracticeId, PracticeOrder, PracticeQuery,
    Promotion, PromotionRule, Revision,
};
use khub_domain::reputation::Effects;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{practice, practice_revision as revision};
use super::keyset;
use crate::db::one_of::one_of;
use crate::error::ResultExt;
use rows::{new_row, to_revision};
use store::replace_tags;
pub(crate) use store::with_tags;

/// The practice repository over sea-orm.
#[derive(Clone)]
pub struct SqlPractices {
    db: DatabaseConnection,
}

impl SqlPractices {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl PracticeRepository for SqlPractices {
    #[tracing::instrument(skip_all, fields(slug = %practice.slug))]
    async fn create(&self, practice: &Practice) -> DomainResult<()> {
        let tx = self.db.begin().await.context("begin practice insert")?;
        new_row(practice)?
            .insert(&tx)
            .await
            .context("insert practice")?;
        replace_tags(&tx, practice.id, &practice.content.tags).await?;
        tx.commit().await.context("commit practice insert")
    }

    async fn find_by_slug(&self, slug: &str) -> DomainResult<Option<Practice>> {
        let row = practice::Entity::find()
            .filter(practice::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .context("find practice by slug")?;
        Ok(with_tags(&self.db, row.into_iter().collect()).await?.pop())
    }

    async fn find_by_ids(&self, ids: &[PracticeId]) -> DomainResult<Vec<Practice>> {
        let uuids: Vec<Uuid> = ids.iter().map(PracticeId::as_uuid).collect();
        let rows = practice::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                practice::Column::Id,
                uuids,
            ))
            .all(&self.db)
            .await
            .context("find practices by id")?;
        with_tags(&self.db, rows).await
    }

    async fn list(
        &self,
        query: &PracticeQuery,
        order: PracticeOrder,
        page: &PageRequest,
    ) -> DomainResult<Page<Practice>> {
        let condition = list::condition(query);
        let select = practice::Entity::find().filter(condition.clone());
        let rows = match order {
            PracticeOrder::Newest => {
                let columns = (practice::Column::ListedAt, practice::Column::Id);
                keyset::fetch(
                    &self.db,
                    select,
                    columns,
                    true,
                    page,
                    keyset::read_time_and_id,
                )
                .await?
            }
            PracticeOrder::MostEndorsed | PracticeOrder::MostAdopted => {
                let counter = match order {
                    PracticeOrder::MostAdopted => practice::Column::AdoptionCount,
                    _ => practice::Column::EndorsementCount,
                };
                keyset::fetch(
                    &self.db,
                    select,
                    (counter, practice::Column::Id),
                    true,
                    page,
                    keyset::read_int_and_id,
                )
                .await?
            }
        };
        let total =
            keyset::total(&self.db, practice::Entity::find().filter(condition), page).await?;
        let cursors: Vec<_> = rows
            .iter()
            .map(|row| match order {
                PracticeOrder::Newest => keyset::time_and_id(row.listed_at, row.id),
                PracticeOrder::MostEndorsed => keyset::int_and_id(row.endorsement_count, row.id),
                PracticeOrder::MostAdopted => keyset::int_and_id(row.adoption_count, row.id),
            })
            .collect();
        let practices = with_tags(&self.db, rows).await?;
        let items = cursors.into_iter().zip(practices).collect();
        Ok(Page::from_overfetch(items, page, total))
    }

    async fn edit(
        &self,
        id: PracticeId,
        changes: &PracticeChanges,
        editor: PersonId,
        now: DateTime<Utc>,
    ) -> DomainResult<Practice> {
        lifecycle::edit(&self.db, id, changes, editor, now).await
    }

    async fn publish(
        &self,
        id: PracticeId,
        editor: PersonId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<Option<Practice>> {
        lifecycle::publish(&self.db, id, editor, now, effects).await
    }

    async fn endorse(
        &self,
        endorsement: &Endorsement,
        rule: PromotionRule,
        on_endorsed: &Effects,
        on_promoted: &Effects,
    ) -> DomainResult<Option<Promotion>> {
        peers::endorse(&self.db, endorsement, rule, on_endorsed, on_promoted).await
    }

    async fn withdraw_endorsement(
        &self,
        id: PracticeId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<bool> {
        peers::withdraw_endorsement(&self.db, id, person, effects).await
    }

    async fn promote(
        &self,
        id: PracticeId,
        promotion: &Promotion,
        effects: &Effects,
    ) -> DomainResult<bool> {
        peers::promote(&self.db, id, promotion, effects).await
    }

    async fn archive(&self, id: PracticeId, now: DateTime<Utc>) -> DomainResult<bool> {
        lifecycle::archive(&self.db, id, now).await
    }

    async fn set_hidden(&self, change: &PracticeHiding, effects: &Effects) -> DomainResult<bool> {
        moderation::set_hidden(&self.db, change, effects).await
    }

    async fn adopt(&self, adoption: &Adoption, effects: &Effects) -> DomainResult<()> {
        peers::adopt(&self.db, adoption, effects).await
    }

    async fn revisions(&self, id: PracticeId, page: &PageRequest) -> DomainResult<Page<Revision>> {
        let select = revision::Entity::find().filter(revision::Column::PracticeId.eq(id.as_uuid()));
        keyset::page(
            &self.db,
            select,
            revision::Column::Number,
            true,
            page,
            |c| keyset::read_int(c).and_then(|n| i32::try_from(n).ok()),
            |row| Ok((keyset::int(i64::from(row.number)), to_revision(row)?)),
        )
        .await
    }

    async fn revisions_numbered(
        &self,
        id: PracticeId,
        numbers: &[u32],
    ) -> DomainResult<Vec<Revision>> {
        let numbers: Vec<i32> = numbers
            .iter()
            .filter_map(|n| i32::try_from(*n).ok())
            .collect();
        revision::Entity::find()
            .filter(revision::Column::PracticeId.eq(id.as_uuid()))
            .filter(revision::Column::Number.is_in(numbers))
            .all(&self.db)
            .await
            .context("read revisions")?
            .into_iter()
            .map(to_revision)
            .collect()
    }

    async fn endorsements(
        &self,
        id: PracticeId,
        page: &PageRequest,
    ) -> DomainResult<Page<Endorsement>> {
        peers::endorsements(&self.db, id, page).await
    }

    async fn endorsed_among(
        &self,
        person: PersonId,
        practices: &[PracticeId],
    ) -> DomainResult<HashSet<PracticeId>> {
        peers::endorsed_among(&self.db, person, practices).await
    }

    async fn adoptions(&self, id: PracticeId, page: &PageRequest) -> DomainResult<Page<Adoption>> {
        peers::adoptions(&self.db, id, page).await
    }
}
