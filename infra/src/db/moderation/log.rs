//! The append-only moderation log: written with each action, read newest first.

use khub_domain::community::CommunityId;
use khub_domain::moderation::{ContentRef, LogEntry, LogEntryId, ModerationAction, Reason};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::{DomainError, DomainResult};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::db::entity::moderation_log as row;
use crate::db::keyset;
use crate::error::ResultExt;

/// Appends `entries` in the caller's transaction.
pub(crate) async fn append(db: &impl ConnectionTrait, entries: &[LogEntry]) -> DomainResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let rows = entries.iter().map(|entry| row::ActiveModel {
        id: Set(entry.id.as_uuid()),
        community_id: Set(entry.community.map(|c| c.as_uuid())),
        actor_id: Set(entry.actor.as_uuid()),
        action: Set(entry.action.as_str().to_owned()),
        content_id: Set(entry.content.map(ContentRef::id)),
        content_kind: Set(entry.content.map(|c| c.kind().to_owned())),
        subject_id: Set(entry.subject.map(|p| p.as_uuid())),
        reason: Set(entry.reason.as_ref().map(|r| r.as_str().to_owned())),
        until: Set(entry.until),
        created_at: Set(entry.at),
    });
    row::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await
        .context("append to the moderation log")?;
    Ok(())
}

pub(super) async fn page(
    db: &impl ConnectionTrait,
    community: Option<CommunityId>,
    page: &PageRequest,
) -> DomainResult<Page<LogEntry>> {
    let mut select = row::Entity::find();
    if let Some(community) = community {
        select = select.filter(row::Column::CommunityId.eq(community.as_uuid()));
    }
    keyset::page(
        db,
        select,
        (row::Column::CreatedAt, row::Column::Id),
        true,
        page,
        keyset::read_time_and_id,
        |row| Ok((keyset::time_and_id(row.created_at, row.id), to_entry(row)?)),
    )
    .await
}

fn to_entry(row: row::Model) -> DomainResult<LogEntry> {
    let action = ModerationAction::parse(&row.action)
        .ok_or_else(|| DomainError::unavailable("read the moderation log", "unknown action"))?;
    let content = row
        .content_kind
        .as_deref()
        .zip(row.content_id)
        .and_then(|(kind, id)| ContentRef::from_parts(kind, id));
    Ok(LogEntry {
        id: LogEntryId::from_uuid(row.id),
        community: row.community_id.map(CommunityId::from_uuid),
        actor: PersonId::from_uuid(row.actor_id),
        action,
        content,
        subject: row.subject_id.map(PersonId::from_uuid),
        reason: row.reason.as_deref().and_then(|r| Reason::parse(r).ok()),
        until: row.until,
        at: row.created_at,
    })
}
