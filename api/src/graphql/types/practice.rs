use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::practice as domain;

use super::practice_history::{PracticeFieldDiff, PracticeRevision};
use super::practice_peers::{Adoption, Endorsement, Promotion};
use super::practice_values::{EvidenceLink, PracticeStatus};
use super::{Community, Organisation, Person, Thread};
use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::html;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{EndorsedLoader, OrganisationLoader, PersonLoader};

/// A story of practice: what was not working, what was done, what changed.
#[derive(Clone)]
pub struct Practice(Arc<domain::PracticeView>);

impl Practice {
    pub fn new(view: domain::PracticeView) -> Self {
        Self(Arc::new(view))
    }

    fn practice(&self) -> &domain::Practice {
        &self.0.practice
    }

    fn content(&self) -> &domain::PracticeContent {
        &self.0.practice.content
    }
}

/// A story of practice: what was not working, what was done, what changed.
#[Object]
impl Practice {
    /// The practice's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Practice, self.practice().id.as_uuid())
    }

    /// The URL-safe key, fixed when the practice was created.
    async fn slug(&self) -> &str {
        self.practice().slug.as_str()
    }

    /// The title.
    async fn title(&self) -> &str {
        &self.content().title
    }

    /// One or two plain sentences.
    async fn summary(&self) -> &str {
        &self.content().summary
    }

    /// The problem, as written (Markdown).
    async fn context(&self) -> &str {
        &self.content().context
    }

    /// The problem as sanitised HTML, mentions linked to the people.
    async fn context_html(&self, ctx: &Context<'_>) -> Result<String> {
        html::rendered(ctx, &self.content().context).await
    }

    /// What was done, as written (Markdown).
    async fn approach(&self) -> &str {
        &self.content().approach
    }

    /// What was done, as sanitised HTML, mentions linked to the people.
    async fn approach_html(&self, ctx: &Context<'_>) -> Result<String> {
        html::rendered(ctx, &self.content().approach).await
    }

    /// What changed, as written (Markdown).
    async fn outcomes(&self) -> &str {
        &self.content().outcomes
    }

    /// What changed, as sanitised HTML, mentions linked to the people.
    async fn outcomes_html(&self, ctx: &Context<'_>) -> Result<String> {
        html::rendered(ctx, &self.content().outcomes).await
    }

    /// Links to evidence: reports, evaluations, data.
    async fn evidence(&self) -> Vec<EvidenceLink> {
        self.content()
            .evidence
            .iter()
            .map(|link| EvidenceLink {
                title: link.title.clone(),
                url: link.url.clone(),
            })
            .collect()
    }

    /// The service area, e.g. `Waste and recycling`.
    async fn service_area(&self) -> Option<&str> {
        self.content().service_area.as_deref()
    }

    /// Tags, lowercase and hyphenated, sorted.
    async fn tags(&self) -> &[String] {
        &self.content().tags
    }

    /// Where it is in its life.
    async fn status(&self) -> PracticeStatus {
        self.practice().status.into()
    }

    /// Whether a facilitator or members' flags hid it pending review: only its author and its
    /// community's facilitators see it meanwhile.
    async fn hidden(&self) -> bool {
        self.practice().hidden.is_some()
    }

    /// Why it was hidden; null while it is shown to readers.
    async fn moderation_reason(&self) -> Option<&str> {
        self.practice().hidden.as_ref().map(|h| h.reason.as_str())
    }

    /// Who wrote it.
    async fn author(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.practice().author).await?.map(Person))
    }

    /// The author's organisation when they wrote it.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.practice().organisation else {
            return Ok(None);
        };
        let loader = ctx.data::<DataLoader<OrganisationLoader>>()?;
        Ok(loader.load_one(id).await?.map(Organisation))
    }

    /// The community it was shared in, if any (null too when the viewer may not see it).
    async fn community(&self) -> Option<Community> {
        self.0
            .community
            .clone()
            .map(|(community, standing)| Community {
                community,
                standing,
            })
    }

    /// How many people endorse it.
    async fn endorsement_count(&self) -> u64 {
        self.practice().endorsement_count
    }

    /// How many organisations have adopted it.
    async fn adoption_count(&self) -> u64 {
        self.practice().adoption_count
    }

    /// When and why it became practice worth repeating; null until then.
    async fn promotion(&self) -> Option<Promotion> {
        self.practice().promotion.clone().map(Promotion)
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.practice().created_at
    }

    /// When it was last edited.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.practice().updated_at
    }

    /// When it was published; null while a draft.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.practice().published_at
    }

    /// The latest revision's number (1 is the published text); 0 while a draft.
    async fn revision_number(&self) -> u32 {
        self.practice().revision
    }

    /// Whether the viewer endorses it.
    async fn viewer_has_endorsed(&self, ctx: &Context<'_>) -> Result<bool> {
        let Some(viewer) = ctx.data::<Actor>()?.person() else {
            return Ok(false);
        };
        let loader = ctx.data::<DataLoader<EndorsedLoader>>()?;
        let key = (viewer.id, self.practice().id);
        Ok(loader.load_one(key).await?.unwrap_or(false))
    }

    /// Whether the viewer wrote it (and so may edit and publish it).
    async fn viewer_is_author(&self, ctx: &Context<'_>) -> Result<bool> {
        let viewer = ctx.data::<Actor>()?.person().map(|p| p.id);
        Ok(viewer == Some(self.practice().author))
    }

    /// Every published state of the practice, newest first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn revisions(
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
    ) -> Result<Connection<PracticeRevision>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .practices()
            .revisions(&self.0, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, PracticeRevision))
    }

    /// One revision by number (1 is the text as published).
    async fn revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its number: 1 is the text as first published.")] number: u32,
    ) -> Result<Option<PracticeRevision>> {
        let hub = ctx.data::<HubContext>()?;
        let found = hub
            .practices()
            .revision(&self.0, number)
            .await
            .map_err(ApiError)?;
        Ok(found.map(PracticeRevision))
    }

    /// How revision `to` differs from revision `from`, field by field; null if either does
    /// not exist.
    async fn diff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The earlier revision's number.")] from: u32,
        #[graphql(desc = "The later revision's number.")] to: u32,
    ) -> Result<Option<Vec<PracticeFieldDiff>>> {
        let hub = ctx.data::<HubContext>()?;
        let diffs = hub
            .practices()
            .diff(&self.0, from, to)
            .await
            .map_err(ApiError)?;
        Ok(diffs.map(|diffs| diffs.into_iter().map(PracticeFieldDiff).collect()))
    }

    /// Threads the viewer may read here, pinned first, then by latest activity.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn threads(
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
    ) -> Result<Connection<Thread>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let page = hub
            .conversations()
            .practice_threads(actor, self.practice().id, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Thread::new))
    }

    /// Who endorses it and why, oldest first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn endorsements(
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
    ) -> Result<Connection<Endorsement>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .practices()
            .endorsements(&self.0, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Endorsement))
    }

    /// The organisations that adopted it, how it went, oldest first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn adoptions(
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
    ) -> Result<Connection<Adoption>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .practices()
            .adoptions(&self.0, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Adoption))
    }

    /// The organisations it has spread to, in the order they adopted it.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn spread_to(
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
    ) -> Result<Connection<Organisation>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .practices()
            .adoptions(&self.0, &request)
            .await
            .map_err(ApiError)?;
        let ids: Vec<_> = page.items.iter().map(|(_, a)| a.organisation).collect();
        let mut found = ctx
            .data::<DataLoader<OrganisationLoader>>()?
            .load_many(ids)
            .await?;
        let organisations = page.filter_map(|adoption| found.remove(&adoption.organisation));
        Ok(connection::from_page(organisations, Organisation))
    }
}
