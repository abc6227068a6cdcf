//! Follows between people in SQL.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::{Person, PersonId};
use khub_domain::ports::{FollowCounts, PersonRepository};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::SqlPeople;
use crate::db::entity::follow;
use crate::db::keyset;
use crate::db::one_of::one_of;
use crate::error::ResultExt;

impl SqlPeople {
    /// A page of the follows on one side of `person`, newest first, as people.
    pub(super) async fn follow_page(
        &self,
        person: PersonId,
        page: &PageRequest,
        followers: bool,
    ) -> DomainResult<Page<Person>> {
        let (mine, theirs) = match followers {
            true => (follow::Column::FolloweeId, follow::Column::FollowerId),
            false => (follow::Column::FollowerId, follow::Column::FolloweeId),
        };
        let select = follow::Entity::find().filter(mine.eq(person.as_uuid()));
        let rows = keyset::fetch(
            &self.db,
            select,
            (follow::Column::CreatedAt, theirs),
            true,
            page,
            keyset::read_time_and_id,
        )
        .await?;
        let other = |row: &follow::Model| {
            if followers {
                row.follower_id
            } else {
                row.followee_id
            }
        };
        let ids: Vec<PersonId> = rows
            .iter()
            .map(|row| PersonId::from_uuid(other(row)))
            .collect();
        let mut people: HashMap<Uuid, Person> = self
            .find_by_ids(&ids)
            .await?
            .into_iter()
            .map(|p| (p.id.as_uuid(), p))
            .collect();
        // Rows keep the follow order; each person appears once per side.
        let items = rows
            .iter()
            .filter_map(|row| {
                let cursor = keyset::time_and_id(row.created_at, other(row));
                people.remove(&other(row)).map(|p| (cursor, p))
            })
            .collect();
        let total = keyset::total(
            &self.db,
            follow::Entity::find().filter(mine.eq(person.as_uuid())),
            page,
        )
        .await?;
        Ok(Page::from_overfetch(items, page, total))
    }

    /// Follow counts on one side, grouped by person.
    async fn count_by(
        &self,
        column: follow::Column,
        ids: &[Uuid],
    ) -> DomainResult<HashMap<Uuid, u64>> {
        let rows: Vec<(Uuid, i64)> = follow::Entity::find()
            .select_only()
            .column(column)
            .column_as(Expr::col(column).count(), "n")
            .filter(one_of(self.db.get_database_backend(), column, ids.to_vec()))
            .group_by(column)
            .into_tuple()
            .all(&self.db)
            .await
            .context("count follows")?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
            .collect())
    }

    pub(super) async fn insert_follow(
        &self,
        follower: PersonId,
        followee: PersonId,
    ) -> DomainResult<bool> {
        let row = follow::ActiveModel {
            follower_id: Set(follower.as_uuid()),
            followee_id: Set(followee.as_uuid()),
            created_at: Set(Utc::now()),
        };
        let conflict =
            OnConflict::columns([follow::Column::FollowerId, follow::Column::FolloweeId])
                .do_nothing()
                .to_owned();
        match follow::Entity::insert(row)
            .on_conflict(conflict)
            .exec_without_returning(&self.db)
            .await
        {
            Ok(rows) => Ok(rows > 0),
            Err(DbErr::RecordNotInserted) => Ok(false),
            Err(e) => Err(DomainError::unavailable("store follow", e)),
        }
    }

    pub(super) async fn delete_follow(
        &self,
        follower: PersonId,
        followee: PersonId,
    ) -> DomainResult<bool> {
        let deleted = follow::Entity::delete_many()
            .filter(follow::Column::FollowerId.eq(follower.as_uuid()))
            .filter(follow::Column::FolloweeId.eq(followee.as_uuid()))
            .exec(&self.db)
            .await
            .context("remove follow")?;
        Ok(deleted.rows_affected > 0)
    }

    pub(super) async fn count_follows(
        &self,
        ids: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, FollowCounts>> {
        let uuids: Vec<Uuid> = ids.iter().map(PersonId::as_uuid).collect();
        let followers = self.count_by(follow::Column::FolloweeId, &uuids).await?;
        let following = self.count_by(follow::Column::FollowerId, &uuids).await?;
        Ok(ids
            .iter()
            .map(|id| {
                let counts = FollowCounts {
                    followers: followers.get(&id.as_uuid()).copied().unwrap_or(0),
                    following: following.get(&id.as_uuid()).copied().unwrap_or(0),
                };
                (*id, counts)
            })
            .collect())
    }

    pub(super) async fn followed_among(
        &self,
        follower: PersonId,
        followees: &[PersonId],
    ) -> DomainResult<HashSet<PersonId>> {
        let rows: Vec<Uuid> = follow::Entity::find()
            .select_only()
            .column(follow::Column::FolloweeId)
            .filter(follow::Column::FollowerId.eq(follower.as_uuid()))
            .filter(one_of(
                self.db.get_database_backend(),
                follow::Column::FolloweeId,
                followees.iter().map(PersonId::as_uuid),
            ))
            .into_tuple()
            .all(&self.db)
            .await
            .context("read follows")?;
        Ok(rows.into_iter().map(PersonId::from_uuid).collect())
    }
}
