//! Conversation use cases. Each checks the policy, then what the actor may see of the thread.

use std::collections::HashMap;
use std::sync::Arc;

use super::mentions::mentioned_handles;
use super::model::{
    Post, PostEdit, PostId, PostStatus, ReactionCounts, ReactionKind, Thread, ThreadId, ThreadKind,
    ThreadQuery, parse_body, parse_title,
};
use super::rules::{can_read_thread, in_scope, needs_approval, post_scope};
use crate::access::Actor;
use crate::community::{Communities, Community, CommunityId, Role, Standing, Visibility};
use crate::error::{DomainError, DomainResult};
use crate::events::{Events, HubEvent, PostRef};
use crate::pagination::{Page, PageRequest};
use crate::person::{Person, PersonId};
use crate::policy::{self, Action};
use crate::ports::{Clock, ConversationRepository, NewReply, PersonRepository};
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
    events: Events,
    clock: Arc<dyn Clock>,
    reputation: ReputationRules,
}

/// The ports and use cases conversations build on.
pub struct ConversationPorts {
    pub repo: Arc<dyn ConversationRepository>,
    pub communities: Communities,
    pub practices: Practices,
    pub people: Arc<dyn PersonRepository>,
    pub events: Events,
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
            events: ports.events,
            clock: ports.clock,
            reputation: ports.reputation,
        }
    }

    /// Starts a thread in a community the actor belongs to. In a facilitated space a member's
    /// thread waits for a facilitator.
    #[tracing::instrument(skip_all)]
    pub async fn start_thread(
        &self,
        actor: &Actor,
        start: ThreadStart,
    ) -> DomainResult<ThreadView> {
        let author = policy::authorize(actor, Action::WriteConversations)?;
        let (title, body) = both(parse_title(&start.title), parse_body(&start.body))?;
        let (community, standing) = self.member_of(actor, start.community).await?;
        if let Some(practice) = start.practice
            && self.practices.find(actor, practice).await?.is_none()
        {
            return Err(DomainError::invalid(
                "practiceId",
                "NOT_FOUND",
                "no such practice",
            ));
        }
        let status = match needs_approval(&community, start.kind, &standing) {
            true => PostStatus::Pending,
            false => PostStatus::Approved,
        };
        let now = self.clock.now();
        let (thread_id, post_id) = (ThreadId::generate(), PostId::generate());
        let opening = Post {
            id: post_id,
            thread: thread_id,
            author: author.id,
            body,
            reply_to: None,
            position: 0,
            status,
            mentions: self.mentioned(&start.body).await?,
            reactions: ReactionCounts::default(),
            created_at: now,
            edited_at: None,
            edit_count: 0,
            deleted_at: None,
        };
        let thread = Thread {
            id: thread_id,
            community: community.id,
            practice: start.practice,
            author: author.id,
            title,
            kind: start.kind,
            status,
            pinned: false,
            locked: false,
            opening_post: post_id,
            accepted_answer: None,
            reply_count: 0,
            last_reply: None,
            created_at: now,
            last_activity_at: now,
        };
        self.repo.start_thread(&thread, &opening).await?;
        let opening_ref = post_ref(&opening, community.id);
        self.events
            .raise(HubEvent::ThreadStarted {
                opening: opening_ref,
                at: now,
            })
            .await;
        if status == PostStatus::Approved {
            self.communities.record_activity(community.id, now).await?;
            self.announce_mentions(&opening, opening_ref).await;
        }
        Ok(ThreadView {
            thread,
            community,
            standing,
        })
    }

    /// Replies in an open thread of a community the actor belongs to.
    #[tracing::instrument(skip_all)]
    pub async fn post_reply(
        &self,
        actor: &Actor,
        thread: ThreadId,
        body: &str,
        reply_to: Option<PostId>,
    ) -> DomainResult<Post> {
        let author = policy::authorize(actor, Action::WriteConversations)?;
        let body = parse_body(body)?;
        let view = self
            .thread(actor, thread)
            .await?
            .ok_or(DomainError::NotFound)?;
        check_can_reply(&view)?;
        if let Some(target) = reply_to {
            let found = self.posts(actor, &[target]).await?.pop();
            if found.is_none_or(|(post, _)| post.thread != thread) {
                return Err(DomainError::invalid(
                    "replyToId",
                    "NOT_FOUND",
                    "no such post in this thread",
                ));
            }
        }
        let status = match needs_approval(&view.community, view.thread.kind, &view.standing) {
            true => PostStatus::Pending,
            false => PostStatus::Approved,
        };
        let now = self.clock.now();
        let post = Post {
            id: PostId::generate(),
            thread,
            author: author.id,
            mentions: self.mentioned(&body).await?,
            body,
            reply_to,
            position: 0,
            status,
            reactions: ReactionCounts::default(),
            created_at: now,
            edited_at: None,
            edit_count: 0,
            deleted_at: None,
        };
        let stored = self.repo.add_reply(NewReply { post, now }).await?;
        let reply = post_ref(&stored, view.community.id);
        self.events
            .raise(HubEvent::ReplyPosted { reply, at: now })
            .await;
        if status == PostStatus::Approved {
            self.communities
                .record_activity(view.community.id, now)
                .await?;
            self.announce_mentions(&stored, reply).await;
        }
        Ok(stored)
    }

    /// Edits the actor's own post, keeping the previous text.
    #[tracing::instrument(skip_all)]
    pub async fn edit_post(&self, actor: &Actor, id: PostId, body: &str) -> DomainResult<Post> {
        let editor = policy::authorize(actor, Action::WriteConversations)?;
        let body = parse_body(body)?;
        let (post, view) = self.seen_post(actor, id).await?;
        if post.author != editor.id {
            return Err(DomainError::Forbidden("only its author may edit a post"));
        }
        if post.is_deleted() {
            return Err(deleted());
        }
        let mentions = self.mentioned(&body).await?;
        let now = self.clock.now();
        let edited = self
            .repo
            .edit_post(id, &body, &mentions, editor.id, now)
            .await?;
        let post = post_ref(&edited, view.community.id);
        self.events
            .raise(HubEvent::PostEdited { post, at: now })
            .await;
        Ok(edited)
    }

    /// Deletes a post, leaving a tombstone: its author or a facilitator.
    #[tracing::instrument(skip_all)]
    pub async fn delete_post(&self, actor: &Actor, id: PostId) -> DomainResult<Post> {
        let person = policy::authorize(actor, Action::WriteConversations)?;
        let (post, view) = self.seen_post(actor, id).await?;
        if post.author != person.id && !view.facilitated_by_reader() {
            return Err(DomainError::Forbidden(
                "only its author or a facilitator may delete a post",
            ));
        }
        let now = self.clock.now();
        let effects = self.reputation.post_removed(&post, now);
        if self.repo.delete_post(id, now, &effects).await? {
            let post = post_ref(&post, view.community.id);
            self.events
                .raise(HubEvent::PostDeleted {
                    post,
                    by: person.id,
                    at: now,
                })
                .await;
        }
        self.fresh_post(id).await
    }

    /// Approves a pending post (an opening post approves its thread): facilitators.
    #[tracing::instrument(skip_all)]
    pub async fn approve_post(&self, actor: &Actor, id: PostId) -> DomainResult<Post> {
        let facilitator = policy::authorize(actor, Action::FacilitateCommunities)?;
        let (post, view) = self.seen_post(actor, id).await?;
        if !view.facilitated_by_reader() {
            return Err(DomainError::Forbidden("only facilitators approve posts"));
        }
        let now = self.clock.now();
        if !self.repo.approve_post(id, now).await? {
            return Err(DomainError::invalid(
                "postId",
                "NOT_PENDING",
                "this post is not awaiting approval",
            ));
        }
        let approved = self.fresh_post(id).await?;
        let reference = post_ref(&approved, view.community.id);
        self.events
            .raise(HubEvent::PostApproved {
                post: reference,
                by: facilitator.id,
                at: now,
            })
            .await;
        if post.is_opening() {
            self.events
                .raise(HubEvent::ThreadStarted {
                    opening: reference,
                    at: now,
                })
                .await;
        }
        self.communities
            .record_activity(view.community.id, now)
            .await?;
        self.announce_mentions(&approved, reference).await;
        Ok(approved)
    }

    /// Adds the actor's reaction to a post, or takes it back if they had it.
    #[tracing::instrument(skip_all)]
    pub async fn react(
        &self,
        actor: &Actor,
        id: PostId,
        reaction: ReactionKind,
    ) -> DomainResult<(Post, bool)> {
        let person = policy::authorize(actor, Action::WriteConversations)?;
        let (post, view) = self.seen_post(actor, id).await?;
        if post.is_deleted() {
            return Err(deleted());
        }
        if post.status != PostStatus::Approved {
            return Err(DomainError::invalid(
                "postId",
                "NOT_APPROVED",
                "this post awaits approval",
            ));
        }
        let now = self.clock.now();
        let (active, counts) = self
            .repo
            .toggle_reaction(
                id,
                person.id,
                reaction,
                now,
                &self
                    .reputation
                    .reaction(&post, person.id, reaction, true, view.community.id, now),
                &self.reputation.reaction(
                    &post,
                    person.id,
                    reaction,
                    false,
                    view.community.id,
                    now,
                ),
            )
            .await?;
        let reference = post_ref(&post, view.community.id);
        self.events
            .raise(HubEvent::ReactionChanged {
                post: reference,
                person: person.id,
                reaction,
                active,
                counts,
                at: now,
            })
            .await;
        Ok((
            Post {
                reactions: counts,
                ..post
            },
            active,
        ))
    }

    /// Accepts a reply as the answer to a QUESTION: its author or a facilitator.
    #[tracing::instrument(skip_all)]
    pub async fn accept_answer(&self, actor: &Actor, id: PostId) -> DomainResult<ThreadView> {
        let person = policy::authorize(actor, Action::WriteConversations)?;
        let (post, view) = self.seen_post(actor, id).await?;
        if view.thread.kind != ThreadKind::Question {
            return Err(DomainError::invalid(
                "postId",
                "NOT_A_QUESTION",
                "only QUESTION threads have answers",
            ));
        }
        if view.thread.author != person.id && !view.facilitated_by_reader() {
            return Err(DomainError::Forbidden(
                "only the question's author or a facilitator accepts an answer",
            ));
        }
        if post.is_opening() || post.is_deleted() || post.status != PostStatus::Approved {
            return Err(DomainError::invalid(
                "postId",
                "NOT_AN_ANSWER",
                "only a visible reply can be the answer",
            ));
        }
        if view.thread.accepted_answer == Some(id) {
            return Ok(view);
        }
        let now = self.clock.now();
        let effects = self.reputation.answer_accepted(
            &post,
            view.thread.accepted_answer,
            person.id,
            view.community.id,
            now,
        );
        self.repo
            .set_accepted_answer(post.thread, id, &effects)
            .await?;
        let answer = post_ref(&post, view.community.id);
        self.events
            .raise(HubEvent::AnswerAccepted {
                answer,
                accepted_by: person.id,
                at: now,
            })
            .await;
        self.thread(actor, post.thread)
            .await?
            .ok_or(DomainError::NotFound)
    }

    /// Pins or unpins a thread: facilitators.
    pub async fn set_pinned(
        &self,
        actor: &Actor,
        id: ThreadId,
        pinned: bool,
    ) -> DomainResult<ThreadView> {
        self.facilitating(actor, id).await?;
        self.repo.set_pinned(id, pinned).await?;
        self.thread(actor, id).await?.ok_or(DomainError::NotFound)
    }

    /// Locks a thread against new replies, or reopens it: facilitators.
    pub async fn set_locked(
        &self,
        actor: &Actor,
        id: ThreadId,
        locked: bool,
    ) -> DomainResult<ThreadView> {
        let (person, view) = self.facilitating(actor, id).await?;
        self.repo.set_locked(id, locked).await?;
        self.events
            .raise(HubEvent::ThreadLocked {
                thread: id,
                community: view.community.id,
                locked,
                by: person.id,
                at: self.clock.now(),
            })
            .await;
        self.thread(actor, id).await?.ok_or(DomainError::NotFound)
    }

    /// The thread, if the actor may read it.
    pub async fn thread(&self, actor: &Actor, id: ThreadId) -> DomainResult<Option<ThreadView>> {
        Ok(self.visible_threads(actor, &[id]).await?.pop())
    }

    /// The threads among `ids` the actor may read.
    pub async fn visible_threads(
        &self,
        actor: &Actor,
        ids: &[ThreadId],
    ) -> DomainResult<Vec<ThreadView>> {
        let threads = self.repo.find_threads(ids).await?;
        self.readable(actor, threads).await
    }

    /// A page of threads in a community, or about a practice, that the actor may read:
    /// pinned first, then by latest activity.
    pub async fn threads(
        &self,
        actor: &Actor,
        community: Option<CommunityId>,
        practice: Option<PracticeId>,
        page: &PageRequest,
    ) -> DomainResult<Page<ThreadView>> {
        let query = ThreadQuery {
            community,
            practice,
            reader: actor.person().map(|p| p.id),
        };
        let page = self.repo.threads(&query, page).await?;
        let threads: Vec<Thread> = page.items.iter().map(|(_, t)| t.clone()).collect();
        // One batch for the page's communities; the list query already applied visibility.
        let mut views: HashMap<ThreadId, ThreadView> = self
            .readable(actor, threads)
            .await?
            .into_iter()
            .map(|view| (view.thread.id, view))
            .collect();
        let items = page
            .items
            .into_iter()
            .filter_map(|(cursor, t)| views.remove(&t.id).map(|view| (cursor, view)))
            .collect();
        Ok(Page {
            items,
            has_previous_page: page.has_previous_page,
            has_next_page: page.has_next_page,
            total_count: page.total_count,
        })
    }

    /// The replies of a readable thread the actor may see, in the order posted.
    pub async fn replies(
        &self,
        actor: &Actor,
        view: &ThreadView,
        page: &PageRequest,
    ) -> DomainResult<Page<Post>> {
        let scope = post_scope(actor.person().map(|p| p.id), &view.standing);
        self.repo.replies(view.thread.id, scope, page).await
    }

    /// The posts among `ids` the actor may see, each with its thread.
    pub async fn posts(
        &self,
        actor: &Actor,
        ids: &[PostId],
    ) -> DomainResult<Vec<(Post, ThreadView)>> {
        let posts = self.repo.find_posts(ids).await?;
        let mut thread_ids: Vec<ThreadId> = posts.iter().map(|p| p.thread).collect();
        thread_ids.sort();
        thread_ids.dedup();
        let threads: HashMap<ThreadId, ThreadView> = self
            .visible_threads(actor, &thread_ids)
            .await?
            .into_iter()
            .map(|view| (view.thread.id, view))
            .collect();
        let reader = actor.person().map(|p| p.id);
        Ok(posts
            .into_iter()
            .filter_map(|post| {
                let view = threads.get(&post.thread)?;
                in_scope(&post, post_scope(reader, &view.standing)).then(|| (post, view.clone()))
            })
            .collect())
    }

    /// Posts by id, for the posts a thread the caller already holds as readable points at
    /// (opening post, latest reply, accepted answer): no further check.
    pub async fn posts_of_readable_threads(&self, ids: &[PostId]) -> DomainResult<Vec<Post>> {
        self.repo.find_posts(ids).await
    }

    /// Earlier versions of a post the actor may see, most recent first.
    pub async fn edits(&self, post: &Post, page: &PageRequest) -> DomainResult<Page<PostEdit>> {
        self.repo.edits(post.id, page).await
    }

    /// The reactions `reader` has on each of `posts`.
    pub async fn reactions_by(
        &self,
        reader: PersonId,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<ReactionKind>>> {
        self.repo.reactions_by(reader, posts).await
    }

    /// Whether the actor may see `event` from `community` now. Their standing is read again, so
    /// someone removed from a community stops seeing its events; OPEN communities' approved
    /// content needs no lookup.
    pub async fn may_see(
        &self,
        actor: &Actor,
        community: &Community,
        event: &HubEvent,
    ) -> DomainResult<bool> {
        let pending = event.post().filter(|p| p.status == PostStatus::Pending);
        if community.visibility == Visibility::Open && pending.is_none() {
            return Ok(true);
        }
        let standing = self
            .communities
            .standings(actor, &[community.id])
            .await?
            .pop()
            .unwrap_or_default();
        if !crate::community::can_read_content(community, &standing) {
            return Ok(false);
        }
        Ok(match pending {
            None => true,
            Some(post) => {
                standing.at_least(Role::Facilitator)
                    || actor.person().map(|p| p.id) == Some(post.author)
            }
        })
    }

    /// The community whose activity the actor may follow.
    pub async fn readable_community(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<Option<Community>> {
        let seen = self.communities.visible(actor, &[id]).await?.pop();
        Ok(seen
            .filter(|(community, standing)| crate::community::can_read_content(community, standing))
            .map(|(community, _)| community))
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
                can_read_thread(&thread, reader, &community, &standing).then_some(ThreadView {
                    thread,
                    community,
                    standing,
                })
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

    async fn facilitating<'a>(
        &self,
        actor: &'a Actor,
        id: ThreadId,
    ) -> DomainResult<(&'a Person, ThreadView)> {
        let person = policy::authorize(actor, Action::FacilitateCommunities)?;
        let view = self.thread(actor, id).await?.ok_or(DomainError::NotFound)?;
        if !view.facilitated_by_reader() {
            return Err(DomainError::Forbidden(
                "only the community's facilitators may do this",
            ));
        }
        Ok((person, view))
    }

    /// The community, which the actor must see and belong to.
    async fn member_of(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<(Community, Standing)> {
        let seen = self
            .communities
            .visible(actor, &[id])
            .await?
            .pop()
            .ok_or_else(|| DomainError::invalid("communityId", "NOT_FOUND", "no such community"))?;
        if !seen.1.is_member() {
            return Err(not_a_member("communityId"));
        }
        Ok(seen)
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

    async fn announce_mentions(&self, post: &Post, reference: PostRef) {
        for person in post.mentions.iter().filter(|p| **p != post.author) {
            self.events
                .raise(HubEvent::Mentioned {
                    post: reference,
                    person: *person,
                    at: post.created_at,
                })
                .await;
        }
    }
}

fn check_can_reply(view: &ThreadView) -> DomainResult<()> {
    if !view.standing.is_member() {
        return Err(not_a_member("threadId"));
    }
    if view.thread.locked {
        return Err(DomainError::invalid(
            "threadId",
            "THREAD_LOCKED",
            "this thread is locked",
        ));
    }
    if view.thread.status != PostStatus::Approved {
        return Err(DomainError::invalid(
            "threadId",
            "NOT_APPROVED",
            "this thread awaits approval",
        ));
    }
    Ok(())
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
