//! Turning a page of search hits into a connection: each hit's item read through the item's
//! own visibility-checked path, one batch per kind.

use std::collections::HashMap;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Result};
use khub_domain::pagination::{Cursor, Page};
use khub_domain::person::PersonId;
use khub_domain::search::{self as domain, SearchHit, SearchItem};
use uuid::Uuid;

use super::{Node, Person, SearchResult, SearchResultConnection, SearchResultEdge};
use crate::graphql::connection::OpaqueCursor;
use crate::graphql::id::NodeKind;
use crate::graphql::loaders::PersonLoader;
use crate::graphql::query::batch;

/// The connection for one page of hits of `query` and `filter` (kept for its facets, unless
/// they were read with the page).
pub async fn connection(
    ctx: &Context<'_>,
    page: Page<SearchHit>,
    query: domain::SearchQuery,
    filter: domain::SearchFilter,
    facets: Option<domain::SearchFacets>,
) -> Result<SearchResultConnection> {
    Ok(SearchResultConnection {
        edges: edges(ctx, page.items).await?,
        has_previous_page: page.has_previous_page,
        has_next_page: page.has_next_page,
        total_count: page.total_count.unwrap_or_default(),
        query,
        filter,
        facets,
    })
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
        Node::Organisation(_)
        | Node::ApiToken(_)
        | Node::SavedSearch(_)
        | Node::Notification(_)
        | Node::Webhook(_)
        | Node::WebhookDelivery(_) => None,
    }
}
