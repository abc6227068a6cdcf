//! Which generation of a person's feed token is current (a column the person entity leaves out:
//! only feed tokens read it).

use khub_domain::person::PersonId;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::db::entity::person;
use crate::error::ResultExt;

const GENERATION: &str = "feed_token_generation";

pub(super) async fn generation(db: &impl ConnectionTrait, id: PersonId) -> DomainResult<u32> {
    let select = Query::select()
        .column(Alias::new(GENERATION))
        .from(person::Entity)
        .and_where(Expr::col(person::Column::Id).eq(id.as_uuid()))
        .to_owned();
    let row = db
        .query_one(&select)
        .await
        .context("read feed token generation")?
        .ok_or(DomainError::NotFound)?;
    let generation: i32 = row
        .try_get("", GENERATION)
        .context("read feed token generation")?;
    Ok(u32::try_from(generation).unwrap_or(0))
}

pub(super) async fn next_generation(db: &DatabaseConnection, id: PersonId) -> DomainResult<u32> {
    let tx = db.begin().await.context("begin feed token reset")?;
    let update = Query::update()
        .table(person::Entity)
        .value(
            Alias::new(GENERATION),
            Expr::col(Alias::new(GENERATION)).add(1),
        )
        .and_where(Expr::col(person::Column::Id).eq(id.as_uuid()))
        .to_owned();
    tx.execute(&update).await.context("reset feed token")?;
    let generation = generation(&tx, id).await?;
    tx.commit().await.context("commit feed token reset")?;
    Ok(generation)
}
