//! Documents registered for API tokens in SQL, found by (token, hash).

use chrono::Utc;
use khub_domain::DomainResult;
use khub_domain::api_token::ApiTokenId;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    TransactionTrait,
};

use super::entity::{api_token, trusted_document as row};
use crate::error::ResultExt;

/// Registers the documents (a document already registered stays as it was) and sets whether the
/// token runs only them, in one transaction.
pub(super) async fn register(
    db: &DatabaseConnection,
    token: ApiTokenId,
    documents: &[(String, String)],
    only: Option<bool>,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin registering documents")?;
    if !documents.is_empty() {
        let now = Utc::now();
        let rows = documents.iter().map(|(hash, document)| row::ActiveModel {
            token_id: Set(token.as_uuid()),
            hash: Set(hash.clone()),
            document: Set(document.clone()),
            created_at: Set(now),
        });
        let keep = OnConflict::columns([row::Column::TokenId, row::Column::Hash])
            .do_nothing()
            .to_owned();
        row::Entity::insert_many(rows)
            .on_conflict(keep)
            .exec_without_returning(&tx)
            .await
            .context("register documents")?;
    }
    if let Some(only) = only {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::TrustedDocumentsOnly, Expr::value(only))
            .filter(api_token::Column::Id.eq(token.as_uuid()))
            .exec(&tx)
            .await
            .context("restrict a token to its documents")?;
    }
    tx.commit().await.context("commit registered documents")
}

pub(super) async fn find(
    db: &DatabaseConnection,
    token: ApiTokenId,
    hash: &str,
) -> DomainResult<Option<String>> {
    row::Entity::find()
        .select_only()
        .column(row::Column::Document)
        .filter(row::Column::TokenId.eq(token.as_uuid()))
        .filter(row::Column::Hash.eq(hash))
        .into_tuple::<String>()
        .one(db)
        .await
        .context("find a trusted document")
}
