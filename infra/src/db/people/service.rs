//! Organisations' service identities: the person rows their API tokens act as.

use chrono::Utc;
use khub_domain::DomainResult;
use khub_domain::organisation::Organisation;
use khub_domain::person::{OrganisationRole, Person, PersonId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, DbErr, EntityTrait};

use super::{SqlPeople, to_domain};
use crate::db::entity::person;
use crate::error::ResultExt;

impl SqlPeople {
    /// The organisation's service identity, created the first time it is asked for (racing
    /// callers get the same one: the address is unique).
    pub(super) async fn ensure_service_identity(
        &self,
        organisation: &Organisation,
    ) -> DomainResult<Person> {
        let email = format!("{}@service.invalid", organisation.id);
        let condition = Condition::all().add(person::Column::Email.eq(email.as_str()));
        if let Some(found) = self.one(condition.clone(), "find service identity").await? {
            return to_domain(found);
        }
        let now = Utc::now();
        let row = person::ActiveModel {
            id: Set(PersonId::generate().as_uuid()),
            email: Set(email),
            handle: Set(service_handle(organisation.slug.as_str())),
            display_name: Set(organisation.name.clone()),
            // No password matches a hash that is not one.
            password_hash: Set("!".into()),
            job_title: Set(None),
            bio: Set(None),
            area: Set(None),
            interests: Set(serde_json::json!([])),
            organisation_id: Set(Some(organisation.id.as_uuid())),
            organisation_role: Set(Some(OrganisationRole::Member.as_str().to_owned())),
            hub_administrator: Set(false),
            service: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        };
        let conflict = OnConflict::column(person::Column::Email)
            .do_nothing()
            .to_owned();
        match person::Entity::insert(row)
            .on_conflict(conflict)
            .exec_without_returning(&self.db)
            .await
        {
            Ok(_) | Err(DbErr::RecordNotInserted) => {}
            Err(e) => return Err(e).context("create service identity"),
        }
        let created = self.one(condition, "read service identity").await?;
        created.map(to_domain).transpose()?.ok_or_else(|| {
            khub_domain::DomainError::unavailable(
                "create service identity",
                "not found after insert",
            )
        })
    }
}

/// The handle of an organisation's service identity; registration reserves the `org-` prefix.
fn service_handle(slug: &str) -> String {
    format!("org-{}", slug.chars().take(26).collect::<String>())
}
