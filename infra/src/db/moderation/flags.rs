//! Flags in SQL: recorded once per person and item, counted by distinct current members, closed
//! when a facilitator reviews the item, and read as a queue grouped by item.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use khub_domain::community::CommunityId;
use khub_domain::moderation::{ContentRef, Flag, FlagId, FlagNote, FlagReason, FlaggedItem};
use khub_domain::pagination::{Cursor, Direction, Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, StatementBuilder, TransactionTrait,
};
use uuid::Uuid;

use crate::db::entity::{community_member as member, content_flag as row};
use crate::db::keyset;
use crate::error::ResultExt;

/// Records `flag` and counts the distinct current members with open flags on its item.
pub(super) async fn add(db: &DatabaseConnection, flag: &Flag) -> DomainResult<u32> {
    let tx = db.begin().await.context("begin flag")?;
    row::Entity::insert(row::ActiveModel {
        id: Set(flag.id.as_uuid()),
        community_id: Set(flag.community.map(|c| c.as_uuid())),
        content_id: Set(flag.content.id()),
        content_kind: Set(flag.content.kind().to_owned()),
        flagger_id: Set(flag.flagger.as_uuid()),
        reason: Set(flag.reason.as_str().to_owned()),
        note: Set(flag.note.as_ref().map(|n| n.as_str().to_owned())),
        created_at: Set(flag.at),
        resolved_at: Set(None),
    })
    .exec_without_returning(&tx)
    .await
    .map_err(refused)?;
    let mut flagging = row::Entity::find()
        .filter(row::Column::ContentId.eq(flag.content.id()))
        .filter(row::Column::ResolvedAt.is_null());
    // In a community, its members' flags count; elsewhere, every reader's.
    if let Some(community) = flag.community {
        let members = Query::select()
            .column(member::Column::PersonId)
            .from(member::Entity)
            .and_where(member::Column::CommunityId.eq(community.as_uuid()))
            .to_owned();
        flagging = flagging.filter(row::Column::FlaggerId.in_subquery(members));
    }
    let flagging = flagging.count(&tx).await.context("count flags")?;
    tx.commit().await.context("commit flag")?;
    Ok(u32::try_from(flagging).unwrap_or(u32::MAX))
}

/// The unique index refuses a second flag by the same person on the same item.
fn refused(error: sea_orm::DbErr) -> DomainError {
    match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => DomainError::invalid(
            "contentId",
            "ALREADY_FLAGGED",
            "you have already flagged this",
        ),
        _ => DomainError::unavailable("record a flag", error),
    }
}

/// Closes `content`'s open flags at `at`; whether there were any.
pub(crate) async fn resolve(
    db: &impl ConnectionTrait,
    content: ContentRef,
    at: DateTime<Utc>,
) -> DomainResult<bool> {
    let closed = row::Entity::update_many()
        .col_expr(row::Column::ResolvedAt, Expr::value(at))
        .filter(row::Column::ContentId.eq(content.id()))
        .filter(row::Column::ResolvedAt.is_null())
        .exec(db)
        .await
        .context("close flags")?;
    Ok(closed.rows_affected > 0)
}

/// A page of the community's flagged items, ordered by their oldest open flag, each with its
/// open flags.
pub(super) async fn queue(
    db: &DatabaseConnection,
    community: Option<CommunityId>,
    page: &PageRequest,
) -> DomainResult<Page<FlaggedItem>> {
    let items = items(db, community, page).await?;
    let total = match page.with_total {
        true => Some(count_items(db, community).await?),
        false => None,
    };
    let ids: Vec<Uuid> = items.iter().map(|(_, content, _)| content.id()).collect();
    let mut flags = open_flags(db, &ids).await?;
    let items = items
        .into_iter()
        .map(|(cursor, content, first)| {
            let flags = flags.remove(&content.id()).unwrap_or_default();
            let item = FlaggedItem {
                content,
                first_flagged_at: first,
                flags,
            };
            (cursor, item)
        })
        .collect();
    Ok(Page::from_overfetch(items, page, total))
}

type Item = (Cursor, ContentRef, DateTime<Utc>);

/// The page's items (one more than asked), each item's first open flag keying it.
async fn items(
    db: &DatabaseConnection,
    community: Option<CommunityId>,
    page: &PageRequest,
) -> DomainResult<Vec<Item>> {
    let first = Alias::new("first_at");
    let oldest = Expr::col(row::Column::CreatedAt).min();
    let mut select = Query::select();
    select
        .column(row::Column::ContentId)
        .column(row::Column::ContentKind)
        .expr_as(oldest.clone(), first.clone())
        .from(row::Entity)
        .and_where(row::Column::ResolvedAt.is_null())
        .and_where_option(community.map(|c| row::Column::CommunityId.eq(c.as_uuid())))
        .group_by_col(row::Column::ContentId)
        .group_by_col(row::Column::ContentKind);
    let key = |cursor: &Cursor, field| {
        keyset::read_time_and_id(cursor).ok_or_else(|| keyset::invalid_cursor(field))
    };
    if let Some(after) = &page.after {
        let (at, id) = key(after, "after")?;
        select.and_having(
            oldest.clone().gt(at).or(oldest
                .clone()
                .eq(at)
                .and(Expr::col(row::Column::ContentId).gt(id))),
        );
    }
    if let Some(before) = &page.before {
        let (at, id) = key(before, "before")?;
        select.and_having(
            oldest.clone().lt(at).or(oldest
                .clone()
                .eq(at)
                .and(Expr::col(row::Column::ContentId).lt(id))),
        );
    }
    let order = match page.direction {
        Direction::Forward => Order::Asc,
        Direction::Backward => Order::Desc,
    };
    select
        .order_by_expr(oldest, order.clone())
        .order_by(row::Column::ContentId, order)
        .limit(page.limit as u64 + 1);
    let statement = StatementBuilder::build(&select, &db.get_database_backend());
    let rows = db
        .query_all_raw(statement)
        .await
        .context("read the flag queue")?;
    let mut items = Vec::with_capacity(rows.len());
    for found in rows {
        let id: Uuid = found.try_get("", "content_id").context("read flagged id")?;
        let kind: String = found
            .try_get("", "content_kind")
            .context("read flagged kind")?;
        let at: DateTime<Utc> = found.try_get("", "first_at").context("read first flag")?;
        if let Some(content) = ContentRef::from_parts(&kind, id) {
            items.push((keyset::time_and_id(at, id), content, at));
        }
    }
    if page.direction == Direction::Backward {
        items.reverse();
    }
    Ok(items)
}

async fn count_items(db: &DatabaseConnection, community: Option<CommunityId>) -> DomainResult<u64> {
    let mut select = Query::select();
    select
        .expr(Expr::col(row::Column::ContentId).count_distinct())
        .from(row::Entity)
        .and_where(row::Column::ResolvedAt.is_null())
        .and_where_option(community.map(|c| row::Column::CommunityId.eq(c.as_uuid())));
    let statement = StatementBuilder::build(&select, &db.get_database_backend());
    let found = db
        .query_one_raw(statement)
        .await
        .context("count flagged items")?;
    let count: i64 = match found {
        Some(found) => found.try_get_by_index(0).context("read the count")?,
        None => 0,
    };
    Ok(u64::try_from(count).unwrap_or(0))
}

/// The open flags on each of `items`, oldest first.
async fn open_flags(
    db: &DatabaseConnection,
    items: &[Uuid],
) -> DomainResult<HashMap<Uuid, Vec<Flag>>> {
    if items.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = row::Entity::find()
        .filter(row::Column::ContentId.is_in(items.iter().copied()))
        .filter(row::Column::ResolvedAt.is_null())
        .order_by_asc(row::Column::CreatedAt)
        .all(db)
        .await
        .context("read open flags")?;
    let mut flags: HashMap<Uuid, Vec<Flag>> = HashMap::new();
    for found in rows {
        let Some(flag) = to_flag(&found) else {
            continue;
        };
        flags.entry(found.content_id).or_default().push(flag);
    }
    Ok(flags)
}

fn to_flag(found: &row::Model) -> Option<Flag> {
    Some(Flag {
        id: FlagId::from_uuid(found.id),
        community: found.community_id.map(CommunityId::from_uuid),
        content: ContentRef::from_parts(&found.content_kind, found.content_id)?,
        flagger: PersonId::from_uuid(found.flagger_id),
        reason: FlagReason::parse(&found.reason)?,
        note: found
            .note
            .as_deref()
            .and_then(|n| FlagNote::parse(n).ok().flatten()),
        at: found.created_at,
    })
}
