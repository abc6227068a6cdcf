//! Facilitating: approving pending posts, pinning and locking threads.

use super::{Conversations, ThreadView, mentions, post_ref};
use crate::access::Actor;
use crate::conversation::model::{Post, PostId, ThreadId};
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::reputation::Effects;

impl Conversations {
    /// Approves a pending post (an opening post approves its thread): facilitators.
    #[tracing::instrument(skip_all)]
    pub async fn approve_post(&self, actor: &Actor, id: PostId) -> DomainResult<Post> {
        let facilitator = policy::authorize(actor, Action::FacilitateCommunities)?;
        let (post, view) = self.seen_post(actor, id).await?;
        if !view.facilitated_by_reader() {
            return Err(DomainError::Forbidden("only facilitators approve posts"));
        }
        let now = self.clock.now();
        let reference = post_ref(&post, view.community.id).approved();
        let replied_to = self.replied_to(&post, &view).await?;
        let mut effects = Effects::raising(HubEvent::PostApproved {
            post: reference,
            by: facilitator.id,
            replied_to,
            at: now,
        });
        if post.is_opening() {
            effects = effects.and_raise(HubEvent::ThreadStarted {
                opening: reference,
                at: now,
            });
        }
        let effects = effects.and_raise_all(mentions(&post, reference));
        if !self
            .repo
            .approve_post(id, view.community.id, now, &effects)
            .await?
        {
            return Err(DomainError::invalid(
                "postId",
                "NOT_PENDING",
                "this post is not awaiting approval",
            ));
        }
        self.fresh_post(id).await
    }

    /// Whom a reply answers: the author of the post it replies to, else of the thread; `None`
    /// for an opening post.
    async fn replied_to(&self, post: &Post, view: &ThreadView) -> DomainResult<Option<PersonId>> {
        if post.is_opening() {
            return Ok(None);
        }
        let Some(target) = post.reply_to else {
            return Ok(Some(view.thread.author));
        };
        Ok(Some(self.fresh_post(target).await?.author))
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
        let effects = Effects::raising(HubEvent::ThreadLocked {
            thread: id,
            community: view.community.id,
            locked,
            by: person.id,
            at: self.clock.now(),
        });
        self.repo.set_locked(id, locked, &effects).await?;
        self.thread(actor, id).await?.ok_or(DomainError::NotFound)
    }
}
