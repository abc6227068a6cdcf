//! What people wrote, served as HTML: sanitised, with mentions of people linked to them.

use std::collections::HashSet;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Result};
use khub_domain::conversation::mentioned_handles;
use khub_domain::markdown;

use crate::graphql::loaders::HandleLoader;

/// `text` (Markdown) as sanitised HTML, each `@handle` of someone on the hub a link to them.
/// The handles of a whole page of posts are looked up together.
pub async fn rendered(ctx: &Context<'_>, text: &str) -> Result<String> {
    let handles = mentioned_handles(text);
    if handles.is_empty() {
        return Ok(markdown::to_html(text));
    }
    let found = ctx
        .data::<DataLoader<HandleLoader>>()?
        .load_many(handles)
        .await?;
    let people: HashSet<String> = found.into_keys().collect();
    Ok(markdown::to_html_with_mentions(text, &people))
}
