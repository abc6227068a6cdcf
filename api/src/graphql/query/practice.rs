//! Reading practices: only those the viewer may read.

use async_graphql::{Context, ID, Object, Result};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::organisation::OrganisationId;
use khub_domain::person::PersonId;
use khub_domain::practice as domain;
use uuid::Uuid;

use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::types::{Practice, PracticeFilter, PracticeOrder};

#[derive(Default)]
pub struct PracticeQuery;

#[Object]
impl PracticeQuery {
    /// The practice with this slug, if the viewer may read it (drafts are their author's
    /// alone; practices in communities the viewer may not read do not exist for them).
    async fn practice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug, as in its URL.")] slug: String,
    ) -> Result<Option<Practice>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let found = hub
            .practices()
            .find_by_slug(actor, &slug)
            .await
            .map_err(ApiError)?;
        Ok(found.map(Practice::new))
    }

    /// Practices the viewer may read.
    // Each GraphQL argument is a parameter: the Relay arguments, the filter and the order.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Return those after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, at most 100.")] last: Option<i32>,
        #[graphql(desc = "Return those before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<PracticeFilter>,
        #[graphql(desc = "The order (default: newest first).")] order_by: Option<PracticeOrder>,
    ) -> Result<Connection<Practice>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let filter = domain_filter(filter.unwrap_or_default()).map_err(ApiError)?;
        let order = order_by.unwrap_or_default().into();
        let page = hub
            .practices()
            .list(actor, filter, order, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Practice::new))
    }
}

fn domain_filter(filter: PracticeFilter) -> Result<domain::PracticeFilter, DomainError> {
    let defaults = domain::PracticeFilter::default();
    Ok(domain::PracticeFilter {
        community: decode(filter.community_id, NodeKind::Community, "communityId")?
            .map(CommunityId::from_uuid),
        organisation: decode(
            filter.organisation_id,
            NodeKind::Organisation,
            "organisationId",
        )?
        .map(OrganisationId::from_uuid),
        author: decode(filter.author_id, NodeKind::Person, "authorId")?.map(PersonId::from_uuid),
        tag: filter.tag,
        service_area: filter.service_area,
        statuses: filter
            .status
            .map(|statuses| statuses.into_iter().map(Into::into).collect())
            .unwrap_or(defaults.statuses),
    })
}

fn decode(raw: Option<ID>, kind: NodeKind, field: &str) -> Result<Option<Uuid>, DomainError> {
    raw.map(|raw| id::expect(kind, &format!("filter.{field}"), &raw))
        .transpose()
}
