//! The opening page of many threads' replies in one query: each thread's first or last rows by
//! position: a lateral join on PostgreSQL, a window function on SQLite (which has no LATERAL).

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
    let uuids: Vec<_> = threads.iter().map(ThreadId::as_uuid).collect();
    // PostgreSQL takes the threads as one array parameter (one statement text for any number);
    // SQLite has no arrays and gets a placeholder per thread.
    let mut values: Vec<Value> = match backend {
        DatabaseBackend::Postgres => vec![uuids.into()],
        _ => uuids.into_iter().map(Value::from).collect(),
    };
    let listed = values.len();
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
    let order = match direction {
        Direction::Forward => "ASC",
        Direction::Backward => "DESC",
    };
    let sql = match backend {
        // Each thread's page straight off the (thread_id, position) index.
        DatabaseBackend::Postgres => format!(
            "SELECT page.* FROM unnest($1::uuid[]) AS t(id) CROSS JOIN LATERAL \
             (SELECT p.* FROM posts p WHERE p.thread_id = t.id AND p.position > 0{visible} \
             ORDER BY p.position {order} LIMIT {keep}) page"
        ),
        _ => {
            let ids: Vec<String> = (1..=listed).map(|i| placeholder(backend, i)).collect();
            format!(
                "SELECT * FROM (SELECT p.*, ROW_NUMBER() OVER (PARTITION BY p.thread_id ORDER BY p.position {order}) AS page_row \
                 FROM posts p WHERE p.thread_id IN ({}) AND p.position > 0{visible}) ranked WHERE page_row <= {keep}",
                ids.join(", ")
            )
        }
    };
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
