//! Communities, memberships, requests and invitations in SQL.

mod bans;
mod members;
mod settings;
mod standings;

pub(super) use standings::{
    add_community_and_standing, add_community_and_standing_of, read_community_and_standing,
};

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::community::{
    Community, CommunityId, CommunityOrder, CommunityQuery, DEFAULT_FLAG_THRESHOLD, DiscussionMode,
    Membership, NewCommunity, Pending, PendingKind, Role, Standing, Visibility,
};
use khub_domain::moderation::Ban;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::CommunityRepository;
use khub_domain::reputation::Effects;
use khub_domain::search::SearchDocument;
use khub_domain::slug::Slug;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{community, community_member as member, community_pending as pending};
use super::keyset;
use crate::db::one_of::one_of;
use crate::db::search::documents;
use crate::error::{ResultExt, on_unique};
use members::insert_member;

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
            flag_threshold: Set(DEFAULT_FLAG_THRESHOLD as i32),
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

    async fn find_by_slug_with_standing(
        &self,
        slug: &str,
        reader: Option<PersonId>,
    ) -> DomainResult<Option<(Community, Standing)>> {
        standings::by_slug_with_standing(&self.db, slug, reader).await
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
        effects: &Effects,
    ) -> DomainResult<Membership> {
        members::add_member(&self.db, community, person, role, now, effects).await
    }

    async fn remove_member(
        &self,
        community: CommunityId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<()> {
        members::remove_member(&self.db, community, person, effects).await
    }

    async fn ban(&self, ban: &Ban, effects: &Effects) -> DomainResult<()> {
        bans::ban(&self.db, ban, effects).await
    }

    async fn unban(
        &self,
        community: CommunityId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<()> {
        bans::unban(&self.db, community, person, effects).await
    }

    async fn ban_of(&self, community: CommunityId, person: PersonId) -> DomainResult<Option<Ban>> {
        bans::ban_of(&self.db, community, person).await
    }

    async fn set_role(
        &self,
        community: CommunityId,
        person: PersonId,
        role: Role,
    ) -> DomainResult<Membership> {
        members::set_role(&self.db, community, person, role).await
    }

    async fn membership(
        &self,
        community: CommunityId,
        person: PersonId,
    ) -> DomainResult<Option<Membership>> {
        members::membership(&self.db, community, person).await
    }

    async fn add_pending(
        &self,
        community: CommunityId,
        person: PersonId,
        kind: PendingKind,
        now: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<()> {
        members::add_pending(&self.db, community, person, kind, now, effects).await
    }

    async fn remove_pending(
        &self,
        community: CommunityId,
        person: PersonId,
        effects: &Effects,
    ) -> DomainResult<()> {
        members::remove_pending(&self.db, community, person, effects).await
    }

    async fn update(&self, community: &Community) -> DomainResult<()> {
        settings::update(&self.db, community).await
    }

    async fn record_activity(&self, community: CommunityId, at: DateTime<Utc>) -> DomainResult<()> {
        record_activity(&self.db, community, at).await
    }

    async fn members(
        &self,
        community: CommunityId,
        page: &PageRequest,
    ) -> DomainResult<Page<Membership>> {
        members::members(&self.db, community, page).await
    }

    async fn pending(
        &self,
        community: CommunityId,
        kind: PendingKind,
        page: &PageRequest,
    ) -> DomainResult<Page<Pending>> {
        members::pending(&self.db, community, kind, page).await
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
        flag_threshold: u32::try_from(row.flag_threshold).unwrap_or(1),
        member_count: u64::try_from(row.member_count).unwrap_or(0),
        created_at: row.created_at,
        last_activity_at: row.last_activity_at,
    })
}
