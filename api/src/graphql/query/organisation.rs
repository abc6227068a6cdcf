//! Reading organisations.

use async_graphql::{Context, Object, Result};

use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::types::{Organisation, OrganisationFilter};

#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// The organisation with this slug, if any.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its slug, as in its URL.")] slug: String,
    ) -> Result<Option<Organisation>> {
        let hub = ctx.data::<HubContext>()?;
        let found = hub
            .organisations()
            .find_by_slug(&slug)
            .await
            .map_err(ApiError)?;
        Ok(found.map(Organisation))
    }

    /// Organisations ordered by name.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Return those after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, at most 100.")] last: Option<i32>,
        #[graphql(desc = "Return those before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<OrganisationFilter>,
    ) -> Result<Connection<Organisation>> {
        let hub = ctx.data::<HubContext>()?;
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let filter = filter.unwrap_or_default().into();
        let page = hub
            .organisations()
            .list(&filter, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Organisation))
    }
}
