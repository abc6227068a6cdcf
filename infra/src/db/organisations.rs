//! Organisations in SQL.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::Utc;
use khub_domain::organisation::{
    EmailDomain, NewOrganisation, Organisation, OrganisationFilter, OrganisationId,
    OrganisationKind,
};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::ports::OrganisationRepository;
use khub_domain::slug::Slug;
use khub_domain::{DomainError, DomainResult};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{organisation, organisation_domain};
use super::keyset;
use crate::db::one_of::one_of;
use crate::error::{ResultExt, on_unique};

/// The organisation repository over sea-orm.
#[derive(Clone)]
pub struct SqlOrganisations {
    db: DatabaseConnection,
}

impl SqlOrganisations {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait]
impl OrganisationRepository for SqlOrganisations {
    #[tracing::instrument(skip(self, new), fields(slug = %new.slug))]
    async fn create(&self, new: &NewOrganisation) -> DomainResult<Organisation> {
        let tx = self.db.begin().await.context("begin organisation insert")?;
        let created = insert(&tx, new).await?;
        tx.commit().await.context("commit organisation insert")?;
        Ok(created)
    }

    #[tracing::instrument(skip(self))]
    async fn find_by_slug(&self, slug: &str) -> DomainResult<Option<Organisation>> {
        let row = organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .one(&self.db)
            .await
            .context("find organisation by slug")?;
        Ok(with_domains(&self.db, row.into_iter().collect())
            .await?
            .pop())
    }

    #[tracing::instrument(skip(self))]
    async fn find_by_domain(&self, domain: &str) -> DomainResult<Option<Organisation>> {
        let Some(row) = organisation_domain::Entity::find_by_id(domain.to_lowercase())
            .one(&self.db)
            .await
            .context("find organisation by domain")?
        else {
            return Ok(None);
        };
        let found = self
            .find_by_ids(&[OrganisationId::from_uuid(row.organisation_id)])
            .await?;
        Ok(found.into_iter().next())
    }

    #[tracing::instrument(skip(self, ids), fields(count = ids.len()))]
    async fn find_by_ids(&self, ids: &[OrganisationId]) -> DomainResult<Vec<Organisation>> {
        let uuids: Vec<Uuid> = ids.iter().map(OrganisationId::as_uuid).collect();
        let rows = organisation::Entity::find()
            .filter(one_of(
                self.db.get_database_backend(),
                organisation::Column::Id,
                uuids,
            ))
            .all(&self.db)
            .await
            .context("find organisations by id")?;
        with_domains(&self.db, rows).await
    }

    #[tracing::instrument(skip(self))]
    async fn list(
        &self,
        filter: &OrganisationFilter,
        page: &PageRequest,
    ) -> DomainResult<Page<Organisation>> {
        let condition = filter_condition(filter);
        let select = organisation::Entity::find().filter(condition.clone());
        let order = (organisation::Column::Name, organisation::Column::Id);
        let rows = keyset::fetch(
            &self.db,
            select,
            order,
            false,
            page,
            keyset::read_text_and_id,
        )
        .await?;
        let total = keyset::total(
            &self.db,
            organisation::Entity::find().filter(condition),
            page,
        )
        .await?;
        let items = with_domains(&self.db, rows)
            .await?
            .into_iter()
            .map(|org| (keyset::text_and_id(&org.name, org.id.as_uuid()), org))
            .collect();
        Ok(Page::from_overfetch(items, page, total))
    }
}

async fn insert(db: &impl ConnectionTrait, new: &NewOrganisation) -> DomainResult<Organisation> {
    let org = Organisation {
        id: OrganisationId::generate(),
        slug: new.slug.clone(),
        name: new.name.clone(),
        kind: new.kind,
        verified_domains: new.verified_domains.clone(),
        created_at: Utc::now(),
    };
    organisation::Entity::insert(organisation::ActiveModel {
        id: Set(org.id.as_uuid()),
        slug: Set(org.slug.to_string()),
        name: Set(org.name.clone()),
        kind: Set(org.kind.as_str().to_owned()),
        created_at: Set(org.created_at),
    })
    .exec(db)
    .await
    .map_err(|e| on_unique(e, "slug", "an organisation with this slug already exists"))?;
    if !org.verified_domains.is_empty() {
        let rows = org
            .verified_domains
            .iter()
            .map(|d| organisation_domain::ActiveModel {
                domain: Set(d.as_str().to_owned()),
                organisation_id: Set(org.id.as_uuid()),
            });
        organisation_domain::Entity::insert_many(rows)
            .exec(db)
            .await
            .map_err(|e| {
                on_unique(
                    e,
                    "verifiedDomains",
                    "a domain is already verified for another organisation",
                )
            })?;
    }
    Ok(org)
}

fn filter_condition(filter: &OrganisationFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(kind) = filter.kind {
        condition = condition.add(organisation::Column::Kind.eq(kind.as_str()));
    }
    let text = filter.text.as_deref();
    if let Some(matches) =
        keyset::name_or_key_contains(organisation::Column::Name, organisation::Column::Slug, text)
    {
        condition = condition.add(matches);
    }
    condition
}

/// Attaches verified domains to rows, with one query for all of them.
async fn with_domains(
    db: &impl ConnectionTrait,
    rows: Vec<organisation::Model>,
) -> DomainResult<Vec<Organisation>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut domains: HashMap<Uuid, Vec<EmailDomain>> = HashMap::new();
    for row in organisation_domain::Entity::find()
        .filter(one_of(
            db.get_database_backend(),
            organisation_domain::Column::OrganisationId,
            ids,
        ))
        .all(db)
        .await
        .context("load organisation domains")?
    {
        let domain = EmailDomain::parse("domain", &row.domain)?;
        domains.entry(row.organisation_id).or_default().push(domain);
    }
    rows.into_iter()
        .map(|row| {
            let verified_domains = domains.remove(&row.id).unwrap_or_default();
            to_domain(row, verified_domains)
        })
        .collect()
}

fn to_domain(
    row: organisation::Model,
    mut verified_domains: Vec<EmailDomain>,
) -> DomainResult<Organisation> {
    verified_domains.sort();
    let kind = OrganisationKind::parse(&row.kind).ok_or_else(|| {
        DomainError::unavailable(
            "read organisation",
            format!("unknown organisation kind `{}` in row {}", row.kind, row.id),
        )
    })?;
    Ok(Organisation {
        id: OrganisationId::from_uuid(row.id),
        slug: Slug::parse("slug", &row.slug)?,
        name: row.name,
        kind,
        verified_domains,
        created_at: row.created_at,
    })
}
