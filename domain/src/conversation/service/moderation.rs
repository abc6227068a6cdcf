//! Facilitating: approving pending posts, pinning and locking threads.

use super::{Conversations, ThreadView, post_ref};
use crate::access::Actor;
use crate::conversation::model::{Post, PostId, ThreadId};
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::policy::{self, Action};

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
        if !self.repo.approve_post(id, view.community.id, now).await? {
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
        self.announce_mentions(&approved, reference).await;
        Ok(approved)
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
}
