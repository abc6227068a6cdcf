//! The opening page of many threads' replies in one query: each thread's first or last rows by
//! position, numbered with a window function (PostgreSQL and SQLite both have them).

use std::collections::HashMap;

use khub_domain::DomainResult;
use khub_domain::conversation::{Post, PostScope, PostStatus, ThreadId};
use khub_domain::pagination::Direction;
use sea_orm::{ConnectionTrait, DatabaseBackend, EntityTrait, Statement, Value};

use super::rows::to_post;
use crate::db::entity::post;
use crate::error::ResultExt;

pub(super) async fn reply_pages(
    db: &impl ConnectionTrait,
    threads: &[ThreadId],
    scope: PostScope,
    direction: Direction,
    limit: usize,
) -> DomainResult<HashMap<ThreadId, Vec<Post>>> {
    if threads.is_empty() {
        return Ok(HashMap::new());
    }
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = threads.iter().map(|t| t.as_uuid().into()).collect();
    let mut mark = |value: Value| {
        values.push(value);
        placeholder(backend, values.len())
    };
    let visible = match scope {
        PostScope::All => String::new(),
        PostScope::ApprovedOr(None) => format!(
            " AND p.status = {}",
            mark(PostStatus::Approved.as_str().into())
        ),
        PostScope::ApprovedOr(Some(reader)) => {
            let approved = mark(PostStatus::Approved.as_str().into());
            format!(
                " AND (p.status = {approved} OR p.author_id = {})",
                mark(reader.as_uuid().into())
            )
        }
    };
    let keep = mark(i64::try_from(limit + 1).unwrap_or(i64::MAX).into());
    let ids: Vec<String> = (1..=threads.len())
        .map(|i| placeholder(backend, i))
        .collect();
    let order = match direction {
        Direction::Forward => "ASC",
        Direction::Backward => "DESC",
    };
    let sql = format!(
        "SELECT * FROM (SELECT p.*, ROW_NUMBER() OVER (PARTITION BY p.thread_id ORDER BY p.position {order}) AS page_row \
         FROM posts p WHERE p.thread_id IN ({}) AND p.position > 0{visible}) ranked WHERE page_row <= {keep}",
        ids.join(", ")
    );
    let rows = post::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await
        .context("read reply pages")?;
    let mut pages: HashMap<ThreadId, Vec<Post>> = HashMap::new();
    for row in rows {
        let post = to_post(row)?;
        pages.entry(post.thread).or_default().push(post);
    }
    // In list order, whichever end was read.
    pages
        .values_mut()
        .for_each(|posts| posts.sort_by_key(|p| p.position));
    Ok(pages)
}

fn placeholder(backend: DatabaseBackend, n: usize) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}
