//! People and follows in SQL.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::Utc;
use khub_domain::organisation::OrganisationId;
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::{
    NewPerson, OrganisationRole, Person, PersonFilter, PersonId, ProfileChanges,
};
use khub_domain::ports::{FollowCounts, PersonRepository};
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use super::entity::{follow, person};
use super::keyset;
use crate::db::one_of::one_of;
use crate::error::ResultExt;

/// The person repository over sea-orm.
#[derive(Clone)]
pub struct SqlPeople {
    db: DatabaseConnection,
}

impl SqlPeople {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    async fn one(&self, condition: Condition, what: &str) -> DomainResult<Option<person::Model>> {
        person::Entity::find()
            .filter(condition)
            .one(&self.db)
            .await
            .context(what)
    }

    /// A page of the follows on one side of `person`, newest first, as people.
    async fn follow_page(
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
}

#[async_trait]
impl PersonRepository for SqlPeople {
    #[tracing::instrument(skip_all, fields(handle = %new.handle))]
    async fn create(&self, new: &NewPerson) -> DomainResult<Person> {
        let now = Utc::now();
        let row = person::ActiveModel {
            id: Set(PersonId::generate().as_uuid()),
            email: Set(new.email.clone()),
            handle: Set(new.handle.clone()),
            display_name: Set(new.display_name.clone()),
            password_hash: Set(new.password_hash.clone()),
            job_title: Set(None),
            bio: Set(None),
            area: Set(None),
            interests: Set(serde_json::json!([])),
            organisation_id: Set(new.organisation_id.map(|id| id.as_uuid())),
            organisation_role: Set(new
                .organisation_id
                .map(|_| OrganisationRole::Member.as_str().to_owned())),
            hub_administrator: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let row = row.insert(&self.db).await.map_err(taken)?;
        to_domain(row)
    }

    async fn find_by_ids(&self, ids: &[PersonId]) -> DomainResult<Vec<Person>> {
        let uuids: Vec<Uuid> = ids.iter().map(PersonId::as_uuid).collect();
        let rows = person::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                person::Column::Id,
                uuids,
            ))
            .all(&self.db)
            .await
            .context("find people by id")?;
        rows.into_iter().map(to_domain).collect()
    }

    async fn find_by_handles(&self, handles: &[String]) -> DomainResult<Vec<Person>> {
        let rows = person::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                person::Column::Handle,
                handles.iter().map(|h| h.to_lowercase()),
            ))
            .all(&self.db)
            .await
            .context("find people by handle")?;
        rows.into_iter().map(to_domain).collect()
    }

    async fn find_by_handle(&self, handle: &str) -> DomainResult<Option<Person>> {
        let condition = Condition::all().add(person::Column::Handle.eq(handle.to_lowercase()));
        self.one(condition, "find person by handle")
            .await?
            .map(to_domain)
            .transpose()
    }

    async fn find_by_email(&self, email: &str) -> DomainResult<Option<Person>> {
        let condition = Condition::all().add(person::Column::Email.eq(email.to_lowercase()));
        self.one(condition, "find person by email")
            .await?
            .map(to_domain)
            .transpose()
    }

    async fn find_credentials(&self, email: &str) -> DomainResult<Option<(Person, String)>> {
        let condition = Condition::all().add(person::Column::Email.eq(email.to_lowercase()));
        match self.one(condition, "find credentials").await? {
            Some(row) => {
                let hash = row.password_hash.clone();
                Ok(Some((to_domain(row)?, hash)))
            }
            None => Ok(None),
        }
    }

    #[tracing::instrument(skip(self, changes))]
    async fn update_profile(&self, id: PersonId, changes: &ProfileChanges) -> DomainResult<Person> {
        let row = person::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .context("load profile")?
            .ok_or(DomainError::NotFound)?;
        let mut row = row.into_active_model();
        let optional = |value: &Option<String>| {
            value
                .as_ref()
                .map(|v| Some(v.clone()).filter(|v| !v.is_empty()))
        };
        if let Some(name) = &changes.display_name {
            row.display_name = Set(name.clone());
        }
        if let Some(value) = optional(&changes.job_title) {
            row.job_title = Set(value);
        }
        if let Some(value) = optional(&changes.bio) {
            row.bio = Set(value);
        }
        if let Some(value) = optional(&changes.area) {
            row.area = Set(value);
        }
        if let Some(interests) = &changes.interests {
            row.interests = Set(serde_json::json!(interests));
        }
        row.updated_at = Set(Utc::now());
        to_domain(row.update(&self.db).await.context("update profile")?)
    }

    async fn list(&self, filter: &PersonFilter, page: &PageRequest) -> DomainResult<Page<Person>> {
        let condition = filter_condition(filter);
        let select = person::Entity::find().filter(condition);
        let order = (person::Column::DisplayName, person::Column::Id);
        keyset::page(
            &self.db,
            select,
            order,
            false,
            page,
            keyset::read_text_and_id,
            |row| {
                let cursor = keyset::text_and_id(&row.display_name, row.id);
                Ok((cursor, to_domain(row)?))
            },
        )
        .await
    }

    async fn follow(&self, follower: PersonId, followee: PersonId) -> DomainResult<bool> {
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

    async fn unfollow(&self, follower: PersonId, followee: PersonId) -> DomainResult<bool> {
        let deleted = follow::Entity::delete_many()
            .filter(follow::Column::FollowerId.eq(follower.as_uuid()))
            .filter(follow::Column::FolloweeId.eq(followee.as_uuid()))
            .exec(&self.db)
            .await
            .context("remove follow")?;
        Ok(deleted.rows_affected > 0)
    }

    async fn follow_counts(
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

    async fn follows_among(
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

    async fn followers(&self, person: PersonId, page: &PageRequest) -> DomainResult<Page<Person>> {
        self.follow_page(person, page, true).await
    }

    async fn following(&self, person: PersonId, page: &PageRequest) -> DomainResult<Page<Person>> {
        self.follow_page(person, page, false).await
    }

    async fn set_organisation(
        &self,
        id: PersonId,
        organisation: Option<(OrganisationId, OrganisationRole)>,
    ) -> DomainResult<()> {
        person::Entity::update_many()
            .col_expr(
                person::Column::OrganisationId,
                Expr::value(organisation.map(|(o, _)| o.as_uuid())),
            )
            .col_expr(
                person::Column::OrganisationRole,
                Expr::value(organisation.map(|(_, r)| r.as_str())),
            )
            .filter(person::Column::Id.eq(id.as_uuid()))
            .exec(&self.db)
            .await
            .context("set organisation")?;
        Ok(())
    }

    async fn set_hub_administrator(&self, id: PersonId, administrator: bool) -> DomainResult<()> {
        person::Entity::update_many()
            .col_expr(person::Column::HubAdministrator, Expr::value(administrator))
            .filter(person::Column::Id.eq(id.as_uuid()))
            .exec(&self.db)
            .await
            .context("set hub administrator")?;
        Ok(())
    }
}

/// Which unique field a violation is about; the databases name the column differently.
fn taken(err: DbErr) -> DomainError {
    let message = err.to_string();
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) if message.contains("handle") => {
            DomainError::invalid("handle", "TAKEN", "this handle is taken")
        }
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => DomainError::invalid(
            "email",
            "TAKEN",
            "an account with this e-mail address exists",
        ),
        _ => DomainError::unavailable("store person", err),
    }
}

fn filter_condition(filter: &PersonFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(organisation) = filter.organisation {
        condition = condition.add(person::Column::OrganisationId.eq(organisation.as_uuid()));
    }
    let text = filter.text.as_deref();
    if let Some(matches) =
        keyset::name_or_key_contains(person::Column::DisplayName, person::Column::Handle, text)
    {
        condition = condition.add(matches);
    }
    condition
}

fn to_domain(row: person::Model) -> DomainResult<Person> {
    let interests = serde_json::from_value::<Vec<String>>(row.interests.clone())
        .map_err(|e| DomainError::unavailable(format!("read interests of person {}", row.id), e))?;
    let organisation = match (row.organisation_id, row.organisation_role.as_deref()) {
        (Some(id), role) => Some((
            OrganisationId::from_uuid(id),
            role.and_then(OrganisationRole::parse)
                .unwrap_or(OrganisationRole::Member),
        )),
        (None, _) => None,
    };
    Ok(Person {
        id: PersonId::from_uuid(row.id),
        handle: row.handle,
        email: row.email,
        display_name: row.display_name,
        job_title: row.job_title,
        bio: row.bio,
        area: row.area,
        interests,
        organisation,
        hub_administrator: row.hub_administrator,
        created_at: row.created_at,
    })
}
