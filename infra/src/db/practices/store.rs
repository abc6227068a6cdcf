//! The steps practice changes are made of, run inside their transactions.

use std::collections::HashMap;

use khub_domain::practice::{Practice, PracticeId, PracticeStatus, Promotion, PromotionRule};
use khub_domain::search::SearchDocument;
use khub_domain::{DomainError, DomainResult};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::rows::{to_json, to_practice};
use crate::db::entity::{practice, practice_endorsement as endorsement, practice_tag as tag};
use crate::db::one_of::one_of;
use crate::db::search::documents;
use crate::error::ResultExt;

/// Serialises changes to one practice: a write to its row takes PostgreSQL's row lock and
/// SQLite's write lock for the rest of the transaction.
pub(super) async fn lock(db: &impl ConnectionTrait, id: PracticeId) -> DomainResult<()> {
    bump(db, id, practice::Column::Revision, 0).await
}

pub(super) async fn bump(
    db: &impl ConnectionTrait,
    id: PracticeId,
    counter: practice::Column,
    by: i64,
) -> DomainResult<()> {
    let updated = practice::Entity::update_many()
        .col_expr(counter, Expr::col(counter).add(by))
        .filter(practice::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await
        .context("update practice counter")?;
    match updated.rows_affected {
        0 => Err(DomainError::NotFound),
        _ => Ok(()),
    }
}

/// The practice's row and value, inside a transaction that holds its lock.
pub(super) async fn read_locked(
    db: &impl ConnectionTrait,
    id: PracticeId,
) -> DomainResult<(practice::Model, Practice)> {
    let row = practice::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await
        .context("read practice")?
        .ok_or(DomainError::NotFound)?;
    let practice = with_tags(db, vec![row.clone()])
        .await?
        .pop()
        .ok_or(DomainError::NotFound)?;
    Ok((row, practice))
}

/// Rewrites the practice's search document as the practice now stands.
pub(super) async fn reindex(db: &impl ConnectionTrait, id: PracticeId) -> DomainResult<()> {
    let (_, practice) = read_locked(db, id).await?;
    index(db, &practice).await
}

/// Writes the search document of `practice` (none while it is a draft).
pub(super) async fn index(db: &impl ConnectionTrait, practice: &Practice) -> DomainResult<()> {
    let document = SearchDocument::of_practice(practice);
    documents::sync(db, practice.id.as_uuid(), document).await
}

/// How many distinct organisations, other than the author's, endorse the practice.
pub(super) async fn endorsing_organisations(
    db: &impl ConnectionTrait,
    rule: &PromotionRule,
    id: PracticeId,
) -> DomainResult<u32> {
    let mut counted = endorsement::Entity::find()
        .select_only()
        .expr(Func::count_distinct(Expr::col(
            endorsement::Column::OrganisationId,
        )))
        .filter(endorsement::Column::PracticeId.eq(id.as_uuid()))
        .filter(endorsement::Column::OrganisationId.is_not_null());
    if let Some(own) = rule.author_organisation {
        counted = counted.filter(endorsement::Column::OrganisationId.ne(own.as_uuid()));
    }
    let count: Option<i64> = counted
        .into_tuple()
        .one(db)
        .await
        .context("count endorsing organisations")?;
    Ok(u32::try_from(count.unwrap_or(0)).unwrap_or(u32::MAX))
}

/// Promotes the practice if it is PUBLISHED; true if this call did it.
pub(super) async fn promote_published(
    db: &impl ConnectionTrait,
    id: PracticeId,
    promotion: &Promotion,
) -> DomainResult<bool> {
    let promoted = practice::Entity::update_many()
        .col_expr(
            practice::Column::Status,
            Expr::value(PracticeStatus::Promoted.as_str()),
        )
        .col_expr(
            practice::Column::Promotion,
            Expr::value(to_json(promotion)?),
        )
        .filter(practice::Column::Id.eq(id.as_uuid()))
        .filter(practice::Column::Status.eq(PracticeStatus::Published.as_str()))
        .exec(db)
        .await
        .context("promote practice")?;
    Ok(promoted.rows_affected == 1)
}

pub(super) async fn replace_tags(
    db: &impl ConnectionTrait,
    id: PracticeId,
    tags: &[String],
) -> DomainResult<()> {
    tag::Entity::delete_many()
        .filter(tag::Column::PracticeId.eq(id.as_uuid()))
        .exec(db)
        .await
        .context("clear tags")?;
    if tags.is_empty() {
        return Ok(());
    }
    let rows = tags.iter().map(|t| tag::ActiveModel {
        practice_id: Set(id.as_uuid()),
        tag: Set(t.clone()),
    });
    tag::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await
        .context("store tags")?;
    Ok(())
}

/// The practices of `rows` with their tags, in one more query.
pub(crate) async fn with_tags(
    db: &impl ConnectionTrait,
    rows: Vec<practice::Model>,
) -> DomainResult<Vec<Practice>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut tags: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in tag::Entity::find()
        .filter(one_of(
            db.get_database_backend(),
            tag::Column::PracticeId,
            ids,
        ))
        .all(db)
        .await
        .context("read tags")?
    {
        tags.entry(row.practice_id).or_default().push(row.tag);
    }
    rows.into_iter()
        .map(|row| {
            // Tags are kept sorted; SQL returns rows in no particular order.
            let mut own = tags.remove(&row.id).unwrap_or_default();
            own.sort();
            to_practice(row, own)
        })
        .collect()
}

/// A duplicate key is the user's mistake (`code`); anything else is an outage.
pub(super) fn on_duplicate(err: DbErr, code: &'static str, message: &str) -> DomainError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            DomainError::invalid("practiceId", code, message)
        }
        _ => DomainError::unavailable("store practice", err),
    }
}
