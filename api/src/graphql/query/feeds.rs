//! Where the hub-wide feeds are served, so clients never build feed URLs by hand.

use async_graphql::{Context, Object, Result};
use khub_domain::feeds::FeedSource;

use crate::http::feeds::FeedService;

#[derive(Default)]
pub struct FeedQuery;

#[Object]
impl FeedQuery {
    /// The Atom feed of practices promoted to practice worth repeating, hub-wide.
    async fn promoted_practices_feed_url(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(ctx.data::<FeedService>()?.url(&FeedSource::Promoted))
    }

    /// The Atom feed of published practices with a tag.
    async fn tag_feed_url(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tag, e.g. `homelessness-prevention`.")] tag: String,
    ) -> Result<String> {
        Ok(ctx.data::<FeedService>()?.url(&FeedSource::Tag(tag)))
    }
}
