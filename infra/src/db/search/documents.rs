//! Writing search documents, inside the transaction of the change they reflect.

use khub_domain::DomainResult;
use khub_domain::search::SearchDocument;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, InsertStatement, OnConflict, Query};
use uuid::Uuid;

use crate::error::ResultExt;

pub(crate) const TABLE: &str = "search_documents";

/// Every column a document writes, in `values` order.
const COLUMNS: [&str; 14] = [
    "id",
    "kind",
    "community_id",
    "author_id",
    "organisation_id",
    "practice_status",
    "service_area",
    "promoted",
    "title",
    "summary",
    "body",
    "keywords",
    "created_at",
    "updated_at",
];

/// Makes the index hold `document` for `id`, or nothing when there is none (a draft, a post
/// awaiting approval, a deleted post).
pub(crate) async fn sync(
    db: &impl ConnectionTrait,
    id: Uuid,
    document: Option<SearchDocument>,
) -> DomainResult<()> {
    match document {
        Some(document) => {
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(TABLE))
                .columns(COLUMNS.map(Alias::new))
                .values_panic(values(&document))
                .on_conflict(upsert());
            db.execute(&insert).await.context("index document")?;
        }
        None => {
            let delete = Query::delete()
                .from_table(Alias::new(TABLE))
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned();
            db.execute(&delete).await.context("unindex document")?;
        }
    }
    Ok(())
}

/// Writes many documents in one statement (a rebuild's batch).
pub(crate) async fn put_all(
    db: &impl ConnectionTrait,
    documents: &[SearchDocument],
) -> DomainResult<()> {
    if documents.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(TABLE))
        .columns(COLUMNS.map(Alias::new))
        .on_conflict(upsert());
    for document in documents {
        insert.values_panic(values(document));
    }
    db.execute(&insert).await.context("index documents")?;
    Ok(())
}

/// `INSERT INTO search_documents (…) SELECT <document> FROM <source>`: indexes the document
/// only when `source` has a row (as a CTE of a statement that may find nothing to change).
pub(crate) fn insert_from(
    document: &SearchDocument,
    source: &str,
) -> DomainResult<InsertStatement> {
    let select = Query::select()
        .exprs(values(document))
        .from(Alias::new(source))
        .to_owned();
    Ok(Query::insert()
        .into_table(Alias::new(TABLE))
        .columns(COLUMNS.map(Alias::new))
        .select_from(select)
        .context("build the document's insert")?
        .on_conflict(upsert())
        .to_owned())
}

fn upsert() -> OnConflict {
    OnConflict::column(Alias::new("id"))
        .update_columns(COLUMNS[1..].iter().map(|c| Alias::new(*c)))
        .to_owned()
}

fn values(document: &SearchDocument) -> Vec<Expr> {
    vec![
        Expr::val(document.id),
        Expr::val(document.kind.as_str()),
        Expr::val(document.community.map(|c| c.as_uuid())),
        Expr::val(document.author.map(|p| p.as_uuid())),
        Expr::val(document.organisation.map(|o| o.as_uuid())),
        Expr::val(document.practice_status.map(|s| s.as_str())),
        Expr::val(document.service_area.clone()),
        Expr::val(document.promoted),
        Expr::val(document.title.clone()),
        Expr::val(document.summary.clone()),
        Expr::val(document.body.clone()),
        Expr::val(document.keywords.clone()),
        Expr::val(document.created_at),
        Expr::val(document.updated_at),
    ]
}
