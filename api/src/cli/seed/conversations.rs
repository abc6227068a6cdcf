//! Stores the demo conversations (see [`super::threads`]) through the repositories, as the
//! hub itself would have written them.

use chrono::Utc;
use khub_domain::community::Community;
use khub_domain::conversation::{
    Post, PostId, PostStatus, ReactionCounts, Thread, ThreadId, ThreadQuery, mentioned_handles,
};
use khub_domain::pagination::PageRequest;
use khub_domain::person::PersonId;
use khub_domain::ports::NewReply;
use khub_domain::reputation::{Effects, ReputationRules};
use khub_infra::Backends;

use super::threads::{DemoReply, DemoThread};

/// Stores one demo thread unless its community already has it; true if it was added.
pub(super) async fn seed_thread(
    backends: &Backends,
    rules: &ReputationRules,
    demo: &DemoThread,
) -> anyhow::Result<bool> {
    let (Some(community), Some(author)) = (
        backends.communities.find_by_slug(demo.community).await?,
        person(backends, demo.author).await?,
    ) else {
        return Ok(false);
    };
    if has_thread(backends, &community, author, demo.title).await? {
        return Ok(false);
    }
    let practice = match demo.practice {
        Some(slug) => backends.practices.find_by_slug(slug).await?.map(|p| p.id),
        None => None,
    };
    let now = Utc::now();
    let thread = ThreadId::generate();
    let opening = post(thread, author, demo.body, PostStatus::Approved);
    backends
        .conversations
        .start_thread(
            &Thread {
                id: thread,
                community: community.id,
                practice,
                author,
                title: demo.title.to_owned(),
                kind: demo.kind,
                status: PostStatus::Approved,
                pinned: false,
                locked: false,
                opening_post: opening.id,
                accepted_answer: None,
                reply_count: 0,
                last_reply: None,
                created_at: now,
                last_activity_at: now,
            },
            &opening,
            // Seeded history raises no events: nobody is told of demo content.
            &Effects::default(),
        )
        .await?;
    let mut replies = Vec::new();
    for reply in demo.replies {
        replies.extend(add_reply(backends, rules, &community, thread, reply).await?);
    }
    for (handle, body) in demo.pending {
        if let Some(replier) = person(backends, handle).await? {
            let reply = post(thread, replier, body, PostStatus::Pending);
            store_reply(backends, &community, reply).await?;
        }
    }
    if let Some(answer) = demo.accepted.and_then(|i| replies.get(i)) {
        let effects = rules.answer_accepted(answer, None, author, community.id, Utc::now());
        backends
            .conversations
            .set_accepted_answer(thread, answer.id, None, &effects)
            .await?;
    }
    backends
        .communities
        .record_activity(community.id, Utc::now())
        .await?;
    Ok(true)
}

async fn has_thread(
    backends: &Backends,
    community: &Community,
    author: PersonId,
    title: &str,
) -> anyhow::Result<bool> {
    let query = ThreadQuery {
        community: Some(community.id),
        practice: None,
        reader: Some(author),
    };
    let existing = backends
        .conversations
        .threads(&query, &PageRequest::first(100))
        .await?;
    Ok(existing.items.iter().any(|(_, t)| t.title == title))
}

/// An approved reply and the reactions to it.
async fn add_reply(
    backends: &Backends,
    rules: &ReputationRules,
    community: &Community,
    thread: ThreadId,
    (handle, body, reactions): &DemoReply,
) -> anyhow::Result<Option<Post>> {
    let Some(replier) = person(backends, handle).await? else {
        return Ok(None);
    };
    let reply = post(thread, replier, body, PostStatus::Approved);
    let stored = store_reply(backends, community, reply).await?;
    for (handle, kind) in *reactions {
        if let Some(reactor) = person(backends, handle).await? {
            let now = Utc::now();
            let added = rules.reaction(&stored, reactor, *kind, true, community.id, now);
            let removed = rules.reaction(&stored, reactor, *kind, false, community.id, now);
            backends
                .conversations
                .toggle_reaction(stored.id, reactor, *kind, now, &added, &removed)
                .await?;
        }
    }
    Ok(Some(stored))
}

async fn store_reply(
    backends: &Backends,
    community: &Community,
    mut reply: Post,
) -> anyhow::Result<Post> {
    reply.position = 1;
    reply.mentions = mentioned(backends, &reply.body).await?;
    let reply = NewReply {
        post: reply,
        community: community.id,
        now: Utc::now(),
        effects: Effects::default(),
    };
    Ok(backends.conversations.add_reply(reply).await?)
}

async fn mentioned(backends: &Backends, body: &str) -> anyhow::Result<Vec<PersonId>> {
    let handles = mentioned_handles(body);
    let found = backends.people.find_by_handles(&handles).await?;
    Ok(found.into_iter().map(|p| p.id).collect())
}

async fn person(backends: &Backends, handle: &str) -> anyhow::Result<Option<PersonId>> {
    Ok(backends.people.find_by_handle(handle).await?.map(|p| p.id))
}

/// A post by `author` (the opening post until it is stored as a reply).
fn post(thread: ThreadId, author: PersonId, body: &str, status: PostStatus) -> Post {
    Post {
        id: PostId::generate(),
        thread,
        author,
        body: body.to_owned(),
        reply_to: None,
        position: 0,
        status,
        mentions: Vec::new(),
        reactions: ReactionCounts::default(),
        moderation: None,
        created_at: Utc::now(),
        edited_at: None,
        edit_count: 0,
        deleted_at: None,
    }
}
