//! Building the search documents from the content, for a database that had content before
//! search existed, or that was bulk-loaded (`khub seed --scale`). Writes are upserts, so a
//! rebuild is safe beside a running hub and safe to repeat.

use khub_domain::DomainResult;
use khub_domain::search::SearchDocument;
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::documents;
use crate::db::communities::to_community;
use crate::db::conversations::{to_post, to_thread};
use crate::db::entity::{community, person, post, practice, thread};
use crate::db::people::to_domain as to_person;
use crate::db::practices::with_tags;
use crate::error::ResultExt;

/// Rows read per batch.
const BATCH: u64 = 500;

/// Builds every document unless the index was built before; true if it built.
pub async fn rebuild_if_never_built(db: &DatabaseConnection) -> DomainResult<bool> {
    let built = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("search_index_state"))
        .to_owned();
    if db
        .query_one(&built)
        .await
        .context("read search index state")?
        .is_some()
    {
        return Ok(false);
    }
    rebuild(db).await?;
    let mark = Query::insert()
        .into_table(Alias::new("search_index_state"))
        .columns([Alias::new("id"), Alias::new("built_at")])
        .values_panic([1.into(), chrono::Utc::now().to_rfc3339().into()])
        .on_conflict(OnConflict::column(Alias::new("id")).do_nothing().to_owned())
        .to_owned();
    db.execute(&mark).await.context("mark search index built")?;
    Ok(true)
}

/// Writes the document of every findable item.
pub async fn rebuild(db: &DatabaseConnection) -> DomainResult<()> {
    each_batch::<practice::Entity>(
        db,
        practice::Column::Id,
        |row| row.id,
        async |rows| {
            let practices = with_tags(db, rows).await?;
            write(db, practices.iter().filter_map(SearchDocument::of_practice)).await
        },
    )
    .await?;
    each_batch::<community::Entity>(
        db,
        community::Column::Id,
        |row| row.id,
        async |rows| {
            let communities = rows.into_iter().map(to_community);
            let communities = communities.collect::<DomainResult<Vec<_>>>()?;
            write(db, communities.iter().map(SearchDocument::of_community)).await
        },
    )
    .await?;
    each_batch::<person::Entity>(
        db,
        person::Column::Id,
        |row| row.id,
        async |rows| {
            let people = rows
                .into_iter()
                .map(to_person)
                .collect::<DomainResult<Vec<_>>>()?;
            write(db, people.iter().filter_map(SearchDocument::of_person)).await
        },
    )
    .await?;
    each_batch::<post::Entity>(
        db,
        post::Column::Id,
        |row| row.id,
        async |rows| write(db, post_documents(db, rows).await?.into_iter()).await,
    )
    .await
}

/// Hands `index` every row of `E`, [`BATCH`] at a time in id order.
async fn each_batch<E: EntityTrait>(
    db: &DatabaseConnection,
    id: impl ColumnTrait,
    id_of: impl Fn(&E::Model) -> Uuid,
    mut index: impl AsyncFnMut(Vec<E::Model>) -> DomainResult<()>,
) -> DomainResult<()> {
    let mut after = Uuid::nil();
    loop {
        let rows = E::find()
            .filter(id.gt(after))
            .order_by_asc(id)
            .limit(BATCH)
            .all(db)
            .await
            .context("read content to index")?;
        let Some(last) = rows.last().map(&id_of) else {
            return Ok(());
        };
        index(rows).await?;
        after = last;
    }
}

/// The documents of posts: a thread's for its opening post, a reply's for the others.
async fn post_documents(
    db: &DatabaseConnection,
    rows: Vec<post::Model>,
) -> DomainResult<Vec<SearchDocument>> {
    let thread_ids: Vec<Uuid> = rows.iter().map(|row| row.thread_id).collect();
    let threads = thread::Entity::find()
        .filter(thread::Column::Id.is_in(thread_ids))
        .all(db)
        .await
        .context("read threads to index")?
        .into_iter()
        .map(|row| Ok((row.id, to_thread(row)?)))
        .collect::<DomainResult<std::collections::HashMap<_, _>>>()?;
    let mut documents = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(thread) = threads.get(&row.thread_id) else {
            continue;
        };
        let post = to_post(row)?;
        let document = match post.position {
            0 => SearchDocument::of_thread(thread, &post),
            _ => SearchDocument::of_reply(&post, thread.community),
        };
        documents.extend(document);
    }
    Ok(documents)
}

async fn write(
    db: &DatabaseConnection,
    documents: impl Iterator<Item = SearchDocument>,
) -> DomainResult<()> {
    let documents: Vec<SearchDocument> = documents.collect();
    documents::put_all(db, &documents).await
}
