//! Where the hub-wide feeds are served, so clients never build feed URLs by hand.

use async_graphql::{Context, Object, Result};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::feeds::FeedSource;

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;

use crate::http::feeds::FeedService;

#[derive(Default)]
pub struct FeedQuery;

#[Object]
impl FeedQuery {
    /// The Atom feed of practices promoted to practice worth repeating, hub-wide.
    async fn promoted_practices_feed_url(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(ctx.data::<FeedService>()?.url(&FeedSource::Promoted, None))
    }

    /// The Atom feed of published practices with a tag.
    async fn tag_feed_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tag, e.g. `homelessness-prevention`.")] tag: String,
    ) -> Result<String> {
        Ok(ctx.data::<FeedService>()?.url(&FeedSource::Tag(tag), None))
    }
}

/// The viewer's feed token, worked out once per request: a list of communities asks for it
/// once per community.
#[derive(Default)]
pub struct FeedTokenMemo(tokio::sync::OnceCell<Option<String>>);

/// The viewer's feed token, for the addresses of their private feeds; `None` for anonymous
/// readers and API tokens (feeds are for people, signed in).
pub(crate) async fn viewer_feed_token(ctx: &Context<'_>) -> Result<Option<String>> {
    match ctx.data_opt::<FeedTokenMemo>() {
        Some(memo) => Ok(memo.0.get_or_try_init(|| feed_token(ctx)).await?.clone()),
        None => feed_token(ctx).await,
    }
}

async fn feed_token(ctx: &Context<'_>) -> Result<Option<String>> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    match hub.identity().feed_token(actor).await {
        Ok(token) => Ok(Some(token)),
        Err(DomainError::Unauthenticated | DomainError::Forbidden(_)) => Ok(None),
        Err(other) => Err(ApiError(other).into()),
    }
}
