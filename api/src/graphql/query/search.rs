//! `search`: one ranked search over everything the viewer may read.

use std::collections::HashMap;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, Result};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::organisation::OrganisationId;
use khub_domain::pagination::Cursor;
use khub_domain::person::PersonId;
use khub_domain::search::{self as domain, SearchHit, SearchItem, SearchQuery};
use uuid::Uuid;

use super::node::batch;
use crate::graphql::connection::{OpaqueCursor, PageArgs, page_complexity};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::PersonLoader;
use crate::graphql::types::{
    Node, Person, SearchFilter, SearchResult, SearchResultConnection, SearchResultEdge,
};

#[derive(Default)]
pub struct SearchQueryRoot;

#[Object]
impl SearchQueryRoot {
    /// Searches practices, threads, replies, people and communities the viewer may read, best
    /// match first: titles rank above summaries above bodies, recent above old, promoted
    /// practices a little higher. Words are stemmed ("recycling" finds "recycled"); type
    /// `"a phrase"`, `-excluded` and `this OR that` as in any search box.
    #[graphql(complexity = "page_complexity(first, None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to look for, as typed into a search box.")] query: String,
        #[graphql(desc = "Narrows the results.")] filter: Option<SearchFilter>,
        #[graphql(desc = "How many to return, at most 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Return those after this cursor.")] after: Option<String>,
    ) -> Result<SearchResultConnection> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let query = SearchQuery::parse(&query).map_err(ApiError)?;
        let filter = domain_filter(filter.unwrap_or_default()).map_err(ApiError)?;
        let request = PageArgs::new(first, after, None, None).into_request(ctx)?;
        let page = hub
            .search()
            .search(actor, query.clone(), filter.clone(), &request)
            .await
            .map_err(ApiError)?;
        let edges = edges(ctx, page.items).await?;
        Ok(SearchResultConnection {
            edges,
            has_previous_page: page.has_previous_page,
            has_next_page: page.has_next_page,
            total_count: page.total_count.unwrap_or_default(),
            query,
            filter,
        })
    }
}

/// Each hit with its item, read through the item's own visibility-checked path, one batch
/// per kind; a hit whose item is no longer readable is left out.
async fn edges(ctx: &Context<'_>, hits: Vec<(Cursor, SearchHit)>) -> Result<Vec<SearchResultEdge>> {
    let mut wanted: HashMap<NodeKind, Vec<Uuid>> = HashMap::new();
    for (_, hit) in &hits {
        let (kind, uuid) = key(hit.item);
        wanted.entry(kind).or_default().push(uuid);
    }
    let mut found: HashMap<Uuid, SearchResult> = HashMap::new();
    for (kind, uuids) in wanted {
        let nodes = match kind {
            NodeKind::Person => people(ctx, uuids).await?,
            _ => batch(ctx, kind, uuids).await?,
        };
        found.extend(
            nodes
                .into_iter()
                .filter_map(|(uuid, node)| Some((uuid, result(node)?))),
        );
    }
    Ok(hits
        .into_iter()
        .filter_map(|(cursor, hit)| {
            let node = found.get(&key(hit.item).1)?.clone();
            Some(SearchResultEdge {
                cursor: OpaqueCursor(cursor),
                node,
                hit,
            })
        })
        .collect())
}

async fn people(ctx: &Context<'_>, uuids: Vec<Uuid>) -> Result<HashMap<Uuid, Node>> {
    let ids = uuids.into_iter().map(PersonId::from_uuid);
    let loaded = ctx
        .data::<DataLoader<PersonLoader>>()?
        .load_many(ids)
        .await?;
    Ok(loaded
        .into_iter()
        .map(|(id, person)| (id.as_uuid(), Node::Person(Person(person))))
        .collect())
}

fn key(item: SearchItem) -> (NodeKind, Uuid) {
    match item {
        SearchItem::Practice(id) => (NodeKind::Practice, id.as_uuid()),
        SearchItem::Thread(id) => (NodeKind::Thread, id.as_uuid()),
        SearchItem::Post(id) => (NodeKind::Post, id.as_uuid()),
        SearchItem::Person(id) => (NodeKind::Person, id.as_uuid()),
        SearchItem::Community(id) => (NodeKind::Community, id.as_uuid()),
    }
}

fn result(node: Node) -> Option<SearchResult> {
    match node {
        Node::Practice(practice) => Some(SearchResult::Practice(practice)),
        Node::Thread(thread) => Some(SearchResult::Thread(thread)),
        Node::Post(post) => Some(SearchResult::Post(post)),
        Node::Person(person) => Some(SearchResult::Person(person)),
        Node::Community(community) => Some(SearchResult::Community(community)),
        Node::Organisation(_) | Node::ApiToken(_) => None,
    }
}

fn domain_filter(filter: SearchFilter) -> Result<domain::SearchFilter, DomainError> {
    let decode = |raw: Option<async_graphql::ID>, kind: NodeKind, field: &str| {
        raw.map(|raw| id::expect(kind, &format!("filter.{field}"), &raw))
            .transpose()
    };
    Ok(domain::SearchFilter {
        kinds: filter
            .types
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
        community: decode(filter.community_id, NodeKind::Community, "communityId")?
            .map(CommunityId::from_uuid),
        tag: filter.tag,
        service_area: filter.service_area,
        organisation: decode(
            filter.organisation_id,
            NodeKind::Organisation,
            "organisationId",
        )?
        .map(OrganisationId::from_uuid),
        author: decode(filter.author_id, NodeKind::Person, "authorId")?.map(PersonId::from_uuid),
        from: filter.from,
        until: filter.until,
        practice_statuses: filter
            .practice_status
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect(),
    })
}
