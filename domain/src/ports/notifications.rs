use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::community::CommunityId;
use crate::conversation::ThreadId;
use crate::error::DomainResult;
use crate::events::EventId;
use crate::notification::{EmailFrequency, Notification, NotificationId, WatchLevel};
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;

/// Someone whose digest is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueDigest {
    pub person: PersonId,
    pub frequency: EmailFrequency,
    /// What the digest covers: activity after this.
    pub since: DateTime<Utc>,
}

/// Where notifications and watch levels are kept. Reads return only what the recipient may
/// still read: a notification about a community they may no longer read, or a post since
/// deleted, is never shown (nor counted).
#[async_trait]
pub trait NotificationRepository: Send + Sync {
    /// The recipient's notifications, latest activity first.
    async fn notifications(
        &self,
        recipient: PersonId,
        unread_only: bool,
        page: &PageRequest,
    ) -> DomainResult<Page<Notification>>;
    /// The recipient's notification with this id.
    async fn find(
        &self,
        recipient: PersonId,
        id: NotificationId,
    ) -> DomainResult<Option<Notification>>;
    /// For each (recipient, event) asked, the recipient's notification that the event made or
    /// last collapsed into, if any.
    async fn told_of(
        &self,
        asked: &[(PersonId, EventId)],
    ) -> DomainResult<Vec<((PersonId, EventId), Notification)>>;
    async fn unread_count(&self, recipient: PersonId) -> DomainResult<u64>;
    /// Marks these of the recipient's notifications read (all when `ids` is `None`).
    async fn mark_read(
        &self,
        recipient: PersonId,
        ids: Option<&[NotificationId]>,
        now: DateTime<Utc>,
    ) -> DomainResult<u64>;
    /// How often the person chose to be mailed (`EmailFrequency::DEFAULT` if never).
    async fn email_frequency(&self, person: PersonId) -> DomainResult<EmailFrequency>;
    /// Sets it; a digest chosen now covers what happens from now on.
    async fn set_email_frequency(
        &self,
        person: PersonId,
        frequency: EmailFrequency,
        now: DateTime<Utc>,
    ) -> DomainResult<()>;
    /// Claims up to `limit` notifications due to be mailed at once (no other instance sends
    /// them): each with its recipient.
    async fn claim_due_mails(
        &self,
        limit: u64,
        now: DateTime<Utc>,
    ) -> DomainResult<Vec<(PersonId, NotificationId)>>;
    /// Gives back a claimed mail that could not be sent, to be tried again.
    async fn release_mail(&self, notification: NotificationId) -> DomainResult<()>;
    /// Claims up to `limit` people whose digest is due at `now` (their next is due a period
    /// later): each with their frequency and when their last digest was.
    async fn claim_due_digests(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<DueDigest>>;
    /// The recipient's unread notifications with activity after `since`, latest first, at most
    /// `limit`, as they may still read them.
    async fn unread_since(
        &self,
        recipient: PersonId,
        since: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<Notification>>;
    async fn set_thread_watch(
        &self,
        person: PersonId,
        thread: ThreadId,
        level: WatchLevel,
    ) -> DomainResult<()>;
    async fn set_community_watch(
        &self,
        person: PersonId,
        community: CommunityId,
        level: WatchLevel,
    ) -> DomainResult<()>;
    /// The levels `person` chose (or was given by default) on these threads.
    async fn thread_watches(
        &self,
        person: PersonId,
        threads: &[ThreadId],
    ) -> DomainResult<HashMap<ThreadId, WatchLevel>>;
    /// The levels `person` chose on these communities.
    async fn community_watches(
        &self,
        person: PersonId,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, WatchLevel>>;
}
