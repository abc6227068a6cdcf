//! Taking part: starting threads, replying, editing, deleting, reacting, accepting answers.

use super::{
    Conversations, ThreadStart, ThreadView, both, check_can_reply, check_can_take_part, deleted,
    mentions, parse_body, parse_title, post_ref,
};
use crate::access::Actor;
use crate::conversation::model::{
    Post, PostId, PostStatus, ReactionCounts, ReactionKind, Thread, ThreadId, ThreadKind,
};
use crate::conversation::rules::needs_approval;
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::notification::{DefaultWatch, WatchLevel};
use crate::policy::{self, Action};
use crate::ports::NewReply;
use crate::reputation::Effects;

/// How often an acceptance is worked out afresh when another one keeps landing first.
const ACCEPT_ATTEMPTS: usize = 3;

impl Conversations {
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
        let (community, standing) = self.communities.taking_part(actor, start.community).await?;
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
            moderation: None,
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
        let opening_ref = post_ref(&opening, community.id);
        let mut effects = Effects::raising(HubEvent::ThreadStarted {
            opening: opening_ref,
            at: now,
        });
        if status == PostStatus::Approved {
            effects = effects.and_raise_all(mentions(&opening, opening_ref));
        }
        let effects = effects.and_watch(DefaultWatch {
            person: author.id,
            thread: thread_id,
            level: WatchLevel::Watching,
        });
        self.repo.start_thread(&thread, &opening, &effects).await?;
        Ok(ThreadView {
            thread,
            community,
            standing,
        })
    }

    /// Replies in an open thread of a community the actor belongs to; the reply comes back with
    /// the thread as the actor sees it.
    #[tracing::instrument(skip_all)]
    pub async fn post_reply(
        &self,
        actor: &Actor,
        thread: ThreadId,
        body: &str,
        reply_to: Option<PostId>,
    ) -> DomainResult<(Post, ThreadView)> {
        let author = policy::authorize(actor, Action::WriteConversations)?;
        let body = parse_body(body)?;
        let view = self
            .thread(actor, thread)
            .await?
            .ok_or(DomainError::NotFound)?;
        check_can_reply(&view)?;
        let replied_to = match reply_to {
            Some(target) => match self.posts(actor, &[target]).await?.pop() {
                Some((post, _)) if post.thread == thread => post.author,
                _ => {
                    return Err(DomainError::invalid(
                        "replyToId",
                        "NOT_FOUND",
                        "no such post in this thread",
                    ));
                }
            },
            None => view.thread.author,
        };
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
            moderation: None,
        };
        let community = view.community.id;
        let reply = post_ref(&post, community);
        let mut effects = Effects::raising(HubEvent::ReplyPosted {
            reply,
            replied_to: Some(replied_to),
            at: now,
        });
        if status == PostStatus::Approved {
            effects = effects.and_raise_all(mentions(&post, reply));
        }
        let effects = effects.and_watch(DefaultWatch {
            person: author.id,
            thread,
            level: WatchLevel::Tracking,
        });
        let stored = self
            .repo
            .add_reply(NewReply {
                post,
                community,
                now,
                effects,
            })
            .await?;
        Ok((stored, view))
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
        check_can_take_part(&view, "postId")?;
        if post.is_deleted() {
            return Err(deleted());
        }
        let mentions = self.mentioned(&body).await?;
        let now = self.clock.now();
        let effects = Effects::raising(HubEvent::PostEdited {
            post: post_ref(&post, view.community.id),
            at: now,
        });
        self.repo
            .edit_post(id, &body, &mentions, editor.id, now, &effects)
            .await
    }

    /// Deletes a post, leaving a tombstone: its author or a facilitator.
    #[tracing::instrument(skip_all)]
    pub async fn delete_post(&self, actor: &Actor, id: PostId) -> DomainResult<Post> {
        let person = policy::authorize(actor, Action::WriteConversations)?;
        let (post, view) = self.seen_post(actor, id).await?;
        if view.facilitated_by_reader() {
            // Facilitators moderate wherever they facilitate, locked threads included.
        } else if post.author == person.id {
            check_can_take_part(&view, "postId")?;
        } else {
            return Err(DomainError::Forbidden(
                "only its author or a facilitator may delete a post",
            ));
        }
        let now = self.clock.now();
        let effects = self
            .reputation
            .post_removed(&post, now)
            .and_raise(HubEvent::PostDeleted {
                post: post_ref(&post, view.community.id),
                by: person.id,
                at: now,
            });
        self.repo.delete_post(id, now, &effects).await?;
        self.fresh_post(id).await
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
        check_can_take_part(&view, "postId")?;
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
        let community = view.community.id;
        let effects_if = |active: bool| {
            self.reputation
                .reaction(&post, person.id, reaction, active, community, now)
                .and_raise(HubEvent::ReactionChanged {
                    post: post_ref(&post, community),
                    person: person.id,
                    reaction,
                    active,
                    // Filled in by the store, which alone knows them.
                    counts: ReactionCounts::default(),
                    at: now,
                })
        };
        let (active, counts) = self
            .repo
            .toggle_reaction(
                id,
                person.id,
                reaction,
                now,
                &effects_if(true),
                &effects_if(false),
            )
            .await?;
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
        // The points taken back depend on the answer accepted before: the change is made only
        // if that is still so when it is written, else worked out again from a fresh read.
        let mut previous = view.thread.accepted_answer;
        for _ in 0..ACCEPT_ATTEMPTS {
            if previous == Some(id) {
                return Ok(view);
            }
            let now = self.clock.now();
            let effects = self
                .reputation
                .answer_accepted(&post, previous, person.id, view.community.id, now)
                .and_raise(HubEvent::AnswerAccepted {
                    answer: post_ref(&post, view.community.id),
                    accepted_by: person.id,
                    at: now,
                });
            if self
                .repo
                .set_accepted_answer(post.thread, id, previous, &effects)
                .await?
            {
                return self
                    .thread(actor, post.thread)
                    .await?
                    .ok_or(DomainError::NotFound);
            }
            previous = self
                .thread(actor, post.thread)
                .await?
                .ok_or(DomainError::NotFound)?
                .thread
                .accepted_answer;
        }
        Err(DomainError::unavailable(
            "accept an answer",
            "the accepted answer kept changing underneath",
        ))
    }
}
