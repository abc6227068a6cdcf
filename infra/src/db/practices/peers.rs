//! Endorsements, promotion and adoptions of practices in SQL: what peers do with a practice.

use std::collections::HashSet;

use khub_domain::DomainResult;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::practice::{
    Adoption, Endorsement, PracticeId, Promotion, PromotionReason, PromotionRule,
};
use khub_domain::reputation::Effects;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::rows::{to_adoption, to_endorsement};
use super::store::{bump, endorsing_organisations, on_duplicate, promote_published, reindex};
use crate::db::entity::{
    practice, practice_adoption as adoption, practice_endorsement as endorsement,
};
use crate::db::keyset;
use crate::db::one_of::one_of;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::error::ResultExt;

#[tracing::instrument(skip_all, fields(practice = %endorsement.practice))]
pub(super) async fn endorse(
    db: &DatabaseConnection,
    endorsement: &Endorsement,
    rule: PromotionRule,
    on_endorsed: &Effects,
    on_promoted: &Effects,
) -> DomainResult<Option<Promotion>> {
    let id = endorsement.practice;
    let tx = db.begin().await.context("begin endorsement")?;
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
    let promoted = rule.promotes(organisations) && promote_published(&tx, id, &promotion).await?;
    ledger::apply(&tx, on_endorsed).await?;
    if promoted {
        ledger::apply(&tx, &on_promoted.with_promotion(&promotion)).await?;
        reindex(&tx, id).await?;
    }
    outbox::commit(tx, "commit endorsement").await?;
    Ok(promoted.then_some(promotion))
}

pub(super) async fn withdraw_endorsement(
    db: &DatabaseConnection,
    id: PracticeId,
    person: PersonId,
    effects: &Effects,
) -> DomainResult<bool> {
    let tx = db.begin().await.context("begin withdrawal")?;
    let removed = endorsement::Entity::delete_by_id((id.as_uuid(), person.as_uuid()))
        .exec(&tx)
        .await
        .context("withdraw endorsement")?;
    if removed.rows_affected == 0 {
        return Ok(false);
    }
    bump(&tx, id, practice::Column::EndorsementCount, -1).await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit withdrawal").await?;
    Ok(true)
}

pub(super) async fn promote(
    db: &DatabaseConnection,
    id: PracticeId,
    promotion: &Promotion,
    effects: &Effects,
) -> DomainResult<bool> {
    let tx = db.begin().await.context("begin promotion")?;
    if !promote_published(&tx, id, promotion).await? {
        return Ok(false);
    }
    ledger::apply(&tx, effects).await?;
    reindex(&tx, id).await?;
    outbox::commit(tx, "commit promotion").await?;
    Ok(true)
}

pub(super) async fn adopt(
    db: &DatabaseConnection,
    adoption: &Adoption,
    effects: &Effects,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin adoption")?;
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
    outbox::commit(tx, "commit adoption").await
}

pub(super) async fn endorsements(
    db: &DatabaseConnection,
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
        db,
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

pub(super) async fn endorsed_among(
    db: &DatabaseConnection,
    person: PersonId,
    practices: &[PracticeId],
) -> DomainResult<HashSet<PracticeId>> {
    let uuids: Vec<Uuid> = practices.iter().map(PracticeId::as_uuid).collect();
    let rows: Vec<Uuid> = endorsement::Entity::find()
        .select_only()
        .column(endorsement::Column::PracticeId)
        .filter(endorsement::Column::PersonId.eq(person.as_uuid()))
        .filter(one_of(
            db.get_database_backend(),
            endorsement::Column::PracticeId,
            uuids,
        ))
        .into_tuple()
        .all(db)
        .await
        .context("read own endorsements")?;
    Ok(rows.into_iter().map(PracticeId::from_uuid).collect())
}

pub(super) async fn adoptions(
    db: &DatabaseConnection,
    id: PracticeId,
    page: &PageRequest,
) -> DomainResult<Page<Adoption>> {
    let select = adoption::Entity::find().filter(adoption::Column::PracticeId.eq(id.as_uuid()));
    let columns = (
        adoption::Column::CreatedAt,
        adoption::Column::OrganisationId,
    );
    keyset::page(
        db,
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
