//! Resetting the viewer's feed token, when a private feed address was shared by mistake.

use async_graphql::{Context, Object, Result, SimpleObject};
use khub_domain::access::Actor;

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::payload::UserError;

/// The viewer's new feed token.
#[derive(SimpleObject)]
pub struct ResetFeedTokenPayload {
    /// The new token; every private feed address given out before stops working.
    pub feed_token: Option<String>,
    /// Why the request was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct FeedTokenMutation;

#[Object]
impl FeedTokenMutation {
    /// Replaces the viewer's feed token: the addresses of their private feeds (communities
    /// they belong to, saved searches) change, and the old ones stop working at once. Needs a
    /// signed-in session.
    async fn reset_feed_token(&self, ctx: &Context<'_>) -> Result<ResetFeedTokenPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let token = hub
            .identity()
            .reset_feed_token(actor)
            .await
            .map_err(ApiError)?;
        Ok(ResetFeedTokenPayload {
            feed_token: Some(token),
            user_errors: Vec::new(),
        })
    }
}
