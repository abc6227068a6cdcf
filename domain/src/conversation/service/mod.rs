//! Conversation use cases. Each checks the policy, then what the actor may see of the thread.

mod facilitated;
mod moderation;

pub(crate) use facilitated::content_of;
mod posting;
mod reading;

use std::collections::HashMap;
use std::sync::Arc;

use super::mentions::mentioned_handles;
use super::model::{Post, PostId, PostStatus, Thread, ThreadKind, parse_body, parse_title};
use super::rules::can_read_thread;
use crate::access::Actor;
use crate::community::{Communities, Community, CommunityId, Role, Standing};
use crate::error::{DomainError, DomainResult};
use crate::events::{HubEvent, PostRef};
use crate::pagination::{Cursor, CursorValue};
use crate::person::PersonId;
use crate::ports::{Clock, ConversationRepository, PersonRepository};
use crate::practice::{PracticeId, Practices};
use crate::reputation::ReputationRules;

/// A thread as a reader may see it, with its community and the reader's standing there.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadView {
    pub thread: Thread,
    pub community: Community,
    pub standing: Standing,
}

impl ThreadView {
    /// The view of `thread`, if `reader`, standing so with its community, may read it.
    fn if_readable(
        thread: Thread,
        community: Community,
        standing: Standing,
        reader: Option<PersonId>,
    ) -> Option<Self> {
        can_read_thread(&thread, reader, &community, &standing).then_some(Self {
            thread,
            community,
            standing,
        })
    }

    fn facilitated_by_reader(&self) -> bool {
        self.standing.at_least(Role::Facilitator)
    }
}

/// What a thread is started with.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadStart {
    pub community: CommunityId,
    pub title: String,
    pub body: String,
    pub kind: ThreadKind,
    pub practice: Option<PracticeId>,
}

/// The conversation use cases.
#[derive(Clone)]
pub struct Conversations {
    repo: Arc<dyn ConversationRepository>,
    communities: Communities,
    practices: Practices,
    people: Arc<dyn PersonRepository>,
    clock: Arc<dyn Clock>,
    reputation: ReputationRules,
}

/// The ports and use cases conversations build on.
pub struct ConversationPorts {
    pub repo: Arc<dyn ConversationRepository>,
    pub communities: Communities,
    pub practices: Practices,
    pub people: Arc<dyn PersonRepository>,
    pub clock: Arc<dyn Clock>,
    pub reputation: ReputationRules,
}

impl Conversations {
    pub fn new(ports: ConversationPorts) -> Self {
        Self {
            repo: ports.repo,
            communities: ports.communities,
            practices: ports.practices,
            people: ports.people,
            clock: ports.clock,
            reputation: ports.reputation,
        }
    }

    async fn readable(&self, actor: &Actor, threads: Vec<Thread>) -> DomainResult<Vec<ThreadView>> {
        let mut ids: Vec<CommunityId> = threads.iter().map(|t| t.community).collect();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let communities: HashMap<CommunityId, (Community, Standing)> = self
            .communities
            .visible(actor, &ids)
            .await?
            .into_iter()
            .map(|seen| (seen.0.id, seen))
            .collect();
        let reader = actor.person().map(|p| p.id);
        Ok(threads
            .into_iter()
            .filter_map(|thread| {
                let (community, standing) = communities.get(&thread.community)?.clone();
                ThreadView::if_readable(thread, community, standing, reader)
            })
            .collect())
    }

    async fn seen_post(&self, actor: &Actor, id: PostId) -> DomainResult<(Post, ThreadView)> {
        self.posts(actor, &[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound)
    }

    async fn fresh_post(&self, id: PostId) -> DomainResult<Post> {
        self.repo
            .find_posts(&[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound)
    }

    /// The people @mentioned in `body` who exist.
    async fn mentioned(&self, body: &str) -> DomainResult<Vec<PersonId>> {
        let handles = mentioned_handles(body);
        if handles.is_empty() {
            return Ok(Vec::new());
        }
        let found = self.people.find_by_handles(&handles).await?;
        Ok(handles
            .iter()
            .filter_map(|h| found.iter().find(|p| &p.handle == h).map(|p| p.id))
            .collect())
    }
}

/// The mentions an approved post announces: everyone it names but its author.
fn mentions(post: &Post, reference: PostRef) -> impl Iterator<Item = HubEvent> + '_ {
    post.mentions
        .iter()
        .filter(|person| **person != post.author)
        .map(move |person| HubEvent::Mentioned {
            post: reference,
            person: *person,
            at: post.created_at,
        })
}

/// The right to take part in a thread (reply, react, edit or delete one's post): a member of
/// its community, in a thread that is not locked. `field` names the input it came from.
fn check_can_take_part(view: &ThreadView, field: &str) -> DomainResult<()> {
    if !view.standing.is_member() {
        return Err(not_a_member(field));
    }
    if view.thread.locked {
        return Err(DomainError::invalid(
            field,
            "THREAD_LOCKED",
            "this thread is locked",
        ));
    }
    Ok(())
}

fn check_can_reply(view: &ThreadView) -> DomainResult<()> {
    check_can_take_part(view, "threadId")?;
    if view.thread.status != PostStatus::Approved {
        return Err(DomainError::invalid(
            "threadId",
            "NOT_APPROVED",
            "this thread awaits approval",
        ));
    }
    Ok(())
}

/// A reply's place in its thread's list, as the store's cursors spell it.
fn reply_cursor(post: &Post) -> Cursor {
    Cursor(vec![CursorValue::Int(
        i64::try_from(post.position).unwrap_or(i64::MAX),
    )])
}

fn post_ref(post: &Post, community: CommunityId) -> PostRef {
    PostRef {
        post: post.id,
        thread: post.thread,
        community,
        author: post.author,
        status: post.status,
    }
}

/// Both results, or every error of either.
fn both<A, B>(a: DomainResult<A>, b: DomainResult<B>) -> DomainResult<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(DomainError::Invalid(mut x)), Err(DomainError::Invalid(y))) => {
            x.extend(y);
            Err(DomainError::Invalid(x))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

fn not_a_member(field: &str) -> DomainError {
    DomainError::invalid(field, "NOT_A_MEMBER", "join the community to take part")
}

fn deleted() -> DomainError {
    DomainError::invalid("postId", "DELETED", "this post was deleted")
}
