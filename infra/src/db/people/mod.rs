//! People and follows in SQL.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::Utc;
use khub_domain::organisation::{Organisation, OrganisationId};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::{
    NewPerson, OrganisationRole, Person, PersonFilter, PersonId, ProfileChanges,
};
use khub_domain::ports::{FollowCounts, PersonRepository};
use khub_domain::search::SearchDocument;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, DbErr,
    EntityTrait, IntoActiveModel, QueryFilter, TransactionTrait,
};
use uuid::Uuid;

mod feed_tokens;
mod follows;
mod service;

use super::entity::person;
use super::keyset;
use crate::db::one_of::one_of;
use crate::db::search::documents;
use crate::error::ResultExt;

/// The person repository over sea-orm.
#[derive(Clone)]
pub struct SqlPeople {
    pub(super) db: DatabaseConnection,
}

impl SqlPeople {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    pub(super) async fn one(
        &self,
        condition: Condition,
        what: &str,
    ) -> DomainResult<Option<person::Model>> {
        person::Entity::find()
            .filter(condition)
            .one(&self.db)
            .await
            .context(what)
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
            service: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let tx = self.db.begin().await.context("begin person insert")?;
        let person = to_domain(row.insert(&tx).await.map_err(taken)?)?;
        let document = SearchDocument::of_person(&person);
        documents::sync(&tx, person.id.as_uuid(), document).await?;
        tx.commit().await.context("commit person insert")?;
        Ok(person)
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
        let tx = self.db.begin().await.context("begin profile update")?;
        let row = person::Entity::find_by_id(id.as_uuid())
            .one(&tx)
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
        let person = to_domain(row.update(&tx).await.context("update profile")?)?;
        documents::sync(&tx, id.as_uuid(), SearchDocument::of_person(&person)).await?;
        tx.commit().await.context("commit profile update")?;
        Ok(person)
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
        self.insert_follow(follower, followee).await
    }

    async fn unfollow(&self, follower: PersonId, followee: PersonId) -> DomainResult<bool> {
        self.delete_follow(follower, followee).await
    }

    async fn follow_counts(
        &self,
        ids: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, FollowCounts>> {
        self.count_follows(ids).await
    }

    async fn follows_among(
        &self,
        follower: PersonId,
        followees: &[PersonId],
    ) -> DomainResult<HashSet<PersonId>> {
        self.followed_among(follower, followees).await
    }

    async fn followers(&self, person: PersonId, page: &PageRequest) -> DomainResult<Page<Person>> {
        self.follow_page(person, page, true).await
    }

    async fn following(&self, person: PersonId, page: &PageRequest) -> DomainResult<Page<Person>> {
        self.follow_page(person, page, false).await
    }

    async fn service_identity(&self, organisation: &Organisation) -> DomainResult<Person> {
        self.ensure_service_identity(organisation).await
    }

    async fn set_password_hash(&self, id: PersonId, hash: &str) -> DomainResult<()> {
        person::Entity::update_many()
            .col_expr(person::Column::PasswordHash, Expr::value(hash.to_owned()))
            .filter(person::Column::Id.eq(id.as_uuid()))
            .exec(&self.db)
            .await
            .context("set password")?;
        Ok(())
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

    async fn feed_token_generation(&self, id: PersonId) -> DomainResult<u32> {
        feed_tokens::generation(&self.db, id).await
    }

    async fn next_feed_token_generation(&self, id: PersonId) -> DomainResult<u32> {
        feed_tokens::next_generation(&self.db, id).await
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

pub(crate) fn to_domain(row: person::Model) -> DomainResult<Person> {
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
        service: row.service,
        created_at: row.created_at,
    })
}
