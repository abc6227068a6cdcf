//! The query root, merged from one object per aggregate.

mod community;
mod feeds;
mod moderation;
mod node;
mod organisation;
mod person;
mod practice;
mod reputation;
mod search;

use async_graphql::MergedObject;

pub(crate) use feeds::{FeedTokenMemo, viewer_feed_token};
pub(crate) use node::batch;

/// Everything that can be read.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    organisation::OrganisationQuery,
    person::PersonQuery,
    community::CommunityQuery,
    practice::PracticeQuery,
    reputation::ReputationQuery,
    search::SearchQueryRoot,
    feeds::FeedQuery,
    moderation::ModerationQuery,
);
