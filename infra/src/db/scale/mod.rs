//! `khub seed --scale N`: a large, realistic, deterministic data set written straight through
//! the schema in bulk (multi-row inserts in transactions), for benchmarks. Every counter the hub
//! maintains (members, endorsements, replies, reactions) is consistent with the rows.

mod content;
mod conversations;
mod plan;
mod practice_batches;

use khub_domain::DomainResult;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, QueryFilter, TransactionTrait,
};

pub use plan::ScalePlan;

use super::entity::organisation;
use crate::error::ResultExt;
use content::Generator;

/// Rows per INSERT: well under PostgreSQL's 65535 parameters for the widest table.
const CHUNK: usize = 1_000;

/// Told how far the load has got.
pub trait Progress {
    /// A stage of `total` rows begins.
    fn stage(&mut self, name: &'static str, total: u64);
    /// `n` more rows of the stage are written.
    fn advance(&mut self, n: u64);
}

/// Loads the data set `plan` describes, unless one is there already (then returns false).
pub async fn seed(
    db: &DatabaseConnection,
    plan: ScalePlan,
    password_hash: &str,
    progress: &mut dyn Progress,
) -> DomainResult<bool> {
    let marker = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq(content::organisation_slug(0)))
        .one(db)
        .await
        .context("look for a scale data set")?;
    if marker.is_some() {
        return Ok(false);
    }
    let mut generator = Generator::new(plan, password_hash);
    let tx = db.begin().await.context("begin scale load")?;
    generator.organisations(&tx, progress).await?;
    generator.people(&tx, progress).await?;
    generator.communities(&tx, progress).await?;
    generator.practices(&tx, progress).await?;
    generator.conversations(&tx, progress).await?;
    tx.commit().await.context("commit scale load")?;
    // The rows went in directly, past the repositories that index what they write.
    progress.stage("search index", 1);
    crate::db::search::rebuild(db).await?;
    lay_out_as_grown(db).await?;
    progress.advance(1);
    Ok(true)
}

/// A hub that grew wrote its search documents in the order their content was written, which
/// a search for common words reads newest first (migration 13); the rebuild wrote them kind by
/// kind. PostgreSQL rewrites the table in that order once, so the data set reads as grown.
async fn lay_out_as_grown(db: &DatabaseConnection) -> DomainResult<()> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    for statement in [
        "CLUSTER search_documents USING search_documents_created",
        "ANALYZE search_documents",
    ] {
        db.execute_unprepared(statement)
            .await
            .context("lay out the search documents")?;
    }
    Ok(())
}

/// A buffer of rows of one table, written `CHUNK` at a time.
struct Batch<A: ActiveModelTrait> {
    rows: Vec<A>,
}

impl<A> Batch<A>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    fn new() -> Self {
        Self {
            rows: Vec::with_capacity(CHUNK),
        }
    }

    /// Adds a row; writes the batch when full, returning how many rows it wrote.
    async fn push(&mut self, db: &impl ConnectionTrait, row: A) -> DomainResult<u64> {
        self.rows.push(row);
        if self.rows.len() < CHUNK {
            return Ok(0);
        }
        self.flush(db).await
    }

    async fn flush(&mut self, db: &impl ConnectionTrait) -> DomainResult<u64> {
        if self.rows.is_empty() {
            return Ok(0);
        }
        let n = self.rows.len() as u64;
        A::Entity::insert_many(self.rows.drain(..))
            .exec_without_returning(db)
            .await
            .context("bulk insert")?;
        Ok(n)
    }
}
