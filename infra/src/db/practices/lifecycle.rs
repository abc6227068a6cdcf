//! A practice's life in SQL: edited (keeping revisions), published, archived.

use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::person::PersonId;
use khub_domain::practice::{
    Practice, PracticeChanges, PracticeField, PracticeId, PracticeStatus, Revision,
};
use khub_domain::reputation::Effects;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, TransactionTrait,
};

use super::rows::{revision_row, set_content};
use super::store::{index, lock, read_locked, reindex, replace_tags};
use crate::db::entity::practice;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::error::ResultExt;

#[tracing::instrument(skip_all, fields(practice = %id))]
pub(super) async fn edit(
    db: &DatabaseConnection,
    id: PracticeId,
    changes: &PracticeChanges,
    editor: PersonId,
    now: DateTime<Utc>,
) -> DomainResult<Practice> {
    let tx = db.begin().await.context("begin practice edit")?;
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
pub(super) async fn publish(
    db: &DatabaseConnection,
    id: PracticeId,
    editor: PersonId,
    now: DateTime<Utc>,
    effects: &Effects,
) -> DomainResult<Option<Practice>> {
    let tx = db.begin().await.context("begin publish")?;
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
    outbox::commit(tx, "commit publish").await?;
    Ok(Some(practice))
}

pub(super) async fn archive(
    db: &DatabaseConnection,
    id: PracticeId,
    now: DateTime<Utc>,
) -> DomainResult<bool> {
    let live = [PracticeStatus::Published, PracticeStatus::Promoted].map(|s| s.as_str());
    let tx = db.begin().await.context("begin archiving")?;
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
