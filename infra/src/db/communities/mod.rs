//! Communities, memberships, requests and invitations in SQL.

mod standings;

pub(super) use standings::{add_community_and_standing, read_community_and_standing};

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::community::{
    Community, CommunityId, CommunityOrder, CommunityQuery, DiscussionMode, Membership,
    NewCommunity, Pending, PendingKind, Role, Standing, Visibility,
};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::CommunityRepository;
use khub_domain::search::SearchDocument;
use khub_domain::slug::Slug;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{community, community_member as member, community_pending as pending};
use super::keyset;
use crate::db::one_of::one_of;
use crate::db::search::documents;
use crate::error::{ResultExt, on_unique};

/// The community repository over sea-orm.
#[derive(Clone)]
pub struct SqlCommunities {
    db: DatabaseConnection,
}

impl SqlCommunities {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl CommunityRepository for SqlCommunities {
    #[tracing::instrument(skip_all, fields(slug = %new.slug))]
    async fn create(
        &self,
        new: &NewCommunity,
        owner: PersonId,
        now: DateTime<Utc>,
    ) -> DomainResult<Community> {
        let id = CommunityId::generate();
        let tx = self.db.begin().await.context("begin community insert")?;
        let row = community::ActiveModel {
            id: Set(id.as_uuid()),
            slug: Set(new.slug.to_string()),
            name: Set(new.name.clone()),
            description: Set(new.description.clone()),
            visibility: Set(new.visibility.as_str().to_owned()),
            discussion_mode: Set(new.discussion_mode.as_str().to_owned()),
            promotion_threshold: Set(new.promotion_threshold as i32),
            member_count: Set(0),
            created_at: Set(now),
            last_activity_at: Set(now),
        }
        .insert(&tx)
        .await
        .map_err(|e| on_unique(e, "slug", "a community with this slug already exists"))?;
        insert_member(&tx, id, owner, Role::Owner, now).await?;
        let document = SearchDocument::of_community(&to_community(row)?);
        documents::sync(&tx, id.as_uuid(), Some(document)).await?;
        tx.commit().await.context("commit community insert")?;
        self.find_by_ids(&[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound)
    }

    async fn find_by_slug(&self, slug: &str) -> DomainResult<Option<Community>> {
        let row = community::Entity::find()
            .filter(community::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .context("find community by slug")?;
        row.map(to_community).transpose()
    }

    async fn find_by_ids(&self, ids: &[CommunityId]) -> DomainResult<Vec<Community>> {
        let uuids: Vec<Uuid> = ids.iter().map(CommunityId::as_uuid).collect();
        let rows = community::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                community::Column::Id,
                uuids,
            ))
            .all(&self.db)
            .await
            .context("find communities by id")?;
        rows.into_iter().map(to_community).collect()
    }

    async fn find_with_standings(
        &self,
        ids: &[CommunityId],
        person: PersonId,
    ) -> DomainResult<Vec<(Community, Standing)>> {
        standings::with_standings(&self.db, ids, person).await
    }

    async fn standings(
        &self,
        person: PersonId,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, Standing>> {
        standings::standings(&self.db, person, communities).await
    }

    async fn list(
        &self,
        query: &CommunityQuery,
        order: CommunityOrder,
        page: &PageRequest,
    ) -> DomainResult<Page<Community>> {
        let condition = list_condition(query);
        let select = community::Entity::find().filter(condition.clone());
        let rows = match order {
            CommunityOrder::Name => {
                let columns = (community::Column::Name, community::Column::Id);
                keyset::fetch(
                    &self.db,
                    select,
                    columns,
                    false,
                    page,
                    keyset::read_text_and_id,
                )
                .await?
            }
            CommunityOrder::Activity => {
                let columns = (community::Column::LastActivityAt, community::Column::Id);
                keyset::fetch(
                    &self.db,
                    select,
                    columns,
                    true,
                    page,
                    keyset::read_time_and_id,
                )
                .await?
            }
        };
        let total =
            keyset::total(&self.db, community::Entity::find().filter(condition), page).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let cursor = match order {
                    CommunityOrder::Name => keyset::text_and_id(&row.name, row.id),
                    CommunityOrder::Activity => keyset::time_and_id(row.last_activity_at, row.id),
                };
                Ok((cursor, to_community(row)?))
            })
            .collect::<DomainResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, page, total))
    }

    async fn add_member(
        &self,
        community: CommunityId,
        person: PersonId,
        role: Role,
        now: DateTime<Utc>,
    ) -> DomainResult<Membership> {
        let tx = self.db.begin().await.context("begin join")?;
        lock_community(&tx, community).await?;
        let membership = match find_membership(&tx, community, person).await? {
            Some(existing) => existing,
            None => insert_member(&tx, community, person, role, now).await?,
        };
        delete_pending(&tx, community, person).await?;
        tx.commit().await.context("commit join")?;
        Ok(membership)
    }

    async fn remove_member(&self, community: CommunityId, person: PersonId) -> DomainResult<()> {
        let tx = self.db.begin().await.context("begin leave")?;
        lock_community(&tx, community).await?;
        let Some(current) = find_membership(&tx, community, person).await? else {
            return Ok(());
        };
        keep_an_owner(&tx, community, current.role, None).await?;
        member::Entity::delete_by_id((community.as_uuid(), person.as_uuid()))
            .exec(&tx)
            .await
            .context("remove member")?;
        bump_member_count(&tx, community, -1).await?;
        tx.commit().await.context("commit leave")
    }

    async fn set_role(
        &self,
        community: CommunityId,
        person: PersonId,
        role: Role,
    ) -> DomainResult<Membership> {
        let tx = self.db.begin().await.context("begin role change")?;
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

    async fn membership(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> DomainResult<Option<Membership>> {
        find_membership(&self.db, community, person).await
    }

    async fn add_pending(
        &self,
        community: CommunityId,
        person: PersonId,
        kind: PendingKind,
        now: DateTime<Utc>,
    ) -> DomainResult<()> {
        let row = pending::ActiveModel {
            community_id: Set(community.as_uuid()),
            person_id: Set(person.as_uuid()),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(now),
        };
        let replace =
            OnConflict::columns([pending::Column::CommunityId, pending::Column::PersonId])
                .update_columns([pending::Column::Kind, pending::Column::CreatedAt])
                .to_owned();
        pending::Entity::insert(row)
            .on_conflict(replace)
            .exec_without_returning(&self.db)
            .await
            .context("record request or invitation")?;
        Ok(())
    }

    async fn remove_pending(&self, community: CommunityId, person: PersonId) -> DomainResult<()> {
        delete_pending(&self.db, community, person).await
    }

    async fn record_activity(&self, community: CommunityId, at: DateTime<Utc>) -> DomainResult<()> {
        record_activity(&self.db, community, at).await
    }

    async fn members(
        &self,
        community: CommunityId,
        page: &PageRequest,
    ) -> DomainResult<Page<Membership>> {
        let select =
            member::Entity::find().filter(member::Column::CommunityId.eq(community.as_uuid()));
        let columns = (member::Column::JoinedAt, member::Column::PersonId);
        keyset::page(
            &self.db,
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

    async fn pending(
        &self,
        community: CommunityId,
        kind: PendingKind,
        page: &PageRequest,
    ) -> DomainResult<Page<Pending>> {
        let select = pending::Entity::find()
            .filter(pending::Column::CommunityId.eq(community.as_uuid()))
            .filter(pending::Column::Kind.eq(kind.as_str()));
        let columns = (pending::Column::CreatedAt, pending::Column::PersonId);
        keyset::page(
            &self.db,
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
}

/// What a reader may list: not PRIVATE, or PRIVATE and they belong or were invited.
fn list_condition(query: &CommunityQuery) -> Condition {
    let mut condition = Condition::all();
    let filter = &query.filter;
    if let Some(matches) = keyset::name_or_key_contains(
        community::Column::Name,
        community::Column::Slug,
        filter.text.as_deref(),
    ) {
        condition = condition.add(matches);
    }
    if let Some(visibility) = filter.visibility {
        condition = condition.add(community::Column::Visibility.eq(visibility.as_str()));
    }
    let not_private = community::Column::Visibility.ne(Visibility::Private.as_str());
    let Some(reader) = query.reader else {
        return condition.add(not_private);
    };
    let memberships = Query::select()
        .column(member::Column::CommunityId)
        .from(member::Entity)
        .and_where(member::Column::PersonId.eq(reader.as_uuid()))
        .to_owned();
    if filter.mine {
        return condition.add(community::Column::Id.in_subquery(memberships));
    }
    let invitations = Query::select()
        .column(pending::Column::CommunityId)
        .from(pending::Entity)
        .and_where(pending::Column::PersonId.eq(reader.as_uuid()))
        .and_where(pending::Column::Kind.eq(PendingKind::Invitation.as_str()))
        .to_owned();
    condition.add(
        Condition::any()
            .add(not_private)
            .add(community::Column::Id.in_subquery(memberships))
            .add(community::Column::Id.in_subquery(invitations)),
    )
}

/// Serialises membership changes of one community: a write to its row takes PostgreSQL's row
/// lock and SQLite's write lock for the rest of the transaction.
async fn lock_community(db: &impl ConnectionTrait, community: CommunityId) -> DomainResult<()> {
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

async fn insert_member(
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

/// Marks the community's latest activity, unless it already has a later one.
pub(super) async fn record_activity(
    db: &impl ConnectionTrait,
    community: CommunityId,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    activity_update(community, at)
        .exec(db)
        .await
        .context("record community activity")?;
    Ok(())
}

/// The update behind [`record_activity`], for statements that do more in one round trip.
pub(super) fn activity_update(
    community: CommunityId,
    at: DateTime<Utc>,
) -> sea_orm::UpdateMany<community::Entity> {
    community::Entity::update_many()
        .col_expr(community::Column::LastActivityAt, Expr::value(at))
        .filter(community::Column::Id.eq(community.as_uuid()))
        .filter(community::Column::LastActivityAt.lt(at))
}

async fn delete_pending(
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

fn corrupt(what: &str, id: Uuid, value: &str) -> DomainError {
    DomainError::unavailable(
        format!("read {what}"),
        format!("unknown value `{value}` in row {id}"),
    )
}

pub(crate) fn to_community(row: community::Model) -> DomainResult<Community> {
    Ok(Community {
        id: CommunityId::from_uuid(row.id),
        slug: Slug::parse("slug", &row.slug)?,
        visibility: Visibility::parse(&row.visibility)
            .ok_or_else(|| corrupt("visibility", row.id, &row.visibility))?,
        discussion_mode: DiscussionMode::parse(&row.discussion_mode)
            .ok_or_else(|| corrupt("discussion mode", row.id, &row.discussion_mode))?,
        name: row.name,
        description: row.description,
        promotion_threshold: u32::try_from(row.promotion_threshold).unwrap_or(1),
        member_count: u64::try_from(row.member_count).unwrap_or(0),
        created_at: row.created_at,
        last_activity_at: row.last_activity_at,
    })
}

fn to_membership(row: member::Model) -> DomainResult<Membership> {
    Ok(Membership {
        community: CommunityId::from_uuid(row.community_id),
        person: PersonId::from_uuid(row.person_id),
        role: Role::parse(&row.role).ok_or_else(|| corrupt("role", row.person_id, &row.role))?,
        joined_at: row.joined_at,
    })
}
