//! Demo conversations: a question with an accepted answer, a discussion with reactions and an
//! @mention, and a thread for a RESTRICTED community's members.

use chrono::Utc;
use khub_domain::conversation::{
    Post, PostId, PostStatus, ReactionCounts, ReactionKind, Thread, ThreadId, ThreadKind,
    ThreadQuery, mentioned_handles,
};
use khub_domain::pagination::PageRequest;
use khub_domain::person::PersonId;
use khub_domain::ports::NewReply;
use khub_domain::reputation::ReputationRules;
use khub_infra::Backends;

/// A reply: (author, body, reactions as (from whom, which)).
type DemoReply = (
    &'static str,
    &'static str,
    &'static [(&'static str, ReactionKind)],
);

/// A demo thread, its replies, and which reply (by index) is the accepted answer.
pub(super) struct DemoThread {
    pub community: &'static str,
    pub author: &'static str,
    pub kind: ThreadKind,
    pub title: &'static str,
    pub body: &'static str,
    pub replies: &'static [DemoReply],
    pub accepted: Option<usize>,
}

pub(super) const THREADS: &[DemoThread] = &[
    DemoThread {
        community: "homelessness-prevention",
        author: "priya",
        kind: ThreadKind::Question,
        title: "How do you reach landlords before notice is served?",
        body: "We only hear about section 21 notices once they have expired. What early warning do you get?",
        replies: &[
            (
                "amara",
                "We ask tenants at **every** benefit contact whether their landlord has mentioned selling. See our practice on landlord mediation.",
                &[
                    ("priya", ReactionKind::Helpful),
                    ("rhys", ReactionKind::Helpful),
                ],
            ),
            (
                "rhys",
                "Our letting agents' forum tips us off about portfolio sales.",
                &[("priya", ReactionKind::Insightful)],
            ),
        ],
        accepted: Some(0),
    },
    DemoThread {
        community: "homelessness-prevention",
        author: "nadia",
        kind: ThreadKind::Discussion,
        title: "Cost of living: what are advisers seeing this winter?",
        body: "Energy debt referrals are up a third on last year. Is that the same for councils?",
        replies: &[(
            "kernow-jen",
            "Same in Cornwall, worse in off-grid villages. @nadia do you have the referral data by area?",
            &[("nadia", ReactionKind::Support)],
        )],
        accepted: None,
    },
    DemoThread {
        community: "adult-social-care-leaders",
        author: "tom-h",
        kind: ThreadKind::Discussion,
        title: "Home first: how are you funding reablement capacity?",
        body: "Our discharge-to-assess pilot works, but the reablement team is at capacity by 11am.",
        replies: &[(
            "kernow-jen",
            "We moved two home-care rounds into reablement for the winter.",
            &[],
        )],
        accepted: None,
    },
];

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
    let query = ThreadQuery {
        community: Some(community.id),
        practice: None,
        reader: Some(author),
    };
    let existing = backends
        .conversations
        .threads(&query, &PageRequest::first(100))
        .await?;
    if existing.items.iter().any(|(_, t)| t.title == demo.title) {
        return Ok(false);
    }
    let now = Utc::now();
    let thread = ThreadId::generate();
    let opening = post(thread, author, demo.body, 0);
    backends
        .conversations
        .start_thread(
            &Thread {
                id: thread,
                community: community.id,
                practice: None,
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
        )
        .await?;
    let mut replies = Vec::new();
    for (handle, body, reactions) in demo.replies {
        let Some(replier) = person(backends, handle).await? else {
            continue;
        };
        let mut reply = post(thread, replier, body, 1);
        reply.mentions = mentioned(backends, body).await?;
        let reply = NewReply {
            post: reply,
            community: community.id,
            now: Utc::now(),
        };
        let stored = backends.conversations.add_reply(reply).await?;
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
        replies.push(stored);
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

async fn mentioned(backends: &Backends, body: &str) -> anyhow::Result<Vec<PersonId>> {
    let handles = mentioned_handles(body);
    let found = backends.people.find_by_handles(&handles).await?;
    Ok(found.into_iter().map(|p| p.id).collect())
}

async fn person(backends: &Backends, handle: &str) -> anyhow::Result<Option<PersonId>> {
    Ok(backends.people.find_by_handle(handle).await?.map(|p| p.id))
}

/// An approved post.
fn post(thread: ThreadId, author: PersonId, body: &str, position: u64) -> Post {
    Post {
        id: PostId::generate(),
        thread,
        author,
        body: body.to_owned(),
        reply_to: None,
        position,
        status: PostStatus::Approved,
        mentions: Vec::new(),
        reactions: ReactionCounts::default(),
        created_at: Utc::now(),
        edited_at: None,
        edit_count: 0,
        deleted_at: None,
    }
}
