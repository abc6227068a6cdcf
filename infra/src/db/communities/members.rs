//! Who is in a community in SQL: members and their roles, requests and invitations.

use chrono::{DateTime, Utc};
use khub_domain::community::{CommunityId, Membership, Pending, PendingKind, Role};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::reputation::Effects;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use super::corrupt;
use crate::db::entity::{community, community_member as member, community_pending as pending};
use crate::db::keyset;
use crate::db::outbox;
use crate::db::reputation::ledger;
use crate::error::ResultExt;

pub(super) async fn add_member(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
    role: Role,
    now: DateTime<Utc>,
    effects: &Effects,
) -> DomainResult<Membership> {
    let tx = db.begin().await.context("begin join")?;
    lock_community(&tx, community).await?;
    let membership = match find_membership(&tx, community, person).await? {
        Some(existing) => existing,
        None => insert_member(&tx, community, person, role, now).await?,
    };
    delete_pending(&tx, community, person).await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit join").await?;
    Ok(membership)
}

pub(super) async fn remove_member(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
    effects: &Effects,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin leave")?;
    lock_community(&tx, community).await?;
    end_membership(&tx, community, person).await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit leave").await
}

/// Ends `person`'s membership, if any, keeping the community an owner. The caller holds the
/// community's lock ([`lock_community`]).
pub(super) async fn end_membership(
    db: &impl ConnectionTrait,
    community: CommunityId,
    person: PersonId,
) -> DomainResult<()> {
    let Some(current) = find_membership(db, community, person).await? else {
        return Ok(());
    };
    keep_an_owner(db, community, current.role, None).await?;
    member::Entity::delete_by_id((community.as_uuid(), person.as_uuid()))
        .exec(db)
        .await
        .context("remove member")?;
    bump_member_count(db, community, -1).await
}

pub(super) async fn set_role(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
    role: Role,
) -> DomainResult<Membership> {
    let tx = db.begin().await.context("begin role change")?;
    lock_community(&tx, community).await?;
    let current = find_membership(&tx, community, person)
        .await?
        .ok_or_else(|| {
            DomainError::invalid("personId", "NOT_A_MEMBER", "this person is not a member")
        })?;
    keep_an_owner(&tx, community, current.role, Some(role)).await?;
    member::Entity::update_many()
        .col_expr(member::Column::Role, Expr::value(role.as_str()))
        .filter(member::Column::CommunityId.eq(community.as_uuid()))
        .filter(member::Column::PersonId.eq(person.as_uuid()))
        .exec(&tx)
        .await
        .context("change role")?;
    tx.commit().await.context("commit role change")?;
    Ok(Membership { role, ..current })
}

pub(super) async fn membership(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
) -> DomainResult<Option<Membership>> {
    find_membership(db, community, person).await
}

pub(super) async fn add_pending(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
    kind: PendingKind,
    now: DateTime<Utc>,
    effects: &Effects,
) -> DomainResult<()> {
    let row = pending::ActiveModel {
        community_id: Set(community.as_uuid()),
        person_id: Set(person.as_uuid()),
        kind: Set(kind.as_str().to_owned()),
        created_at: Set(now),
    };
    let replace = OnConflict::columns([pending::Column::CommunityId, pending::Column::PersonId])
        .update_columns([pending::Column::Kind, pending::Column::CreatedAt])
        .to_owned();
    let tx = db.begin().await.context("begin request or invitation")?;
    pending::Entity::insert(row)
        .on_conflict(replace)
        .exec_without_returning(&tx)
        .await
        .context("record request or invitation")?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit request or invitation").await
}

pub(super) async fn remove_pending(
    db: &DatabaseConnection,
    community: CommunityId,
    person: PersonId,
    effects: &Effects,
) -> DomainResult<()> {
    let tx = db.begin().await.context("begin withdrawal")?;
    delete_pending(&tx, community, person).await?;
    ledger::apply(&tx, effects).await?;
    outbox::commit(tx, "commit withdrawal").await
}

pub(super) async fn members(
    db: &DatabaseConnection,
    community: CommunityId,
    page: &PageRequest,
) -> DomainResult<Page<Membership>> {
    let select = member::Entity::find().filter(member::Column::CommunityId.eq(community.as_uuid()));
    let columns = (member::Column::JoinedAt, member::Column::PersonId);
    keyset::page(
        db,
        select,
        columns,
        false,
        page,
        keyset::read_time_and_id,
        |row| {
            let cursor = keyset::time_and_id(row.joined_at, row.person_id);
            Ok((cursor, to_membership(row)?))
        },
    )
    .await
}

pub(super) async fn pending(
    db: &DatabaseConnection,
    community: CommunityId,
    kind: PendingKind,
    page: &PageRequest,
) -> DomainResult<Page<Pending>> {
    let select = pending::Entity::find()
        .filter(pending::Column::CommunityId.eq(community.as_uuid()))
        .filter(pending::Column::Kind.eq(kind.as_str()));
    let columns = (pending::Column::CreatedAt, pending::Column::PersonId);
    keyset::page(
        db,
        select,
        columns,
        false,
        page,
        keyset::read_time_and_id,
        |row| {
            let cursor = keyset::time_and_id(row.created_at, row.person_id);
            let item = Pending {
                community: CommunityId::from_uuid(row.community_id),
                person: PersonId::from_uuid(row.person_id),
                kind,
                created_at: row.created_at,
            };
            Ok((cursor, item))
        },
    )
    .await
}

/// Serialises membership changes of one community: a write to its row takes PostgreSQL's row
/// lock and SQLite's write lock for the rest of the transaction.
pub(super) async fn lock_community(
    db: &impl ConnectionTrait,
    community: CommunityId,
) -> DomainResult<()> {
    community::Entity::update_many()
        .col_expr(
            community::Column::MemberCount,
            Expr::col(community::Column::MemberCount),
        )
        .filter(community::Column::Id.eq(community.as_uuid()))
        .exec(db)
        .await
        .context("lock community")?;
    Ok(())
}

/// Refuses a change that would leave the community without an owner.
async fn keep_an_owner(
    db: &impl ConnectionTrait,
    community: CommunityId,
    current: Role,
    next: Option<Role>,
) -> DomainResult<()> {
    if current != Role::Owner || next == Some(Role::Owner) {
        return Ok(());
    }
    let owners = member::Entity::find()
        .filter(member::Column::CommunityId.eq(community.as_uuid()))
        .filter(member::Column::Role.eq(Role::Owner.as_str()))
        .count(db)
        .await
        .context("count owners")?;
    if owners <= 1 {
        return Err(DomainError::invalid(
            "personId",
            "LAST_OWNER",
            "a community keeps at least one owner: make someone else an owner first",
        ));
    }
    Ok(())
}

pub(super) async fn insert_member(
    db: &impl ConnectionTrait,
    community: CommunityId,
    person: PersonId,
    role: Role,
    now: DateTime<Utc>,
) -> DomainResult<Membership> {
    let row = member::ActiveModel {
        community_id: Set(community.as_uuid()),
        person_id: Set(person.as_uuid()),
        role: Set(role.as_str().to_owned()),
        joined_at: Set(now),
    }
    .insert(db)
    .await
    .context("add member")?;
    bump_member_count(db, community, 1).await?;
    to_membership(row)
}

async fn bump_member_count(
    db: &impl ConnectionTrait,
    community: CommunityId,
    by: i64,
) -> DomainResult<()> {
    community::Entity::update_many()
        .col_expr(
            community::Column::MemberCount,
            Expr::col(community::Column::MemberCount).add(by),
        )
        .filter(community::Column::Id.eq(community.as_uuid()))
        .exec(db)
        .await
        .context("count members")?;
    Ok(())
}

async fn find_membership(
    db: &impl ConnectionTrait,
    community: CommunityId,
    person: PersonId,
) -> DomainResult<Option<Membership>> {
    let row = member::Entity::find_by_id((community.as_uuid(), person.as_uuid()))
        .one(db)
        .await
        .context("read membership")?;
    row.map(to_membership).transpose()
}

pub(super) async fn delete_pending(
    db: &impl ConnectionTrait,
    community: CommunityId,
    person: PersonId,
) -> DomainResult<()> {
    pending::Entity::delete_by_id((community.as_uuid(), person.as_uuid()))
        .exec(db)
        .await
        .context("clear request or invitation")?;
    Ok(())
}

fn to_membership(row: member::Model) -> DomainResult<Membership> {
    Ok(Membership {
        community: CommunityId::from_uuid(row.community_id),
        person: PersonId::from_uuid(row.person_id),
        role: Role::parse(&row.role).ok_or_else(|| corrupt("role", row.person_id, &row.role))?,
        joined_at: row.joined_at,
    })
}
