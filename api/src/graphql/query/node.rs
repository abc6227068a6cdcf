//! Relay global object identification: `node(id:)` and `nodes(ids:)`.

use std::collections::HashMap;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, Result};
use khub_domain::access::Actor;
use khub_domain::api_token::ApiTokenId;
use khub_domain::community::CommunityId;
use khub_domain::conversation::{PostId, ThreadId, post_scope};
use khub_domain::organisation::OrganisationId;
use khub_domain::person::PersonId;
use khub_domain::practice::PracticeId;
use uuid::Uuid;

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::error::{ErrorCode, coded};
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{OrganisationLoader, PersonLoader};
use crate::graphql::types::{
    ApiToken, Community, Node, Organisation, Person, Post, Practice, Thread,
};

/// The most ids one `nodes` call may ask for.
const MAX_NODES: usize = 100;

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global id; null when it does not exist or may not be seen.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        match id::decode(&id) {
            Some((kind, uuid)) => load(ctx, kind, uuid).await,
            None => Ok(None),
        }
    }

    /// Fetches up to 100 objects by global id, in the order asked; null where one does not exist
    /// or may not be seen.
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(coded(
                format!("ids: at most {MAX_NODES} ids per call"),
                ErrorCode::BadUserInput,
            ));
        }
        let decoded: Vec<Option<(NodeKind, Uuid)>> = ids.iter().map(|id| id::decode(id)).collect();
        let communities = visible_communities(ctx, &decoded).await?;
        let practices = visible_practices(ctx, &decoded).await?;
        // Other kinds are batched by their DataLoaders: the futures run together.
        futures_util::future::try_join_all(decoded.iter().map(|found| async {
            match *found {
                Some((NodeKind::Community, uuid)) => {
                    Ok(communities.get(&uuid).map(|c| Node::Community(c.clone())))
                }
                Some((NodeKind::Practice, uuid)) => {
                    Ok(practices.get(&uuid).map(|p| Node::Practice(p.clone())))
                }
                Some((kind, uuid)) => load(ctx, kind, uuid).await,
                None => Ok(None),
            }
        }))
        .await
    }
}

/// Every community among `decoded` the viewer may see, in one batch.
async fn visible_communities(
    ctx: &Context<'_>,
    decoded: &[Option<(NodeKind, Uuid)>],
) -> Result<HashMap<Uuid, Community>> {
    let ids: Vec<CommunityId> = decoded
        .iter()
        .flatten()
        .filter(|(kind, _)| *kind == NodeKind::Community)
        .map(|(_, uuid)| CommunityId::from_uuid(*uuid))
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let visible = hub
        .communities()
        .visible(actor, &ids)
        .await
        .map_err(ApiError)?;
    Ok(visible
        .into_iter()
        .map(|(community, standing)| {
            (
                community.id.as_uuid(),
                Community {
                    community,
                    standing,
                },
            )
        })
        .collect())
}

/// Every practice among `decoded` the viewer may read, in one batch.
async fn visible_practices(
    ctx: &Context<'_>,
    decoded: &[Option<(NodeKind, Uuid)>],
) -> Result<HashMap<Uuid, Practice>> {
    let ids: Vec<PracticeId> = decoded
        .iter()
        .flatten()
        .filter(|(kind, _)| *kind == NodeKind::Practice)
        .map(|(_, uuid)| PracticeId::from_uuid(*uuid))
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let visible = hub
        .practices()
        .visible(actor, &ids)
        .await
        .map_err(ApiError)?;
    Ok(visible
        .into_iter()
        .map(|view| (view.practice.id.as_uuid(), Practice::new(view)))
        .collect())
}

async fn load(ctx: &Context<'_>, kind: NodeKind, uuid: Uuid) -> Result<Option<Node>> {
    match kind {
        NodeKind::Organisation => {
            let loader = ctx.data::<DataLoader<OrganisationLoader>>()?;
            let found = loader.load_one(OrganisationId::from_uuid(uuid)).await?;
            Ok(found.map(|org| Node::Organisation(Organisation(org))))
        }
        NodeKind::Person => {
            let loader = ctx.data::<DataLoader<PersonLoader>>()?;
            let found = loader.load_one(PersonId::from_uuid(uuid)).await?;
            Ok(found.map(|person| Node::Person(Person(person))))
        }
        NodeKind::Community => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let id = CommunityId::from_uuid(uuid);
            let found = hub
                .communities()
                .visible(actor, &[id])
                .await
                .map_err(ApiError)?
                .pop();
            Ok(found.map(|(community, standing)| {
                Node::Community(Community {
                    community,
                    standing,
                })
            }))
        }
        NodeKind::Practice => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let found = hub
                .practices()
                .find(actor, PracticeId::from_uuid(uuid))
                .await
                .map_err(ApiError)?;
            Ok(found.map(|view| Node::Practice(Practice::new(view))))
        }
        NodeKind::Thread => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let found = hub
                .conversations()
                .thread(actor, ThreadId::from_uuid(uuid))
                .await
                .map_err(ApiError)?;
            Ok(found.map(|view| Node::Thread(Thread::new(view))))
        }
        NodeKind::Post => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let found = hub
                .conversations()
                .posts(actor, &[PostId::from_uuid(uuid)])
                .await
                .map_err(ApiError)?
                .pop();
            let reader = actor.person().map(|p| p.id);
            Ok(found.map(|(post, view)| {
                Node::Post(Post::new(post, post_scope(reader, &view.standing)))
            }))
        }
        NodeKind::ApiToken => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let found = hub
                .identity()
                .api_token(actor, ApiTokenId::from_uuid(uuid))
                .await
                .map_err(ApiError)?;
            Ok(found.map(|token| Node::ApiToken(ApiToken(token))))
        }
    }
}
