//! Practices, revisions, endorsements and adoptions in SQL.

mod list;
mod rows;
mod store;

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::PracticeRepository;
use khub_domain::practice::{
    Adoption, Endorsement, Practice, PracticeChanges, PracticeField, PracticeId, PracticeOrder,
    PracticeQuery, PracticeStatus, Promotion, PromotionReason, PromotionRule, Revision,
};
use khub_domain::reputation::Effects;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{
    practice, practice_adoption as adoption, practice_endorsement as endorsement,
    practice_revision as revision,
};
use super::keyset;
use super::reputation::ledger;
use crate::db::one_of::one_of;
use crate::error::ResultExt;
use rows::{new_row, revision_row, set_content, to_adoption, to_endorsement, to_revision};
pub(crate) use store::with_tags;
use store::{
    bump, endorsing_organisations, index, lock, on_duplicate, promote_published, read_locked,
    reindex, replace_tags,
};

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

    #[tracing::instrument(skip_all, fields(practice = %id))]
    async fn edit(
        &self,
        id: PracticeId,
        changes: &PracticeChanges,
        editor: PersonId,
        now: DateTime<Utc>,
    ) -> DomainResult<Practice> {
        let tx = self.db.begin().await.context("begin practice edit")?;
        lock(&tx, id).await?;
        let (row, current) = read_locked(&tx, id).await?;
        let (content, changed) = current.content.apply(changes);
        if changed.is_empty() {
            return Ok(current);
        }
        let keep_revision = current.status.keeps_revisions();
        let number = current.revision + u32::from(keep_revision);
        let mut update = row.into_active_model();
        set_content(&mut update, &content)?;
        update.updated_at = Set(now);
        update.revision = Set(i32::try_from(number).unwrap_or(i32::MAX));
        update.update(&tx).await.context("update practice")?;
        if changed.contains(&PracticeField::Tags) {
            replace_tags(&tx, id, &content.tags).await?;
        }
        if keep_revision {
            let previous = changed
                .iter()
                .map(|field| (*field, current.content.field_text(*field)))
                .collect();
            let kept = Revision {
                practice: id,
                number,
                editor,
                created_at: now,
                changed,
                content: content.clone(),
                previous,
            };
            revision_row(&kept)?
                .insert(&tx)
                .await
                .context("keep a revision")?;
        }
        let edited = Practice {
            content,
            updated_at: now,
            revision: number,
            ..current
        };
        index(&tx, &edited).await?;
        tx.commit().await.context("commit practice edit")?;
        Ok(edited)
    }

    #[tracing::instrument(skip_all, fields(practice = %id))]
    async fn publish(
        &self,
        id: PracticeId,
        editor: PersonId,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<Option<Practice>> {
        let tx = self.db.begin().await.context("begin publish")?;
        let published = practice::Entity::update_many()
            .col_expr(
                practice::Column::Status,
                Expr::value(PracticeStatus::Published.as_str()),
            )
            .col_expr(practice::Column::PublishedAt, Expr::value(now))
            .col_expr(practice::Column::ListedAt, Expr::value(now))
            .col_expr(practice::Column::UpdatedAt, Expr::value(now))
            .col_expr(practice::Column::Revision, Expr::value(1))
            .filter(practice::Column::Id.eq(id.as_uuid()))
            .filter(practice::Column::Status.eq(PracticeStatus::Draft.as_str()))
            .exec(&tx)
            .await
            .context("publish practice")?;
        if published.rows_affected == 0 {
            return Ok(None);
        }
        let (_, practice) = read_locked(&tx, id).await?;
        let first = Revision {
            practice: id,
            number: 1,
            editor,
            created_at: now,
            changed: PracticeField::ALL.to_vec(),
            content: practice.content.clone(),
            previous: Vec::new(),
        };
        revision_row(&first)?
            .insert(&tx)
            .await
            .context("keep the published text")?;
        ledger::apply(&tx, effects).await?;
        index(&tx, &practice).await?;
        tx.commit().await.context("commit publish")?;
        Ok(Some(practice))
    }

    #[tracing::instrument(skip_all, fields(practice = %endorsement.practice))]
    async fn endorse(
        &self,
        endorsement: &Endorsement,
        rule: PromotionRule,
        on_endorsed: &Effects,
        on_promoted: &Effects,
    ) -> DomainResult<Option<Promotion>> {
        let id = endorsement.practice;
        let tx = self.db.begin().await.context("begin endorsement")?;
        endorsement::ActiveModel {
            practice_id: Set(id.as_uuid()),
            person_id: Set(endorsement.person.as_uuid()),
            organisation_id: Set(endorsement.organisation.map(|o| o.as_uuid())),
            comment: Set(endorsement.comment.clone()),
            created_at: Set(endorsement.created_at),
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            on_duplicate(
                e,
                "ALREADY_ENDORSED",
                "you have already endorsed this practice",
            )
        })?;
        // Takes the practice's row lock: endorsements of one practice count one at a time.
        bump(&tx, id, practice::Column::EndorsementCount, 1).await?;
        let organisations = endorsing_organisations(&tx, &rule, id).await?;
        let promotion = Promotion {
            at: endorsement.created_at,
            reason: PromotionReason::Endorsements {
                organisations,
                threshold: rule.threshold,
            },
        };
        let promoted =
            rule.promotes(organisations) && promote_published(&tx, id, &promotion).await?;
        ledger::apply(&tx, on_endorsed).await?;
        if promoted {
            ledger::apply(&tx, on_promoted).await?;
            reindex(&tx, id).await?;
        }
        tx.commit().await.context("commit endorsement")?;
        Ok(promoted.then_some(promotion))
    }

    async fn withdraw_endorsement(
        &self,
        id: PracticeId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<bool> {
        let tx = self.db.begin().await.context("begin withdrawal")?;
        let removed = endorsement::Entity::delete_by_id((id.as_uuid(), person.as_uuid()))
            .exec(&tx)
            .await
            .context("withdraw endorsement")?;
        if removed.rows_affected == 0 {
            return Ok(false);
        }
        bump(&tx, id, practice::Column::EndorsementCount, -1).await?;
        ledger::apply(&tx, effects).await?;
        tx.commit().await.context("commit withdrawal")?;
        Ok(true)
    }

    async fn promote(
        &self,
        id: PracticeId,
        promotion: &Promotion,
        effects: &Effects,
    ) -> DomainResult<bool> {
        let tx = self.db.begin().await.context("begin promotion")?;
        if !promote_published(&tx, id, promotion).await? {
            return Ok(false);
        }
        ledger::apply(&tx, effects).await?;
        reindex(&tx, id).await?;
        tx.commit().await.context("commit promotion")?;
        Ok(true)
    }

    async fn archive(&self, id: PracticeId, now: DateTime<Utc>) -> DomainResult<bool> {
        let live = [PracticeStatus::Published, PracticeStatus::Promoted].map(|s| s.as_str());
        let tx = self.db.begin().await.context("begin archiving")?;
        let archived = practice::Entity::update_many()
            .col_expr(
                practice::Column::Status,
                Expr::value(PracticeStatus::Archived.as_str()),
            )
            .col_expr(practice::Column::UpdatedAt, Expr::value(now))
            .filter(practice::Column::Id.eq(id.as_uuid()))
            .filter(practice::Column::Status.is_in(live))
            .exec(&tx)
            .await
            .context("archive practice")?;
        if archived.rows_affected == 0 {
            return Ok(false);
        }
        reindex(&tx, id).await?;
        tx.commit().await.context("commit archiving")?;
        Ok(true)
    }

    async fn adopt(&self, adoption: &Adoption, effects: &Effects) -> DomainResult<()> {
        let tx = self.db.begin().await.context("begin adoption")?;
        adoption::ActiveModel {
            practice_id: Set(adoption.practice.as_uuid()),
            organisation_id: Set(adoption.organisation.as_uuid()),
            person_id: Set(adoption.person.as_uuid()),
            outcome: Set(adoption.outcome.as_str().to_owned()),
            notes: Set(adoption.notes.clone()),
            created_at: Set(adoption.created_at),
        }
        .insert(&tx)
        .await
        .map_err(|e| {
            on_duplicate(
                e,
                "ALREADY_ADOPTED",
                "your organisation has already recorded adopting this practice",
            )
        })?;
        bump(&tx, adoption.practice, practice::Column::AdoptionCount, 1).await?;
        ledger::apply(&tx, effects).await?;
        tx.commit().await.context("commit adoption")
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
        let select =
            endorsement::Entity::find().filter(endorsement::Column::PracticeId.eq(id.as_uuid()));
        let columns = (
            endorsement::Column::CreatedAt,
            endorsement::Column::PersonId,
        );
        keyset::page(
            &self.db,
            select,
            columns,
            false,
            page,
            keyset::read_time_and_id,
            |row| {
                let cursor = keyset::time_and_id(row.created_at, row.person_id);
                Ok((cursor, to_endorsement(row)))
            },
        )
        .await
    }

    async fn endorsed_among(
        &self,
        person: PersonId,
        practices: &[PracticeId],
    ) -> DomainResult<HashSet<PracticeId>> {
        let uuids: Vec<Uuid> = practices.iter().map(PracticeId::as_uuid).collect();
        let rows: Vec<Uuid> = endorsement::Entity::find()
            .select_only()
            .column(endorsement::Column::PracticeId)
            .filter(endorsement::Column::PersonId.eq(person.as_uuid()))
            .filter(one_of(
                self.db.get_database_backend(),
                endorsement::Column::PracticeId,
                uuids,
            ))
            .into_tuple()
            .all(&self.db)
            .await
            .context("read own endorsements")?;
        Ok(rows.into_iter().map(PracticeId::from_uuid).collect())
    }

    async fn adoptions(&self, id: PracticeId, page: &PageRequest) -> DomainResult<Page<Adoption>> {
        let select = adoption::Entity::find().filter(adoption::Column::PracticeId.eq(id.as_uuid()));
        let columns = (
            adoption::Column::CreatedAt,
            adoption::Column::OrganisationId,
        );
        keyset::page(
            &self.db,
            select,
            columns,
            false,
            page,
            keyset::read_time_and_id,
            |row| {
                let cursor = keyset::time_and_id(row.created_at, row.organisation_id);
                Ok((cursor, to_adoption(row)?))
            },
        )
        .await
    }
}
