//! The hub-wide moderation queue and log, for hub administrators, who act in every community.

use async_graphql::{Context, Object, Result};
use khub_domain::access::Actor;

use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::types::{FlaggedItem, ModerationLogEntry};

#[derive(Default)]
pub struct ModerationQuery;

#[Object]
impl ModerationQuery {
    /// Every flagged thread, post and practice in the hub (practices with no community
    /// included), with their open flags, oldest flag first: for hub administrators only (null
    /// for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn moderation_queue(
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
    ) -> Result<Option<Connection<FlaggedItem>>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let page = hub
            .moderation()
            .hub_queue(actor, &request)
            .await
            .map_err(ApiError)?;
        Ok(page.map(|page| connection::from_page(page, FlaggedItem)))
    }

    /// What facilitators and hub administrators did anywhere in the hub, newest first: for
    /// hub administrators only (null for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn moderation_log(
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
    ) -> Result<Option<Connection<ModerationLogEntry>>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let page = hub
            .moderation()
            .hub_log(actor, &request)
            .await
            .map_err(ApiError)?;
        Ok(page.map(|page| connection::from_page(page, ModerationLogEntry)))
    }
}
