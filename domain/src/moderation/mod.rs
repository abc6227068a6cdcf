//! Facilitation: what facilitators do to content and people, and the open record of it. The
//! actions on content and members live with what they act on (conversations, communities);
//! this module holds their shared vocabulary, flags, the queues facilitators work through and
//! the log.

mod flags;
mod model;

use std::sync::Arc;

pub use flags::{Flag, FlagId, FlagNote, FlagReason, FlaggedItem};
pub use model::*;

use crate::access::Actor;
use crate::community::{Communities, Community, Role, Standing, can_read_content};
use crate::conversation::{Conversations, Post, PostStatus};
use crate::error::{DomainError, DomainResult};
use crate::pagination::{Page, PageRequest};
use crate::policy::{self, Action};
use crate::ports::{Clock, ModerationRepository};
use crate::reputation::Effects;

/// Flags, the queues and the log.
#[derive(Clone)]
pub struct Moderation {
    repo: Arc<dyn ModerationRepository>,
    conversations: Conversations,
    communities: Communities,
    clock: Arc<dyn Clock>,
}

/// What flagging did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flagged {
    /// Recorded for the facilitators.
    Noted,
    /// Recorded, and the content is now hidden pending review.
    Hidden,
}

impl Moderation {
    pub fn new(
        repo: Arc<dyn ModerationRepository>,
        conversations: Conversations,
        communities: Communities,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            repo,
            conversations,
            communities,
            clock,
        }
    }

    /// Flags content the actor may read, once; not their own, not where they are banned.
    /// When distinct members' open flags reach the community's threshold, the content is
    /// hidden pending review.
    #[tracing::instrument(skip_all)]
    pub async fn flag(
        &self,
        actor: &Actor,
        content: ContentRef,
        reason: FlagReason,
        note: Option<FlagNote>,
    ) -> DomainResult<Flagged> {
        let flagger = policy::authorize(actor, Action::FlagContent)?.id;
        let (post, view) = self.conversations.readable_content(actor, content).await?;
        if post.author == flagger {
            return Err(DomainError::invalid(
                "contentId",
                "OWN_CONTENT",
                "you cannot flag your own content",
            ));
        }
        if post.status != PostStatus::Approved || post.is_deleted() {
            return Err(DomainError::invalid(
                "contentId",
                "NOT_VISIBLE",
                "only content shown to readers can be flagged",
            ));
        }
        self.communities
            .check_not_banned(view.community.id, flagger)
            .await?;
        let flag = Flag {
            id: FlagId::generate(),
            community: view.community.id,
            content: crate::conversation::content_of(&post),
            flagger,
            reason,
            note,
            at: self.clock.now(),
        };
        let flagging = self.repo.add_flag(&flag).await?;
        if flagging < view.community.flag_threshold {
            return Ok(Flagged::Noted);
        }
        let hidden = self
            .conversations
            .take_down(
                &post,
                &view,
                flagger,
                flags::hidden_by_flags(),
                flags::hidden_by(&flag),
                false,
            )
            .await;
        match hidden {
            Ok(()) => Ok(Flagged::Hidden),
            // Hidden meanwhile by another flag or a facilitator.
            Err(DomainError::Invalid(_)) => Ok(Flagged::Noted),
            Err(other) => Err(other),
        }
    }

    /// Closes an item's open flags without acting on it (hidden content stays hidden until
    /// restored): facilitators.
    pub async fn dismiss_flags(&self, actor: &Actor, content: ContentRef) -> DomainResult<Post> {
        let target = self.conversations.facilitated(actor, content).await?;
        let log = target.log(ModerationAction::DismissFlags, None, &self.conversations);
        let content = crate::conversation::content_of(&target.post);
        let effects = Effects::default().and_log(log);
        if !self
            .repo
            .resolve_flags(content, self.clock.now(), &effects)
            .await?
        {
            return Err(DomainError::invalid(
                "contentId",
                "NO_OPEN_FLAGS",
                "this content has no open flags",
            ));
        }
        Ok(target.post)
    }

    /// Flagged items with their open flags, grouped by item, oldest flag first: for the
    /// community's facilitators only.
    pub async fn queue(
        &self,
        community: &Community,
        standing: &Standing,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<FlaggedItem>>> {
        if !standing.at_least(Role::Facilitator) {
            return Ok(None);
        }
        self.repo.flagged(community.id, page).await.map(Some)
    }

    /// The community's moderation log, newest first: for whoever may read its content (its
    /// members; anyone for an OPEN community). Entries name content by id only, so the text
    /// of hidden content is never in the log.
    pub async fn log(
        &self,
        community: &Community,
        standing: &Standing,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<LogEntry>>> {
        if !can_read_content(community, standing) {
            return Ok(None);
        }
        self.repo.log(community.id, page).await.map(Some)
    }

    /// Posts and threads (their opening posts) awaiting approval, oldest first: for the
    /// community's facilitators only.
    pub async fn pending_queue(
        &self,
        community: &Community,
        standing: &Standing,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<Post>>> {
        if !standing.at_least(Role::Facilitator) {
            return Ok(None);
        }
        self.repo.pending(community.id, page).await.map(Some)
    }
}
