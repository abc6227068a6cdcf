use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::organisation as domain;
use khub_domain::person as domain_person;

use super::{ApiToken, Person, Webhook};
use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};

/// A council, public body or partner organisation.
#[derive(Clone)]
pub struct Organisation(pub domain::Organisation);

/// A council, public body or partner organisation.
#[Object]
impl Organisation {
    /// The organisation's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Organisation, self.0.id.as_uuid())
    }

    /// The URL-safe key, e.g. `leeds-city-council`.
    async fn slug(&self) -> &str {
        self.0.slug.as_str()
    }

    /// The organisation's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What sort of body it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind.into()
    }

    /// E-mail domains whose holders join this organisation when they register.
    async fn verified_domains(&self) -> Vec<&str> {
        self.0.verified_domains.iter().map(|d| d.as_str()).collect()
    }

    /// When the organisation joined the hub.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The organisation's people, by display name.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many items from the start (at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Items after this cursor (a `pageInfo.endCursor`).")] after: Option<
            String,
        >,
        #[graphql(desc = "At most this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Items before this cursor (a `pageInfo.startCursor`).")] before: Option<
            String,
        >,
    ) -> Result<Connection<Person>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let filter = domain_person::PersonFilter {
            text: None,
            organisation: Some(self.0.id),
        };
        let page = ctx
            .data::<HubContext>()?
            .people()
            .list(&filter, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Person))
    }

    /// API tokens created on the organisation's behalf, newest first: only its administrators
    /// may see them (null for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many items from the start (at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Items after this cursor (a `pageInfo.endCursor`).")] after: Option<
            String,
        >,
        #[graphql(desc = "At most this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Items before this cursor (a `pageInfo.startCursor`).")] before: Option<
            String,
        >,
    ) -> Result<Option<Connection<ApiToken>>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        match hub
            .identity()
            .organisation_api_tokens(actor, self.0.id, &request)
            .await
        {
            Ok(page) => Ok(Some(connection::from_page(page, ApiToken))),
            Err(DomainError::Forbidden(_) | DomainError::Unauthenticated) => Ok(None),
            Err(other) => Err(ApiError(other).into()),
        }
    }

    /// Webhooks created on the organisation's behalf, newest first: only its administrators
    /// may see them (null for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn webhooks(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many items from the start (at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Items after this cursor (a `pageInfo.endCursor`).")] after: Option<
            String,
        >,
        #[graphql(desc = "At most this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Items before this cursor (a `pageInfo.startCursor`).")] before: Option<
            String,
        >,
    ) -> Result<Option<Connection<Webhook>>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        match hub
            .webhooks()
            .of_organisation(actor, self.0.id, &request)
            .await
        {
            Ok(page) => Ok(Some(connection::from_page(page, Webhook))),
            Err(DomainError::Forbidden(_) | DomainError::Unauthenticated) => Ok(None),
            Err(other) => Err(ApiError(other).into()),
        }
    }
}

/// What sort of body an organisation is.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum OrganisationKind {
    /// A local authority.
    Council,
    /// A public body other than a council (health, police, fire, national agency).
    PublicBody,
    /// A partner organisation working with the public sector.
    Partner,
    /// Any other organisation.
    Other,
}

impl From<domain::OrganisationKind> for OrganisationKind {
    fn from(kind: domain::OrganisationKind) -> Self {
        match kind {
            domain::OrganisationKind::Council => Self::Council,
            domain::OrganisationKind::PublicBody => Self::PublicBody,
            domain::OrganisationKind::Partner => Self::Partner,
            domain::OrganisationKind::Other => Self::Other,
        }
    }
}

impl From<OrganisationKind> for domain::OrganisationKind {
    fn from(kind: OrganisationKind) -> Self {
        match kind {
            OrganisationKind::Council => Self::Council,
            OrganisationKind::PublicBody => Self::PublicBody,
            OrganisationKind::Partner => Self::Partner,
            OrganisationKind::Other => Self::Other,
        }
    }
}

/// Narrows the list of organisations.
#[derive(InputObject, Default)]
pub struct OrganisationFilter {
    /// Text to find within the name or slug, case-insensitively.
    pub text: Option<String>,
    /// Only organisations of this kind.
    pub kind: Option<OrganisationKind>,
}

impl From<OrganisationFilter> for domain::OrganisationFilter {
    fn from(filter: OrganisationFilter) -> Self {
        Self {
            text: filter.text,
            kind: filter.kind.map(Into::into),
        }
    }
}
