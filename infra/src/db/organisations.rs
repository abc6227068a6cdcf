//! Organisations in SQL.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::Utc;
use khub_domain::organisation::{
    EmailDomain, NewOrganisation, Organisation, OrganisationFilter, OrganisationId,
    OrganisationKind,
};
use khub_domain::pagination::{Cursor, CursorValue, Direction, Page, PageRequest};
use khub_domain::ports::OrganisationRepository;
use khub_domain::slug::Slug;
use khub_domain::{DomainError, DomainResult};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, SqlErr, TransactionTrait,
};
use uuid::Uuid;

use super::entity::{organisation, organisation_domain};
use crate::error::ResultExt;

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

    #[tracing::instrument(skip(self, ids), fields(count = ids.len()))]
    async fn find_by_ids(&self, ids: &[OrganisationId]) -> DomainResult<Vec<Organisation>> {
        let uuids: Vec<Uuid> = ids.iter().map(OrganisationId::as_uuid).collect();
        let rows = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(uuids))
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
        let mut cursor = organisation::Entity::find()
            .filter(condition.clone())
            .cursor_by((organisation::Column::Name, organisation::Column::Id));
        if let Some(after) = &page.after {
            cursor.after(name_and_id("after", after)?);
        }
        if let Some(before) = &page.before {
            cursor.before(name_and_id("before", before)?);
        }
        let fetch = page.limit as u64 + 1;
        match page.direction {
            Direction::Forward => cursor.first(fetch),
            Direction::Backward => cursor.last(fetch),
        };
        let rows = cursor.all(&self.db).await.context("list organisations")?;
        let total = match page.with_total {
            true => Some(
                organisation::Entity::find()
                    .filter(condition)
                    .count(&self.db)
                    .await
                    .context("count organisations")?,
            ),
            false => None,
        };
        let items = with_domains(&self.db, rows)
            .await?
            .into_iter()
            .map(|org| (cursor_of(&org), org))
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

/// A unique-constraint violation is the user's mistake; anything else is an outage.
fn on_unique(err: DbErr, field: &str, message: &str) -> DomainError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => DomainError::invalid(field, "TAKEN", message),
        _ => DomainError::unavailable(format!("insert organisation ({field})"), err),
    }
}

fn filter_condition(filter: &OrganisationFilter) -> Condition {
    let mut condition = Condition::all();
    if let Some(kind) = filter.kind {
        condition = condition.add(organisation::Column::Kind.eq(kind.as_str()));
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        condition = condition.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(organisation::Column::Name)))
                        .like(pattern.clone()),
                )
                .add(organisation::Column::Slug.like(pattern)),
        );
    }
    condition
}

/// LIKE treats `%` and `_` as wildcards; a search for them should find them literally.
fn escape_like(text: &str) -> String {
    text.replace(['%', '_'], " ")
}

fn cursor_of(org: &Organisation) -> Cursor {
    Cursor(vec![
        CursorValue::Text(org.name.clone()),
        CursorValue::Uuid(org.id.as_uuid()),
    ])
}

fn name_and_id(field: &str, cursor: &Cursor) -> DomainResult<(String, Uuid)> {
    match cursor.0.as_slice() {
        [CursorValue::Text(name), CursorValue::Uuid(id)] => Ok((name.clone(), *id)),
        _ => Err(DomainError::invalid(
            field,
            "INVALID_CURSOR",
            "this cursor does not belong to this list",
        )),
    }
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
        .filter(organisation_domain::Column::OrganisationId.is_in(ids))
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
