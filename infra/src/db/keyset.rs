//! One implementation of keyset pagination over sea-orm, for every list.

use khub_domain::pagination::{Cursor, CursorValue, Direction, Page, PageRequest};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait, Func, IntoValueTuple};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoIdentity, PaginatorTrait, Select,
};
use uuid::Uuid;

use crate::error::ResultExt;

/// Fetches one page of `select` ordered by `order` (ascending unless `descending`), plus one
/// row beyond it so the caller knows whether there is more. `key` turns a cursor into values
/// of the `order` columns; a cursor it cannot read is the client's mistake.
pub(crate) async fn fetch<E, C, V>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    order: C,
    descending: bool,
    page: &PageRequest,
    key: impl Fn(&Cursor) -> Option<V>,
) -> DomainResult<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: IntoIdentity,
    V: IntoValueTuple,
{
    let mut cursor = select.cursor_by(order);
    if descending {
        cursor.desc();
    }
    if let Some(after) = &page.after {
        cursor.after(key(after).ok_or_else(|| invalid_cursor("after"))?);
    }
    if let Some(before) = &page.before {
        cursor.before(key(before).ok_or_else(|| invalid_cursor("before"))?);
    }
    let fetch = page.limit as u64 + 1;
    match page.direction {
        Direction::Forward => cursor.first(fetch),
        Direction::Backward => cursor.last(fetch),
    };
    cursor.all(db).await.context("read a page")
}

/// One page of `select` as domain items: the rows of [`fetch`], the total when the page asks
/// for it, and each row turned into its cursor and item by `item`.
pub(crate) async fn page<E, C, V, T>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    order: C,
    descending: bool,
    page: &PageRequest,
    key: impl Fn(&Cursor) -> Option<V>,
    item: impl FnMut(E::Model) -> DomainResult<(Cursor, T)>,
) -> DomainResult<Page<T>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: IntoIdentity,
    V: IntoValueTuple,
{
    let rows = fetch(db, select.clone(), order, descending, page, key).await?;
    let total = total(db, select, page).await?;
    let items = rows
        .into_iter()
        .map(item)
        .collect::<DomainResult<Vec<_>>>()?;
    Ok(Page::from_overfetch(items, page, total))
}

/// Counts what `select` matches, when the page asked for the list's size.
pub(crate) async fn total<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    page: &PageRequest,
) -> DomainResult<Option<u64>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    if !page.with_total {
        return Ok(None);
    }
    select.count(db).await.context("count a list").map(Some)
}

/// Matches `text` within a display name (case-insensitively) or a lowercase key (slug, handle).
/// `%` and `_` in the text are searched for as spaces rather than treated as wildcards.
pub(crate) fn name_or_key_contains(
    name: impl ColumnTrait,
    key: impl ColumnTrait,
    text: Option<&str>,
) -> Option<Condition> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], " "));
    Some(
        Condition::any()
            .add(Expr::expr(Func::lower(Expr::col(name))).like(pattern.clone()))
            .add(key.like(pattern)),
    )
}

pub(crate) fn invalid_cursor(field: &str) -> DomainError {
    DomainError::invalid(
        field,
        "INVALID_CURSOR",
        "this cursor does not belong to this list",
    )
}

/// A cursor of a text and an id, for lists ordered by name.
pub(crate) fn text_and_id(text: &str, id: Uuid) -> Cursor {
    Cursor(vec![
        CursorValue::Text(text.to_owned()),
        CursorValue::Uuid(id),
    ])
}

pub(crate) fn read_text_and_id(cursor: &Cursor) -> Option<(String, Uuid)> {
    match cursor.0.as_slice() {
        [CursorValue::Text(text), CursorValue::Uuid(id)] => Some((text.clone(), *id)),
        _ => None,
    }
}

/// A cursor of a time and an id, for lists ordered by recency.
pub(crate) fn time_and_id(time: chrono::DateTime<chrono::Utc>, id: Uuid) -> Cursor {
    Cursor(vec![CursorValue::Time(time), CursorValue::Uuid(id)])
}

pub(crate) fn read_time_and_id(cursor: &Cursor) -> Option<(chrono::DateTime<chrono::Utc>, Uuid)> {
    match cursor.0.as_slice() {
        [CursorValue::Time(time), CursorValue::Uuid(id)] => Some((*time, *id)),
        _ => None,
    }
}

/// A cursor of a count and an id, for lists ordered by a counter.
pub(crate) fn int_and_id(n: i64, id: Uuid) -> Cursor {
    Cursor(vec![CursorValue::Int(n), CursorValue::Uuid(id)])
}

pub(crate) fn read_int_and_id(cursor: &Cursor) -> Option<(i64, Uuid)> {
    match cursor.0.as_slice() {
        [CursorValue::Int(n), CursorValue::Uuid(id)] => Some((*n, *id)),
        _ => None,
    }
}

/// A cursor of a single number, for lists keyed by a sequence.
pub(crate) fn int(n: i64) -> Cursor {
    Cursor(vec![CursorValue::Int(n)])
}

pub(crate) fn read_int(cursor: &Cursor) -> Option<i64> {
    match cursor.0.as_slice() {
        [CursorValue::Int(n)] => Some(*n),
        _ => None,
    }
}

/// A cursor of a rank, a time and an id, for lists ordered pinned first, then by recency.
pub(crate) fn int_time_and_id(n: i64, time: chrono::DateTime<chrono::Utc>, id: Uuid) -> Cursor {
    Cursor(vec![
        CursorValue::Int(n),
        CursorValue::Time(time),
        CursorValue::Uuid(id),
    ])
}

pub(crate) fn read_int_time_and_id(
    cursor: &Cursor,
) -> Option<(i64, chrono::DateTime<chrono::Utc>, Uuid)> {
    match cursor.0.as_slice() {
        [
            CursorValue::Int(n),
            CursorValue::Time(time),
            CursorValue::Uuid(id),
        ] => Some((*n, *time, *id)),
        _ => None,
    }
}
