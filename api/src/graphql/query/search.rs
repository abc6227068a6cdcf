//! `search`: one ranked search over everything the viewer may read.

use async_graphql::{Context, Object, Result};
use khub_domain::access::Actor;
use khub_domain::search::SearchQuery;

use crate::graphql::connection::{PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::types::{SearchFilter, SearchResultConnection, search_connection};

#[derive(Default)]
pub struct SearchQueryRoot;

#[Object]
impl SearchQueryRoot {
    /// Searches practices, threads, replies, people and communities the viewer may read, best
    /// match first: titles rank above summaries above bodies, recent above old, promoted
    /// practices a little higher. Words are stemmed ("recycling" finds "recycled"); type
    /// `"a phrase"`, `-excluded` and `this OR that` as in any search box. A search considers
    /// the newest 300 matches, which it ranks, pages, counts and facets: narrow a common
    /// query with words or a filter to reach older ones.
    #[graphql(complexity = "page_complexity(first, None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for, as typed into a search box.")] query: String,
        #[graphql(desc = "Narrows the results.")] filter: Option<SearchFilter>,
        #[graphql(desc = "How many to return, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Return those after this cursor.")] after: Option<String>,
    ) -> Result<SearchResultConnection> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let query = SearchQuery::parse(&query).map_err(ApiError)?;
        let filter = filter.unwrap_or_default().into_domain().map_err(ApiError)?;
        let request = PageArgs::new(first, after, None, None).into_request(ctx)?;
        let search = hub.search();
        // Facets asked for with the page come from the same reading of the index.
        let (page, facets) = match ctx.look_ahead().field("facets").exists() {
            true => {
                let (page, facets) = search
                    .search_with_facets(actor, query.clone(), filter.clone(), &request)
                    .await
                    .map_err(ApiError)?;
                (page, Some(facets))
            }
            false => {
                let page = search.search(actor, query.clone(), filter.clone(), &request);
                (page.await.map_err(ApiError)?, None)
            }
        };
        search_connection(ctx, page, query, filter, facets).await
    }
}
