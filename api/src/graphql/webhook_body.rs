//! The body of a webhook delivery: `{ type, timestamp, data }` as Standard Webhooks suggest,
//! with `data` naming what the event is about by the global ids the API uses, so a receiver
//! fetches what it needs with its own token (which sees no more than the webhook's owner).

use chrono::SecondsFormat;
use khub_domain::community::CommunityId;
use khub_domain::events::{HubEvent, PostRef};
use khub_domain::ports::WebhookPayloads;
use khub_domain::practice::PracticeId;
use khub_domain::webhook::WebhookEvent;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::graphql::id::{self, NodeKind};

/// Renders delivery bodies.
pub(crate) struct WebhookBodies;

impl WebhookPayloads for WebhookBodies {
    fn render(&self, kind: WebhookEvent, event: &HubEvent) -> String {
        let timestamp = event
            .occurred_at()
            .to_rfc3339_opts(SecondsFormat::Millis, true);
        json!({ "type": kind.as_str(), "timestamp": timestamp, "data": data(event) }).to_string()
    }
}

fn data(event: &HubEvent) -> Map<String, Value> {
    let mut data = Map::new();
    let mut put = |name: &str, kind: NodeKind, uuid: Uuid| {
        data.insert(name.to_owned(), Value::String(id::encode(kind, uuid).0));
    };
    if let Some(post) = event.post() {
        about_post(&mut put, post);
    }
    match event {
        HubEvent::AnswerAccepted { accepted_by, .. } => {
            put("acceptedById", NodeKind::Person, accepted_by.as_uuid());
        }
        HubEvent::PracticePublished {
            practice,
            community,
            author: person,
            ..
        }
        | HubEvent::PracticePromoted {
            practice,
            community,
            author: person,
            ..
        } => {
            about_practice(&mut put, *practice, *community);
            put("authorId", NodeKind::Person, person.as_uuid());
        }
        HubEvent::PracticeEndorsed {
            practice,
            community,
            endorser,
            ..
        } => {
            about_practice(&mut put, *practice, *community);
            put("endorserId", NodeKind::Person, endorser.as_uuid());
        }
        HubEvent::PracticeAdopted {
            practice,
            community,
            organisation,
            ..
        } => {
            about_practice(&mut put, *practice, *community);
            put(
                "organisationId",
                NodeKind::Organisation,
                organisation.as_uuid(),
            );
        }
        _ => {}
    }
    data
}

fn about_post(put: &mut impl FnMut(&str, NodeKind, Uuid), post: &PostRef) {
    put("postId", NodeKind::Post, post.post.as_uuid());
    put("threadId", NodeKind::Thread, post.thread.as_uuid());
    put("communityId", NodeKind::Community, post.community.as_uuid());
    put("authorId", NodeKind::Person, post.author.as_uuid());
}

fn about_practice(
    put: &mut impl FnMut(&str, NodeKind, Uuid),
    practice: PracticeId,
    community: Option<CommunityId>,
) {
    put("practiceId", NodeKind::Practice, practice.as_uuid());
    if let Some(community) = community {
        put("communityId", NodeKind::Community, community.as_uuid());
    }
}
