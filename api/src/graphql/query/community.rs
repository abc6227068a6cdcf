//! Reading communities: only those the viewer may see.

use async_graphql::{Context, Object, Result};
use khub_domain::access::Actor;

use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::types::{Community, CommunityFilter, CommunityOrder};

#[derive(Default)]
pub struct CommunityQuery;

#[Object]
impl CommunityQuery {
    /// The community with this slug, if the viewer may see it (a PRIVATE community the viewer
    /// does not belong to reads as one that does not exist).
    async fn community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug, as in its URL.")] slug: String,
    ) -> Result<Option<Community>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let found = hub
            .communities()
            .find_by_slug(actor, &slug)
            .await
            .map_err(ApiError)?;
        Ok(found.map(|(community, standing)| Community {
            community,
            standing,
        }))
    }

    /// Communities the viewer may see.
    // Each GraphQL argument is a parameter: the Relay arguments, the filter and the order.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn communities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Return those after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, at most 100.")] last: Option<i32>,
        #[graphql(desc = "Return those before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<CommunityFilter>,
        #[graphql(desc = "The order (default: most recently active first).")] order_by: Option<
            CommunityOrder,
        >,
    ) -> Result<Connection<Community>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let communities = hub.communities();
        let filter = filter.unwrap_or_default().into();
        let order = order_by.unwrap_or_default().into();
        let page = communities
            .list(actor, filter, order, &request)
            .await
            .map_err(ApiError)?;
        // One query for the viewer's standing in every community of the page.
        let ids: Vec<_> = page.items.iter().map(|(_, c)| c.id).collect();
        let mut standings = communities
            .standings(actor, &ids)
            .await
            .map_err(ApiError)?
            .into_iter();
        Ok(connection::from_page(page, |community| Community {
            community,
            standing: standings.next().unwrap_or_default(),
        }))
    }
}
