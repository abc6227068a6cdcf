//! Search results: one ranked connection of practices, threads, replies, people and
//! communities, each with the part that matched and a highlighted snippet, and facets.

use async_graphql::connection::{CursorType, PageInfo};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject, Union};
use chrono::{DateTime, Utc};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::organisation::OrganisationId;
use khub_domain::person::PersonId;
use khub_domain::search as domain;

use super::{Community, Person, Post, Practice, PracticeStatus, Thread};
use crate::graphql::connection::OpaqueCursor;
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};

/// Something a search found.
#[derive(Union, Clone)]
pub enum SearchResult {
    Practice(Practice),
    Thread(Thread),
    Post(Post),
    Person(Person),
    Community(Community),
}

/// What kind of thing to search for.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SearchType {
    /// Practices past draft.
    Practice,
    /// Threads, by title and opening post.
    Thread,
    /// Replies in threads.
    Post,
    /// People, by name, job title, area, interests and handle.
    Person,
    /// Communities, by name, description and slug.
    Community,
}

impl From<SearchType> for domain::SearchKind {
    fn from(kind: SearchType) -> Self {
        match kind {
            SearchType::Practice => Self::Practice,
            SearchType::Thread => Self::Thread,
            SearchType::Post => Self::Post,
            SearchType::Person => Self::Person,
            SearchType::Community => Self::Community,
        }
    }
}

impl From<domain::SearchKind> for SearchType {
    fn from(kind: domain::SearchKind) -> Self {
        match kind {
            domain::SearchKind::Practice => Self::Practice,
            domain::SearchKind::Thread => Self::Thread,
            domain::SearchKind::Post => Self::Post,
            domain::SearchKind::Person => Self::Person,
            domain::SearchKind::Community => Self::Community,
        }
    }
}

/// Which part of a result matched the search.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SearchField {
    /// A practice's or thread's title, a person's or community's name.
    Title,
    /// A practice's summary, a person's job title, a community's description.
    Summary,
    /// What was written: a practice's story, a thread's opening post, a reply.
    Body,
    /// Tags, service area, a handle or a slug.
    Keywords,
}

impl From<domain::SearchField> for SearchField {
    fn from(field: domain::SearchField) -> Self {
        match field {
            domain::SearchField::Title => Self::Title,
            domain::SearchField::Summary => Self::Summary,
            domain::SearchField::Body => Self::Body,
            domain::SearchField::Keywords => Self::Keywords,
        }
    }
}

/// Narrows a search. `tag`, `serviceArea` and `practiceStatus` belong to practices, so setting
/// any of them finds practices alone.
#[derive(InputObject, Default)]
pub struct SearchFilter {
    /// Only these kinds (default: all).
    pub types: Option<Vec<SearchType>>,
    /// Only what was written in this community, or the community itself.
    pub community_id: Option<ID>,
    /// Only practices with this tag.
    pub tag: Option<String>,
    /// Only practices in this service area.
    pub service_area: Option<String>,
    /// Only this organisation's practices and people, and what its people wrote.
    pub organisation_id: Option<ID>,
    /// Only what this person wrote.
    pub author_id: Option<ID>,
    /// Only what was created (a practice: published) at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only what was created (a practice: published) before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only practices with one of these statuses (default: all past draft).
    pub practice_status: Option<Vec<PracticeStatus>>,
}

impl SearchFilter {
    /// The filter in the domain's terms; ids must be of the kind each field names.
    pub fn into_domain(self) -> Result<domain::SearchFilter, DomainError> {
        let decode = |raw: Option<async_graphql::ID>, kind: NodeKind, field: &str| {
            raw.map(|raw| id::expect(kind, &format!("self.{field}"), &raw))
                .transpose()
        };
        Ok(domain::SearchFilter {
            kinds: self
                .types
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            community: decode(self.community_id, NodeKind::Community, "communityId")?
                .map(CommunityId::from_uuid),
            tag: self.tag,
            service_area: self.service_area,
            organisation: decode(
                self.organisation_id,
                NodeKind::Organisation,
                "organisationId",
            )?
            .map(OrganisationId::from_uuid),
            author: decode(self.author_id, NodeKind::Person, "authorId")?.map(PersonId::from_uuid),
            from: self.from,
            until: self.until,
            created_after: None,
            practice_statuses: self
                .practice_status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
        })
    }
}

/// One result and where it stands in the results.
pub struct SearchResultEdge {
    pub cursor: OpaqueCursor,
    pub node: SearchResult,
    pub hit: domain::SearchHit,
}

/// One result of a search, with the part that matched and a highlighted snippet of it.
#[Object]
impl SearchResultEdge {
    /// Where this result stands in the results: pass it as `after`.
    async fn cursor(&self) -> String {
        self.cursor.encode_cursor()
    }

    /// The result.
    async fn node(&self) -> &SearchResult {
        &self.node
    }

    /// Which part of the result matched.
    async fn matched_field(&self) -> SearchField {
        self.hit.field.into()
    }

    /// A few words of the matched part around the match, as HTML: the text escaped, the
    /// matched words in `<mark>`.
    async fn snippet(&self) -> String {
        self.hit.snippet.to_html()
    }
}

/// One page of search results, best first, with counts of all the results by kind, tag,
/// service area and community.
pub struct SearchResultConnection {
    pub edges: Vec<SearchResultEdge>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
    pub total_count: u64,
    pub query: domain::SearchQuery,
    pub filter: domain::SearchFilter,
    /// The facets, when read with the page.
    pub facets: Option<domain::SearchFacets>,
}

/// One page of search results, best first (a Relay cursor connection, paged forwards), with
/// counts of all the results by kind, tag, service area and community.
#[Object]
impl SearchResultConnection {
    /// Whether there are pages before and after this one, and the cursors to reach them.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|e| e.cursor.encode_cursor()),
            end_cursor: self.edges.last().map(|e| e.cursor.encode_cursor()),
        }
    }

    /// The results of this page, each with its cursor, matched field and snippet.
    async fn edges(&self) -> &[SearchResultEdge] {
        &self.edges
    }

    /// The results of this page.
    async fn nodes(&self) -> Vec<&SearchResult> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// How many results there are across all pages: a search considers the newest 300
    /// matches.
    async fn total_count(&self) -> u64 {
        self.total_count
    }

    /// How many results there are of each kind, tag, service area and community (the 20
    /// largest of each), for this query and filter.
    async fn facets(&self, ctx: &Context<'_>) -> Result<SearchFacets> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let facets = match &self.facets {
            Some(facets) => facets.clone(),
            None => hub
                .search()
                .facets(actor, self.query.clone(), self.filter.clone())
                .await
                .map_err(ApiError)?,
        };
        let ids: Vec<CommunityId> = facets.communities.iter().map(|(id, _)| *id).collect();
        let seen = hub
            .communities()
            .visible(actor, &ids)
            .await
            .map_err(ApiError)?;
        let communities = facets
            .communities
            .iter()
            .filter_map(|(id, count)| {
                let (community, standing) = seen.iter().find(|(c, _)| c.id == *id)?.clone();
                let community = Community {
                    community,
                    standing,
                };
                Some(CommunityCount {
                    community,
                    count: *count,
                })
            })
            .collect();
        Ok(SearchFacets {
            types: facets
                .kinds
                .into_iter()
                .map(|(kind, count)| TypeCount {
                    r#type: kind.into(),
                    count,
                })
                .collect(),
            tags: values(facets.tags),
            service_areas: values(facets.service_areas),
            communities,
        })
    }
}

fn values(counts: Vec<(String, u64)>) -> Vec<ValueCount> {
    counts
        .into_iter()
        .map(|(value, count)| ValueCount { value, count })
        .collect()
}

/// Counts of a search's results.
#[derive(SimpleObject)]
pub struct SearchFacets {
    /// By kind.
    types: Vec<TypeCount>,
    /// By practice tag.
    tags: Vec<ValueCount>,
    /// By practice service area.
    service_areas: Vec<ValueCount>,
    /// By the community they were written in (communities themselves included).
    communities: Vec<CommunityCount>,
}

/// How many results are of one kind.
#[derive(SimpleObject)]
#[graphql(name = "SearchTypeCount")]
pub struct TypeCount {
    /// The kind.
    r#type: SearchType,
    /// How many results are of it.
    count: u64,
}

/// How many results have one value (a tag, a service area).
#[derive(SimpleObject)]
#[graphql(name = "SearchValueCount")]
pub struct ValueCount {
    /// The value.
    value: String,
    /// How many results have it.
    count: u64,
}

/// How many results are in one community.
#[derive(SimpleObject)]
#[graphql(name = "SearchCommunityCount")]
pub struct CommunityCount {
    /// The community.
    community: Community,
    /// How many results are in it.
    count: u64,
}
