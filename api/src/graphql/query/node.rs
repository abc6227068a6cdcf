//! Relay global object identification: `node(id:)` and `nodes(ids:)`.

use std::collections::HashMap;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object, Result};
use khub_domain::DomainError;
use khub_domain::access::Actor;
use khub_domain::api_token::ApiTokenId;
use khub_domain::community::CommunityId;
use khub_domain::conversation::{PostId, ThreadId, post_scope};
use khub_domain::notification::NotificationId;
use khub_domain::organisation::OrganisationId;
use khub_domain::person::PersonId;
use khub_domain::practice::PracticeId;
use khub_domain::search::SavedSearchId;
use khub_domain::webhook::{DeliveryId, WebhookId};
use uuid::Uuid;

use crate::graphql::context::HubContext;
use crate::graphql::error::{ApiError, ErrorCode, coded};
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{OrganisationLoader, PersonLoader};
use crate::graphql::types::{
    ApiToken, Community, Node, Notification, Organisation, Person, Post, Practice, SavedSearch,
    Thread, Webhook, WebhookDelivery,
};

/// The most ids one `nodes` call may ask for.
const MAX_NODES: usize = 100;

/// Kinds read in one visibility-checked batch per kind; the others go through DataLoaders.
const BATCHED: [NodeKind; 4] = [
    NodeKind::Community,
    NodeKind::Practice,
    NodeKind::Thread,
    NodeKind::Post,
];

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global id; null when it does not exist or may not be seen.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id, of any type.")] id: ID,
    ) -> Result<Option<Node>> {
        let Some((kind, uuid)) = id::decode(&id) else {
            return Ok(None);
        };
        if BATCHED.contains(&kind) {
            return Ok(batch(ctx, kind, vec![uuid]).await?.remove(&uuid));
        }
        load(ctx, kind, uuid).await
    }

    /// Fetches up to 100 objects by global id, in the order asked; null where one does not exist
    /// or may not be seen.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, of any types.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(coded(
                format!("ids: at most {MAX_NODES} ids per call"),
                ErrorCode::BadUserInput,
            ));
        }
        let decoded: Vec<Option<(NodeKind, Uuid)>> = ids.iter().map(|id| id::decode(id)).collect();
        let mut batched: HashMap<(NodeKind, Uuid), Node> = HashMap::new();
        for kind in BATCHED {
            let uuids: Vec<Uuid> = decoded
                .iter()
                .flatten()
                .filter(|(k, _)| *k == kind)
                .map(|(_, uuid)| *uuid)
                .collect();
            if !uuids.is_empty() {
                let found = batch(ctx, kind, uuids).await?;
                batched.extend(found.into_iter().map(|(uuid, node)| ((kind, uuid), node)));
            }
        }
        // Other kinds are batched by their DataLoaders: the futures run together.
        futures_util::future::try_join_all(decoded.iter().map(|found| async {
            match *found {
                Some(key) if BATCHED.contains(&key.0) => Ok(batched.get(&key).cloned()),
                Some((kind, uuid)) => load(ctx, kind, uuid).await,
                None => Ok(None),
            }
        }))
        .await
    }
}

/// The objects of one kind among `uuids` that the viewer may see, checked together.
pub(crate) async fn batch(
    ctx: &Context<'_>,
    kind: NodeKind,
    uuids: Vec<Uuid>,
) -> Result<HashMap<Uuid, Node>> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let found: Vec<(Uuid, Node)> = match kind {
        NodeKind::Community => {
            let ids: Vec<CommunityId> = uuids.into_iter().map(CommunityId::from_uuid).collect();
            let seen = hub
                .communities()
                .visible(actor, &ids)
                .await
                .map_err(ApiError)?;
            seen.into_iter()
                .map(|(community, standing)| {
                    let uuid = community.id.as_uuid();
                    (
                        uuid,
                        Node::Community(Community {
                            community,
                            standing,
                        }),
                    )
                })
                .collect()
        }
        NodeKind::Practice => {
            let ids: Vec<PracticeId> = uuids.into_iter().map(PracticeId::from_uuid).collect();
            let seen = hub
                .practices()
                .visible(actor, &ids)
                .await
                .map_err(ApiError)?;
            seen.into_iter()
                .map(|view| {
                    (
                        view.practice.id.as_uuid(),
                        Node::Practice(Practice::new(view)),
                    )
                })
                .collect()
        }
        NodeKind::Thread => {
            let ids: Vec<ThreadId> = uuids.into_iter().map(ThreadId::from_uuid).collect();
            let seen = hub
                .conversations()
                .visible_threads(actor, &ids)
                .await
                .map_err(ApiError)?;
            seen.into_iter()
                .map(|view| (view.thread.id.as_uuid(), Node::Thread(Thread::new(view))))
                .collect()
        }
        NodeKind::Post => {
            let ids: Vec<PostId> = uuids.into_iter().map(PostId::from_uuid).collect();
            let seen = hub
                .conversations()
                .posts(actor, &ids)
                .await
                .map_err(ApiError)?;
            let reader = actor.person().map(|p| p.id);
            seen.into_iter()
                .map(|(post, view)| {
                    let scope = post_scope(reader, &view.standing);
                    (post.id.as_uuid(), Node::Post(Post::new(post, scope)))
                })
                .collect()
        }
        NodeKind::Organisation
        | NodeKind::Person
        | NodeKind::ApiToken
        | NodeKind::SavedSearch
        | NodeKind::Notification
        | NodeKind::Webhook
        | NodeKind::WebhookDelivery => Vec::new(),
    };
    Ok(found.into_iter().collect())
}

/// One object of a kind that is not batched here.
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
        NodeKind::ApiToken => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let found = hub
                .identity()
                .api_token(actor, ApiTokenId::from_uuid(uuid))
                .await
                .map_err(ApiError)?;
            Ok(found.map(|token| Node::ApiToken(ApiToken(token))))
        }
        NodeKind::Notification => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let id = NotificationId::from_uuid(uuid);
            match hub.notifications().find(actor, id).await {
                Ok(found) => Ok(found.map(|n| Node::Notification(Notification(n)))),
                // Only its recipient may see it: for anyone else it does not exist.
                Err(DomainError::Unauthenticated | DomainError::Forbidden(_)) => Ok(None),
                Err(error) => Err(ApiError(error).into()),
            }
        }
        NodeKind::SavedSearch => {
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            let id = SavedSearchId::from_uuid(uuid);
            match hub.search().saved_search(actor, id).await {
                Ok(search) => Ok(Some(Node::SavedSearch(SavedSearch(search)))),
                // Someone else's search does not exist for the viewer.
                Err(
                    DomainError::NotFound
                    | DomainError::Unauthenticated
                    | DomainError::Forbidden(_),
                ) => Ok(None),
                Err(other) => Err(ApiError(other).into()),
            }
        }
        NodeKind::Webhook | NodeKind::WebhookDelivery => webhook_node(ctx, kind, uuid).await,
        batched => Ok(batch(ctx, batched, vec![uuid]).await?.remove(&uuid)),
    }
}

/// A webhook, or one of its deliveries, for those who manage it.
async fn webhook_node(ctx: &Context<'_>, kind: NodeKind, uuid: Uuid) -> Result<Option<Node>> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let webhooks = hub.webhooks();
    let found = match kind {
        NodeKind::Webhook => webhooks
            .webhook(actor, WebhookId::from_uuid(uuid))
            .await
            .map(|found| found.map(|w| Node::Webhook(Webhook(w)))),
        _ => webhooks
            .delivery(actor, DeliveryId::from_uuid(uuid))
            .await
            .map(|found| found.map(|d| Node::WebhookDelivery(WebhookDelivery(d)))),
    };
    match found {
        Ok(found) => Ok(found),
        // Only those who manage it may see it: for anyone else it does not exist.
        Err(DomainError::Unauthenticated | DomainError::Forbidden(_)) => Ok(None),
        Err(error) => Err(ApiError(error).into()),
    }
}
