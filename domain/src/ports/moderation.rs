use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::community::CommunityId;
use crate::conversation::Post;
use crate::error::DomainResult;
use crate::moderation::{ContentRef, Flag, FlaggedItem, LogEntry};
use crate::pagination::{Page, PageRequest};
use crate::reputation::Effects;

/// Where flags are kept and the moderation log and the queues are read. Log entries are
/// written with the action they record, as part of its `Effects`.
#[async_trait]
pub trait ModerationRepository: Send + Sync {
    /// Records a flag; refuses (ALREADY_FLAGGED) a second by the same person on the same item.
    /// Returns how many distinct current members have open flags on the item, this one
    /// included.
    async fn add_flag(&self, flag: &Flag) -> DomainResult<u32>;
    /// Closes the item's open flags at `at`, with `effects`; false if it had none.
    async fn resolve_flags(
        &self,
        content: ContentRef,
        at: DateTime<Utc>,
        effects: &Effects,
    ) -> DomainResult<bool>;
    /// The community's (all, for `None`) flagged items with their open flags, oldest flag
    /// first.
    async fn flagged(
        &self,
        community: Option<CommunityId>,
        page: &PageRequest,
    ) -> DomainResult<Page<FlaggedItem>>;
    /// The community's log (the whole hub's, for `None`), newest first.
    async fn log(
        &self,
        community: Option<CommunityId>,
        page: &PageRequest,
    ) -> DomainResult<Page<LogEntry>>;
    /// The community's pending posts (opening posts included), oldest first.
    async fn pending(&self, community: CommunityId, page: &PageRequest)
    -> DomainResult<Page<Post>>;
}
