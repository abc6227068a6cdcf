//! Bans in SQL: recorded with the end of the person's membership, request or invitation, in
//! one transaction under the community's lock.

use khub_domain::DomainResult;
use khub_domain::community::CommunityId;
use khub_domain::moderation::{Ban, Reason};
use khub_domain::person::PersonId;
use khub_domain::reputation::Effects;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait};

use super::members::{delete_pending, end_membership, lock_community};
use crate::db::entity::community_ban as row;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::error::ResultExt;

pub(super) async fn ban(db: &DatabaseConnection, ban: &Ban, effects: &Effects) -> DomainResult<()> {
    let tx = db.begin().await.context("begin ban")?;
    lock_community(&tx, ban.community).await?;
    end_membership(&tx, ban.community, ban.person).await?;
    delete_pending(&tx, ban.community, ban.person).await?;
    let replace = OnConflict::columns([row::Column::CommunityId, row::Column::PersonId])
        .update_columns([
            row::Column::BannedBy,
            row::Column::Reason,
            row::Column::Until,
            row::Column::CreatedAt,
        ])
        .to_owned();
    row::Entity::insert(row::ActiveModel {
        community_id: Set(ban.community.as_uuid()),
        person_id: Set(ban.person.as_uuid()),
        banned_by: Set(ban.by.as_uuid()),
        reason: Set(ban.reason.as_ref().map(|r| r.as_str().to_owned())),
        until: Set(ban.until),
        created_at: Set(ban.at),
    })
    .on_conflict(replace)
    .exec_without_returning(&tx)
    .await
    .context("record ban")?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit ban").await
}

pub(super) async fn unban(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
    effects: &Effects,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin unban")?;
    row::Entity::delete_by_id((community.as_uuid(), person.as_uuid()))
        .exec(&tx)
        .await
        .context("lift ban")?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit unban").await
}

pub(super) async fn ban_of(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
) -> DomainResult<Option<Ban>> {
    let found = row::Entity::find_by_id((community.as_uuid(), person.as_uuid()))
        .one(db)
        .await
        .context("read ban")?;
    Ok(found.map(|row| Ban {
        community,
        person,
        by: PersonId::from_uuid(row.banned_by),
        reason: row.reason.as_deref().and_then(|r| Reason::parse(r).ok()),
        until: row.until,
        at: row.created_at,
    }))
}
