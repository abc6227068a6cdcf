//! Saved searches: what a person keeps listening for, and what is new since they looked.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::pagination::PageRequest;
use khub_domain::search as domain;

use super::{PracticeStatus, SearchResultConnection, SearchType, search_connection};
use khub_domain::feeds::FeedSource;

use crate::graphql::connection::{PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::query::viewer_feed_token;
use crate::http::feeds::FeedService;

/// A search its owner keeps, with what it found since they last looked. Only its owner sees it.
#[derive(Clone)]
pub struct SavedSearch(pub domain::SavedSearch);

/// A search its owner keeps, with what it found since they last looked. Only its owner sees it.
#[Object]
impl SavedSearch {
    /// The saved search's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::SavedSearch, self.0.id.as_uuid())
    }

    /// Its owner's name for it.
    async fn name(&self) -> &str {
        self.0.name.as_str()
    }

    /// The query, as typed.
    async fn query(&self) -> &str {
        self.0.query.text()
    }

    /// How it narrows the results.
    async fn filter(&self) -> SavedSearchFilter<'_> {
        SavedSearchFilter(&self.0.filter)
    }

    /// Its Atom feed of matches, with its owner's feed token in the address (null through
    /// an API token).
    async fn feed_url(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let source = FeedSource::SavedSearch(self.0.id);
        let token = viewer_feed_token(ctx).await?;
        let feeds = ctx.data::<FeedService>()?;
        Ok(token.map(|token| feeds.url(&source, Some(&token))))
    }

    /// When it was saved.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its owner last marked its matches seen (`markSavedSearchSeen`).
    async fn last_seen_at(&self) -> DateTime<Utc> {
        self.0.seen_at
    }

    /// How many results are new since its owner last looked.
    async fn new_match_count(&self, ctx: &Context<'_>) -> Result<u64> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let search = hub.search();
        Ok(search
            .new_match_count(actor, &self.0)
            .await
            .map_err(ApiError)?)
    }

    /// The results new since its owner last looked (created since then), best first, as they
    /// may read them now.
    #[graphql(complexity = "page_complexity(first, None, child_complexity)")]
    async fn new_matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many to return, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Return those after this cursor.")] after: Option<String>,
    ) -> Result<SearchResultConnection> {
        let request = PageArgs::new(first, after, None, None).into_request(ctx)?;
        let page = self.matches(ctx, &request).await?;
        let (query, filter) = (self.0.query.query().clone(), self.0.new_matches_filter());
        search_connection(ctx, page, query, filter, None).await
    }
}

impl SavedSearch {
    async fn matches(
        &self,
        ctx: &Context<'_>,
        page: &PageRequest,
    ) -> Result<khub_domain::pagination::Page<domain::SearchHit>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        Ok(hub
            .search()
            .new_matches(actor, &self.0, page)
            .await
            .map_err(ApiError)?)
    }
}

/// How a saved search narrows its results (as `SearchFilter`).
pub struct SavedSearchFilter<'a>(&'a domain::SearchFilter);

/// How a saved search narrows its results (as `SearchFilter`).
#[Object]
impl SavedSearchFilter<'_> {
    /// Only these kinds (empty: all).
    async fn types(&self) -> Vec<SearchType> {
        self.0.kinds.iter().map(|kind| (*kind).into()).collect()
    }

    /// Only what was written in this community.
    async fn community_id(&self) -> Option<ID> {
        let community = self.0.community?;
        Some(id::encode(NodeKind::Community, community.as_uuid()))
    }

    /// Only practices with this tag.
    async fn tag(&self) -> Option<&str> {
        self.0.tag.as_deref()
    }

    /// Only practices in this service area.
    async fn service_area(&self) -> Option<&str> {
        self.0.service_area.as_deref()
    }

    /// Only this organisation's practices and people, and what its people wrote.
    async fn organisation_id(&self) -> Option<ID> {
        let organisation = self.0.organisation?;
        Some(id::encode(NodeKind::Organisation, organisation.as_uuid()))
    }

    /// Only what this person wrote.
    async fn author_id(&self) -> Option<ID> {
        let author = self.0.author?;
        Some(id::encode(NodeKind::Person, author.as_uuid()))
    }

    /// Only what was created at or after this time.
    async fn from(&self) -> Option<DateTime<Utc>> {
        self.0.from
    }

    /// Only what was created before this time.
    async fn until(&self) -> Option<DateTime<Utc>> {
        self.0.until
    }

    /// Only practices with one of these statuses (empty: all past draft).
    async fn practice_status(&self) -> Vec<PracticeStatus> {
        self.0
            .practice_statuses
            .iter()
            .map(|s| (*s).into())
            .collect()
    }
}
