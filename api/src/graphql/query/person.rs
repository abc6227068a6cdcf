//! Reading people: the viewer, one by handle, and lists.

use async_graphql::{Context, Object, Result};
use khub_domain::access::Actor;
use khub_domain::person::PersonFilter as DomainFilter;

use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::types::{Person, PersonFilter};

#[derive(Default)]
pub struct PersonQuery;

#[Object]
impl PersonQuery {
    /// The signed-in person (or the owner of the API token); null when anonymous.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(ctx.data::<Actor>()?.person().cloned().map(Person))
    }

    /// The person with this handle, if any.
    async fn person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Their handle, without the `@`.")] handle: String,
    ) -> Result<Option<Person>> {
        let hub = ctx.data::<HubContext>()?;
        let found = hub
            .people()
            .find_by_handle(&handle)
            .await
            .map_err(ApiError)?;
        Ok(found.map(Person))
    }

    /// People ordered by display name.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Return those after this cursor.")] after: Option<String>,
        #[graphql(desc = "How many to return from the end, at most 100.")] last: Option<i32>,
        #[graphql(desc = "Return those before this cursor.")] before: Option<String>,
        #[graphql(desc = "Narrows the list.")] filter: Option<PersonFilter>,
    ) -> Result<Connection<Person>> {
        let hub = ctx.data::<HubContext>()?;
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut domain_filter = DomainFilter {
            text: filter.text,
            organisation: None,
        };
        if let Some(slug) = filter.organisation_slug {
            match hub
                .organisations()
                .find_by_slug(&slug)
                .await
                .map_err(ApiError)?
            {
                Some(org) => domain_filter.organisation = Some(org.id),
                // No such organisation: nobody belongs to it.
                None => {
                    return Ok(connection::from_page(
                        khub_domain::pagination::Page::empty(),
                        Person,
                    ));
                }
            }
        }
        let page = hub
            .people()
            .list(&domain_filter, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Person))
    }
}
