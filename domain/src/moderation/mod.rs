//! Facilitation: what facilitators do to content and people, and the open record of it. The
//! actions on content and members live with what they act on (conversations, communities);
//! this module holds their shared vocabulary, flags, the queues facilitators work through and
//! the log.

mod flagging;
mod flags;
mod model;

use std::sync::Arc;

pub use flagging::Flagged;
pub use flags::{Flag, FlagId, FlagNote, FlagReason, FlaggedItem};
pub use model::*;

use crate::access::Actor;
use crate::community::{Communities, Community, Role, Standing, can_read_content};
use crate::conversation::{Conversations, Post};
use crate::error::DomainResult;
use crate::pagination::{Page, PageRequest};
use crate::ports::{Clock, ModerationRepository};
use crate::practice::Practices;

/// Flags, the queues and the log.
#[derive(Clone)]
pub struct Moderation {
    repo: Arc<dyn ModerationRepository>,
    conversations: Conversations,
    practices: Practices,
    communities: Communities,
    clock: Arc<dyn Clock>,
}

/// What moderation builds on.
pub struct ModerationPorts {
    pub repo: Arc<dyn ModerationRepository>,
    pub conversations: Conversations,
    pub practices: Practices,
    pub communities: Communities,
    pub clock: Arc<dyn Clock>,
}

impl Moderation {
    pub fn new(ports: ModerationPorts) -> Self {
        Self {
            repo: ports.repo,
            conversations: ports.conversations,
            practices: ports.practices,
            communities: ports.communities,
            clock: ports.clock,
        }
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
        self.repo.flagged(Some(community.id), page).await.map(Some)
    }

    /// Every flagged item in the hub, practices with no community included: for hub
    /// administrators only.
    pub async fn hub_queue(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<FlaggedItem>>> {
        if !is_hub_administrator(actor) {
            return Ok(None);
        }
        self.repo.flagged(None, page).await.map(Some)
    }

    /// Every community's moderation log, and the actions on practices with no community,
    /// newest first: for hub administrators only.
    pub async fn hub_log(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<LogEntry>>> {
        if !is_hub_administrator(actor) {
            return Ok(None);
        }
        self.repo.log(None, page).await.map(Some)
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
        self.repo.log(Some(community.id), page).await.map(Some)
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

fn is_hub_administrator(actor: &Actor) -> bool {
    actor
        .person()
        .is_some_and(|person| person.hub_administrator)
}
