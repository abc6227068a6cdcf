//! A practice hidden or shown again by a facilitator (or members' flags), with its search
//! document, its flags and the action's effects, in one transaction.

use khub_domain::DomainResult;
use khub_domain::moderation::ContentRef;
use khub_domain::ports::PracticeHiding;
use khub_domain::reputation::Effects;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::store::reindex;
use crate::db::entity::practice;
use crate::db::moderation::flags;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::error::ResultExt;

pub(super) async fn set_hidden(
    db: &DatabaseConnection,
    change: &PracticeHiding,
    effects: &Effects,
) -> DomainResult<bool> {
    let tx = db.begin().await.context("begin hiding")?;
    let hidden = change.hidden.as_ref();
    let expected = match change.was_hidden {
        true => practice::Column::HiddenAt.is_not_null(),
        false => practice::Column::HiddenAt.is_null(),
    };
    let changed = practice::Entity::update_many()
        .col_expr(
            practice::Column::HiddenReason,
            Expr::value(hidden.map(|h| h.reason.clone())),
        )
        .col_expr(
            practice::Column::HiddenAt,
            Expr::value(hidden.map(|h| h.at)),
        )
        .filter(practice::Column::Id.eq(change.practice.as_uuid()))
        .filter(expected)
        .exec(&tx)
        .await
        .context("hide or show practice")?;
    if changed.rows_affected == 0 {
        return Ok(false);
    }
    reindex(&tx, change.practice).await?;
    if change.resolves_flags {
        flags::resolve(&tx, ContentRef::Practice(change.practice), change.at).await?;
    }
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit hiding").await?;
    Ok(true)
}
