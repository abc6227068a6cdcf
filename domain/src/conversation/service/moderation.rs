//! Facilitating a community's conversations: approving and rejecting pending posts, hiding and
//! restoring posts and threads, pinning and locking threads. Each action is logged.

use super::facilitated::content_of;
use super::{Conversations, ThreadView, mentions, post_ref};
use crate::access::Actor;
use crate::conversation::model::{Moderated, Post, PostId, PostStatus, ThreadId};
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::moderation::{ContentRef, LogEntry, ModerationAction, Reason};
use crate::person::PersonId;
use crate::ports::PostChange;
use crate::reputation::Effects;

impl Conversations {
    /// Approves a pending post (an opening post approves its thread): facilitators.
    #[tracing::instrument(skip_all)]
    pub async fn approve_post(&self, actor: &Actor, id: PostId) -> DomainResult<Post> {
        self.approve(actor, ContentRef::Post(id)).await
    }

    /// Approves pending content (a thread, through its opening post): facilitators.
    pub async fn approve(&self, actor: &Actor, content: ContentRef) -> DomainResult<Post> {
        let target = self.facilitated(actor, content).await?;
        let (post, view) = (&target.post, &target.view);
        let now = self.clock.now();
        let reference = post_ref(post, view.community.id).approved();
        let replied_to = self.replied_to(post, view).await?;
        let mut effects = Effects::raising(HubEvent::PostApproved {
            post: reference,
            by: target.facilitator,
            replied_to,
            at: now,
        })
        .and_log(target.log(ModerationAction::Approve, None, self.clock.now()));
        if post.is_opening() {
            effects = effects.and_raise(HubEvent::ThreadStarted {
                opening: reference,
                at: now,
            });
        }
        let effects = effects.and_raise_all(mentions(post, reference));
        if !self
            .repo
            .approve_post(post.id, view.community.id, now, &effects)
            .await?
        {
            return Err(not_in("NOT_PENDING", "awaiting approval"));
        }
        self.fresh_post(post.id).await
    }

    /// Turns down pending content, with a reason its author sees: facilitators.
    pub async fn reject(
        &self,
        actor: &Actor,
        content: ContentRef,
        reason: Reason,
    ) -> DomainResult<Post> {
        let target = self.facilitated(actor, content).await?;
        let log = target.log(
            ModerationAction::Reject,
            Some(reason.clone()),
            self.clock.now(),
        );
        let change = PostChange {
            moderation: Some(Moderated {
                reason: reason.as_str().to_owned(),
                at: log.at,
            }),
            ..moving(
                &target.post,
                PostStatus::Pending,
                PostStatus::Rejected,
                log.at,
            )
        };
        let effects = Effects::default().and_log(log);
        if !self.repo.change_post_status(&change, &effects).await? {
            return Err(not_in("NOT_PENDING", "awaiting approval"));
        }
        self.fresh_post(target.post.id).await
    }

    /// Takes content down pending review: gone for every reader but its author and the
    /// facilitators, its reputation taken back. On content members' flags hid, confirms it,
    /// with the facilitator's reason. Facilitators; either way its flags are closed.
    pub async fn hide(
        &self,
        actor: &Actor,
        content: ContentRef,
        reason: Reason,
    ) -> DomainResult<Post> {
        let target = self.facilitated(actor, content).await?;
        let log = target.log(
            ModerationAction::Hide,
            Some(reason.clone()),
            self.clock.now(),
        );
        match (&target.post.moderation, target.post.status) {
            (Some(hidden), PostStatus::Hidden) => {
                let change = PostChange {
                    moderation: Some(Moderated {
                        reason: reason.as_str().to_owned(),
                        at: hidden.at,
                    }),
                    ..moving(&target.post, PostStatus::Hidden, PostStatus::Hidden, log.at)
                };
                let effects = Effects::default().and_log(log);
                if !self.repo.change_post_status(&change, &effects).await? {
                    return Err(not_in("NOT_VISIBLE", "shown to readers"));
                }
            }
            _ => {
                let (post, view) = (&target.post, &target.view);
                self.take_down(post, view, target.facilitator, reason, log, true)
                    .await?
            }
        }
        self.fresh_post(target.post.id).await
    }

    /// Hides `post` for `reason`, as `by` decided, with `log` as the record: a facilitator's
    /// HIDE (`reviewed`: its flags closed) or members' flags reaching the threshold (its flags
    /// left open for review).
    pub(crate) async fn take_down(
        &self,
        post: &Post,
        view: &ThreadView,
        by: PersonId,
        reason: Reason,
        log: LogEntry,
        reviewed: bool,
    ) -> DomainResult<()> {
        let now = log.at;
        let mut hidden = post_ref(post, view.community.id);
        hidden.status = PostStatus::Hidden;
        let effects = self
            .reputation
            .post_removed(post, now)
            .and_raise(HubEvent::PostHidden {
                post: hidden,
                by,
                at: now,
            })
            .and_log(log);
        let change = PostChange {
            moderation: Some(Moderated {
                reason: reason.as_str().to_owned(),
                at: now,
            }),
            resolves_flags: reviewed,
            ..moving(post, PostStatus::Approved, PostStatus::Hidden, now)
        };
        if !self.repo.change_post_status(&change, &effects).await? {
            return Err(not_in("NOT_VISIBLE", "shown to readers"));
        }
        Ok(())
    }

    /// Brings hidden content back for every reader, with the reputation hiding took, and
    /// closes its flags: facilitators.
    pub async fn restore(
        &self,
        actor: &Actor,
        content: ContentRef,
        reason: Option<Reason>,
    ) -> DomainResult<Post> {
        let target = self.facilitated(actor, content).await?;
        let (post, view) = (&target.post, &target.view);
        let (Some(hidden), PostStatus::Hidden) = (&post.moderation, post.status) else {
            return Err(not_in("NOT_HIDDEN", "hidden"));
        };
        let log = target.log(ModerationAction::Restore, reason, self.clock.now());
        let now = log.at;
        let mut restored = post_ref(post, view.community.id);
        restored.status = PostStatus::Approved;
        let effects = self
            .reputation
            .post_restored(post, hidden.at, now)
            .and_raise(HubEvent::PostRestored {
                post: restored,
                by: target.facilitator,
                at: now,
            })
            .and_log(log);
        let change = moving(post, PostStatus::Hidden, PostStatus::Approved, now);
        if !self.repo.change_post_status(&change, &effects).await? {
            return Err(not_in("NOT_HIDDEN", "hidden"));
        }
        self.fresh_post(post.id).await
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
        let target = self.facilitated(actor, ContentRef::Thread(id)).await?;
        let action = match pinned {
            true => ModerationAction::Pin,
            false => ModerationAction::Unpin,
        };
        let log = target.log(action, None, self.clock.now());
        self.repo
            .set_pinned(id, pinned, &Effects::default().and_log(log))
            .await?;
        self.thread(actor, id).await?.ok_or(DomainError::NotFound)
    }

    /// Locks a thread against new replies, or reopens it: facilitators.
    pub async fn set_locked(
        &self,
        actor: &Actor,
        id: ThreadId,
        locked: bool,
    ) -> DomainResult<ThreadView> {
        let target = self.facilitated(actor, ContentRef::Thread(id)).await?;
        let action = match locked {
            true => ModerationAction::Lock,
            false => ModerationAction::Unlock,
        };
        let log = target.log(action, None, self.clock.now());
        let effects = Effects::raising(HubEvent::ThreadLocked {
            thread: id,
            community: target.view.community.id,
            locked,
            by: target.facilitator,
            at: log.at,
        })
        .and_log(log);
        self.repo.set_locked(id, locked, &effects).await?;
        self.thread(actor, id).await?.ok_or(DomainError::NotFound)
    }
}

/// `post` moved from `from` to `to` at `at`, its reason cleared and its flags closed.
fn moving(
    post: &Post,
    from: PostStatus,
    to: PostStatus,
    at: chrono::DateTime<chrono::Utc>,
) -> PostChange {
    let from: &'static [PostStatus] = match from {
        PostStatus::Approved => &[PostStatus::Approved],
        PostStatus::Pending => &[PostStatus::Pending],
        PostStatus::Rejected => &[PostStatus::Rejected],
        PostStatus::Hidden => &[PostStatus::Hidden],
    };
    PostChange {
        post: post.id,
        content: content_of(post),
        from,
        to,
        moderation: None,
        resolves_flags: true,
        at,
    }
}

/// The content is not in the state the action needs (`state`, e.g. "hidden").
fn not_in(code: &'static str, state: &str) -> DomainError {
    DomainError::invalid("contentId", code, format!("this content is not {state}"))
}
