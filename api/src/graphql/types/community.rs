use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::community as domain;

use khub_domain::access::Actor;

use super::notification::viewer_community_level;
use super::{FlaggedItem, ModerationLogEntry, Person, Post, Thread, WatchLevel};
use khub_domain::conversation::PostScope;
use khub_domain::feeds::FeedSource;

use crate::graphql::connection::{self, Connection, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::PersonLoader;
use crate::graphql::query::viewer_feed_token;
use crate::http::feeds::FeedService;

/// A community of practice, as the viewer may see it.
#[derive(Clone)]
pub struct Community {
    pub community: domain::Community,
    /// The viewer's standing: decides what of the community they may see.
    pub standing: domain::Standing,
}

/// A community of practice, as the viewer may see it.
#[Object]
impl Community {
    /// The community's global id.
    pub async fn id(&self) -> ID {
        id::encode(NodeKind::Community, self.community.id.as_uuid())
    }

    /// The URL-safe key, e.g. `adult-social-care`.
    async fn slug(&self) -> &str {
        self.community.slug.as_str()
    }

    /// The community's name.
    async fn name(&self) -> &str {
        &self.community.name
    }

    /// What the community is about.
    async fn description(&self) -> &str {
        &self.community.description
    }

    /// Who may see it and its content.
    async fn visibility(&self) -> CommunityVisibility {
        self.community.visibility.into()
    }

    /// Whether members' posts wait for a facilitator's approval.
    async fn discussion_mode(&self) -> DiscussionMode {
        self.community.discussion_mode.into()
    }

    /// Its Atom feed of new threads and practices: for anyone if it is OPEN, else for its
    /// members, with the viewer's feed token in the address (null for anyone else).
    async fn feed_url(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let source = FeedSource::Community(self.community.slug.as_str().to_owned());
        let feeds = ctx.data::<FeedService>()?;
        if self.community.visibility == domain::Visibility::Open {
            return Ok(Some(feeds.url(&source, None)));
        }
        if self.standing.role.is_none() {
            return Ok(None);
        }
        let token = viewer_feed_token(ctx).await?;
        Ok(token.map(|token| feeds.url(&source, Some(&token))))
    }

    /// How many organisations (other than the author's) must endorse a practice here for it to
    /// become practice worth repeating.
    async fn promotion_threshold(&self) -> u32 {
        self.community.promotion_threshold
    }

    /// How many members' flags hide a thread or post pending review.
    async fn flag_threshold(&self) -> u32 {
        self.community.flag_threshold
    }

    /// How many members it has.
    async fn member_count(&self) -> u64 {
        self.community.member_count
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.community.created_at
    }

    /// When something last happened in it.
    async fn last_activity_at(&self) -> DateTime<Utc> {
        self.community.last_activity_at
    }

    /// The viewer's role, if they are a member.
    async fn viewer_role(&self) -> Option<CommunityRole> {
        self.standing.role.map(Into::into)
    }

    /// How closely the viewer follows it (null when anonymous): TRACKING for members, else
    /// NORMAL, until they choose.
    async fn viewer_watch_level(&self, ctx: &Context<'_>) -> Result<Option<WatchLevel>> {
        viewer_community_level(ctx, self.community.id, &self.standing).await
    }

    /// Whether the viewer has asked to join and awaits a decision.
    async fn viewer_has_requested(&self) -> bool {
        self.standing.requested
    }

    /// Whether the viewer was invited (joining accepts).
    async fn viewer_is_invited(&self) -> bool {
        self.standing.invited
    }

    /// Members and their roles, by when they joined; null when the viewer may not see the
    /// community's content.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn members(
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
    ) -> Result<Option<Connection<CommunityMember>>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .communities()
            .members(&self.community, &self.standing, &request)
            .await
            .map_err(ApiError)?;
        Ok(page.map(|page| connection::from_page(page, CommunityMember)))
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
            .community_threads(actor, &self.community, self.standing, &request)
            .await
            .map_err(ApiError)?;
        Ok(connection::from_page(page, Thread::new))
    }

    /// Requests to join awaiting a decision, oldest first: for facilitators and owners only
    /// (null for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn membership_requests(
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
    ) -> Result<Option<Connection<MembershipRequest>>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .communities()
            .requests(&self.community, &self.standing, &request)
            .await
            .map_err(ApiError)?;
        Ok(page.map(|page| connection::from_page(page, MembershipRequest)))
    }

    /// What its facilitators did, newest first: for whoever may read its content (anyone for
    /// an OPEN community), null for anyone else.
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
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .moderation()
            .log(&self.community, &self.standing, &request)
            .await
            .map_err(ApiError)?;
        Ok(page.map(|page| connection::from_page(page, ModerationLogEntry)))
    }

    /// Flagged threads and posts with their open flags, grouped by item, oldest flag first,
    /// with `totalCount`: for its facilitators only (null for anyone else).
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
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .moderation()
            .queue(&self.community, &self.standing, &request)
            .await
            .map_err(ApiError)?;
        Ok(page.map(|page| connection::from_page(page, FlaggedItem)))
    }

    /// Posts and threads (their opening posts) awaiting approval, oldest first, with
    /// `totalCount`: for its facilitators only (null for anyone else).
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn pending_queue(
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
    ) -> Result<Option<Connection<Post>>> {
        let request = PageArgs::new(first, after, last, before).into_request(ctx)?;
        let hub = ctx.data::<HubContext>()?;
        let page = hub
            .moderation()
            .pending_queue(&self.community, &self.standing, &request)
            .await
            .map_err(ApiError)?;
        Ok(page.map(|page| connection::from_page(page, |post| Post::new(post, PostScope::All))))
    }
}

/// A member of a community and their role.
pub struct CommunityMember(pub domain::Membership);

/// A member of a community and their role.
#[Object]
impl CommunityMember {
    /// The member.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let found = ctx
            .data::<DataLoader<PersonLoader>>()?
            .load_one(self.0.person)
            .await?;
        Ok(found.map(Person))
    }

    /// Their role in the community.
    async fn role(&self) -> CommunityRole {
        self.0.role.into()
    }

    /// When they joined.
    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }
}

/// Someone asking to join a RESTRICTED community.
pub struct MembershipRequest(pub domain::Pending);

/// Someone asking to join a RESTRICTED community.
#[Object]
impl MembershipRequest {
    /// Who asked.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let found = ctx
            .data::<DataLoader<PersonLoader>>()?
            .load_one(self.0.person)
            .await?;
        Ok(found.map(Person))
    }

    /// When they asked.
    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Who may see a community and its content.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum CommunityVisibility {
    /// Anyone may read and join.
    Open,
    /// Anyone sees its name and description; joining needs a facilitator's approval; the
    /// content is for members.
    Restricted,
    /// Invisible to non-members; joining by invitation only.
    Private,
}

/// Whether members' posts wait for approval.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum DiscussionMode {
    /// Posts appear at once.
    Open,
    /// Members' posts wait for a facilitator's approval: a facilitated debate space.
    Facilitated,
}

/// A member's role in a community.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum CommunityRole {
    /// Takes part.
    Member,
    /// Decides requests, invites, moderates.
    Facilitator,
    /// Everything a facilitator does, and makes or unmakes owners.
    Owner,
}

/// How a list of communities is ordered.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum CommunityOrder {
    /// Most recently active first.
    #[default]
    Activity,
    /// By name.
    Name,
}

/// Narrows a list of communities.
#[derive(InputObject, Default)]
pub struct CommunityFilter {
    /// Text to find within the name or slug.
    pub text: Option<String>,
    /// Only communities of this visibility.
    pub visibility: Option<CommunityVisibility>,
    /// Only communities the viewer belongs to.
    #[graphql(default)]
    pub mine: bool,
}

mirror_enum!(CommunityVisibility <=> domain::Visibility { Open, Restricted, Private });
mirror_enum!(DiscussionMode <=> domain::DiscussionMode { Open, Facilitated });
mirror_enum!(CommunityRole <=> domain::Role { Member, Facilitator, Owner });
mirror_enum!(CommunityOrder <=> domain::CommunityOrder { Activity, Name });

impl From<CommunityFilter> for domain::CommunityFilter {
    fn from(filter: CommunityFilter) -> Self {
        Self {
            text: filter.text,
            visibility: filter.visibility.map(Into::into),
            mine: filter.mine,
        }
    }
}
