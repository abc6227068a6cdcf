use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::person as domain;

use khub_domain::feeds::FeedSource;

use super::{
    ApiToken, EmailFrequency, Notification, Organisation, OrganisationRole, PersonKind,
    SavedSearch, Session, Webhook, reputation,
};
use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{FollowCountLoader, FollowLoader, OrganisationLoader};
use crate::graphql::query::viewer_feed_token;
use crate::http::feeds::FeedService;

/// A practitioner: council officer, front-line worker, councillor, policy officer, partner.
#[derive(Clone)]
pub struct Person(pub domain::Person);

impl Person {
    fn is_viewer(&self, ctx: &Context<'_>) -> bool {
        ctx.data_opt::<Actor>()
            .and_then(Actor::person)
            .is_some_and(|viewer| viewer.id == self.0.id)
    }
}

/// A practitioner: council officer, front-line worker, councillor, policy officer, partner.
#[Object]
impl Person {
    /// The person's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Person, self.0.id.as_uuid())
    }

    /// The unique handle others @mention, lowercase.
    async fn handle(&self) -> &str {
        &self.0.handle
    }

    /// The name shown to others.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// A practitioner, or an organisation's service identity (what its API tokens act as).
    async fn kind(&self) -> PersonKind {
        match self.0.service {
            true => PersonKind::Service,
            false => PersonKind::Practitioner,
        }
    }

    /// The person's e-mail address: only they can see it.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        self.is_viewer(ctx).then_some(self.0.email.as_str())
    }

    /// Their role, e.g. "Housing options officer".
    async fn job_title(&self) -> Option<&str> {
        self.0.job_title.as_deref()
    }

    /// A few words about their work.
    async fn bio(&self) -> Option<&str> {
        self.0.bio.as_deref()
    }

    /// Where they work, e.g. "West Yorkshire".
    async fn area(&self) -> Option<&str> {
        self.0.area.as_deref()
    }

    /// Interests and skills, as lowercase tags.
    async fn interests(&self) -> &[String] {
        &self.0.interests
    }

    /// The organisation they belong to, if any.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let Some(id) = self.0.organisation_id() else {
            return Ok(None);
        };
        let found = ctx
            .data::<DataLoader<OrganisationLoader>>()?
            .load_one(id)
            .await?;
        Ok(found.map(Organisation))
    }

    /// Their role in their organisation.
    async fn organisation_role(&self) -> Option<OrganisationRole> {
        self.0.organisation.map(|(_, role)| role.into())
    }

    /// How many people follow them.
    async fn follower_count(&self, ctx: &Context<'_>) -> Result<u64> {
        let counts = ctx
            .data::<DataLoader<FollowCountLoader>>()?
            .load_one(self.0.id)
            .await?;
        Ok(counts.map_or(0, |c| c.followers))
    }

    /// How many people they follow.
    async fn following_count(&self, ctx: &Context<'_>) -> Result<u64> {
        let counts = ctx
            .data::<DataLoader<FollowCountLoader>>()?
            .load_one(self.0.id)
            .await?;
        Ok(counts.map_or(0, |c| c.following))
    }

    /// Whether the signed-in viewer follows them.
    async fn viewer_follows(&self, ctx: &Context<'_>) -> Result<bool> {
        let Some(viewer) = ctx.data_opt::<Actor>().and_then(Actor::person) else {
            return Ok(false);
        };
        let key = (viewer.id, self.0.id);
        Ok(ctx
            .data::<DataLoader<FollowLoader>>()?
            .load_one(key)
            .await?
            .unwrap_or(false))
    }

    /// People following them, most recent first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn followers(
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
    ) -> Result<Connection<Person>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let page = ctx
            .data::<HubContext>()?
            .people()
            .followers(self.0.id, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Person))
    }

    /// People they follow, most recent first.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn following(
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
    ) -> Result<Connection<Person>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let page = ctx
            .data::<HubContext>()?
            .people()
            .following(self.0.id, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Person))
    }

    /// Where they are signed in, most recently used first; only for themselves.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Option<Vec<Session>>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        let actor = ctx.data::<Actor>()?;
        let identity = ctx.data::<HubContext>()?.identity();
        let sessions = identity.sessions(actor).await.map_err(ApiError)?;
        Ok(Some(sessions.into_iter().map(Session).collect()))
    }

    /// The Atom feed of the practices they publish.
    async fn feed_url(&self, ctx: &Context<'_>) -> Result<String> {
        let source = FeedSource::Person(self.0.handle.clone());
        Ok(ctx.data::<FeedService>()?.url(&source, None))
    }

    /// The token in the addresses of their private feeds: only for themselves, signed in
    /// (null for anyone else and for API tokens). `resetFeedToken` replaces it.
    async fn feed_token(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        viewer_feed_token(ctx).await
    }

    /// Their saved searches, newest first: only they can see them (null for anyone else).
    #[graphql(complexity = "page_complexity(first, None, child_complexity)")]
    async fn saved_searches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many items from the start (at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Items after this cursor (a `pageInfo.endCursor`).")] after: Option<
            String,
        >,
    ) -> Result<Option<Connection<SavedSearch>>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        let request = PageArgs::new(first, after, None, None).into_request(ctx)?;
        let actor = ctx.data::<Actor>()?;
        let page = ctx
            .data::<HubContext>()?
            .search()
            .saved_searches(actor, &request)
            .await
            .map_err(ApiError)?;
        Ok(Some(connection::from_page(page, SavedSearch)))
    }

    /// What they were told, latest activity first: only for themselves (null for anyone else).
    #[graphql(complexity = "page_complexity(first, None, child_complexity)")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most this many items from the start (at most 100).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Items after this cursor (a `pageInfo.endCursor`).")] after: Option<
            String,
        >,
        #[graphql(desc = "Only those not yet read.", default)] unread_only: bool,
    ) -> Result<Option<Connection<Notification>>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        let request = PageArgs::new(first, after, None, None).into_request(ctx)?;
        let actor = ctx.data::<Actor>()?;
        let page = ctx
            .data::<HubContext>()?
            .notifications()
            .list(actor, unread_only, &request)
            .await
            .map_err(ApiError)?;
        Ok(Some(connection::from_page(page, Notification)))
    }

    /// How often they are e-mailed about their notifications: only for themselves (null for
    /// anyone else).
    async fn notification_email(&self, ctx: &Context<'_>) -> Result<Option<EmailFrequency>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        let actor = ctx.data::<Actor>()?;
        let hub = ctx.data::<HubContext>()?;
        let frequency = hub.notifications().email_frequency(actor).await;
        Ok(Some(frequency.map_err(ApiError)?.into()))
    }

    /// How many of their notifications are unread: only for themselves (null for anyone else).
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> Result<Option<u64>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        let actor = ctx.data::<Actor>()?;
        let hub = ctx.data::<HubContext>()?;
        let count = hub.notifications().unread_count(actor).await;
        Ok(Some(count.map_err(ApiError)?))
    }

    /// Their API tokens, newest first: only they can see them (null for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn api_tokens(
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
    ) -> Result<Option<Connection<ApiToken>>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let actor = ctx.data::<Actor>()?;
        let page = ctx
            .data::<HubContext>()?
            .identity()
            .own_api_tokens(actor, &request)
            .await
            .map_err(ApiError)?;
        Ok(Some(connection::from_page(page, ApiToken)))
    }

    /// Their own webhooks, newest first: only they can see them (null for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn webhooks(
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
    ) -> Result<Option<Connection<Webhook>>> {
        if !self.is_viewer(ctx) {
            return Ok(None);
        }
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let page = hub.webhooks().of_person(actor, &request).await;
        Ok(Some(connection::from_page(
            page.map_err(ApiError)?,
            Webhook,
        )))
    }

    /// Whether they operate the hub itself.
    async fn hub_administrator(&self) -> bool {
        self.0.hub_administrator
    }

    /// Points earned by helping others, all time: overall, or in one community (null if the
    /// viewer may not read it).
    async fn reputation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A community's global id, for the points earned there; none for all.")]
        community_id: Option<ID>,
    ) -> Result<Option<i64>> {
        reputation::score(ctx, self.0.id, community_id).await
    }

    /// The reputation ledger, newest first: only the person sees it (others see totals).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn reputation_events(
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
    ) -> Result<Option<Connection<reputation::ReputationEvent>>> {
        let args = PageArgs::new(first, after, last, before);
        reputation::events(ctx, self.0.id, args).await
    }

    /// Badges, in the order awarded.
    async fn badges(&self, ctx: &Context<'_>) -> Result<Vec<reputation::Badge>> {
        reputation::badges(ctx, self.0.id).await
    }

    /// When they joined.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
