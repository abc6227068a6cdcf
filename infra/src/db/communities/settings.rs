//! A community's settings changed by its owners, with its search document, in one transaction.

use khub_domain::DomainResult;
use khub_domain::community::Community;
use khub_domain::search::SearchDocument;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use crate::db::entity::community;
use crate::db::search::documents;
use crate::error::ResultExt;

pub(super) async fn update(db: &DatabaseConnection, changed: &Community) -> DomainResult<()> {
    let tx = db.begin().await.context("begin settings")?;
    community::Entity::update_many()
        .col_expr(community::Column::Name, Expr::value(changed.name.clone()))
        .col_expr(
            community::Column::Description,
            Expr::value(changed.description.clone()),
        )
        .col_expr(
            community::Column::Visibility,
            Expr::value(changed.visibility.as_str()),
        )
        .col_expr(
            community::Column::DiscussionMode,
            Expr::value(changed.discussion_mode.as_str()),
        )
        .col_expr(
            community::Column::PromotionThreshold,
            Expr::value(i64::from(changed.promotion_threshold)),
        )
        .col_expr(
            community::Column::FlagThreshold,
            Expr::value(i64::from(changed.flag_threshold)),
        )
        .filter(community::Column::Id.eq(changed.id.as_uuid()))
        .exec(&tx)
        .await
        .context("change settings")?;
    let document = SearchDocument::of_community(changed);
    documents::sync(&tx, changed.id.as_uuid(), Some(document)).await?;
    tx.commit().await.context("commit settings")
}
