//! The notification use cases: reading one's notifications, marking them read, and choosing
//! how closely to watch threads and communities.

use std::collections::HashMap;
use std::sync::Arc;

use crate::access::Actor;
use crate::community::{Communities, Community, CommunityId, Standing};
use crate::conversation::{Conversations, ThreadId, ThreadView};
use crate::error::{DomainError, DomainResult};
use crate::events::EventId;
use crate::notification::model::{Notification, NotificationId, WatchLevel};
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::ports::{
    Clock, FeedTokenSigner, Mailer, NotificationRepository, PersonRepository, ReputationRepository,
    SavedSearchRepository,
};
use crate::practice::Practices;
use crate::search::Search;

/// At most this many notifications are marked read by id at once.
const MAX_MARKED: usize = 100;

/// What notification mail is sent with.
#[derive(Clone)]
pub struct MailPorts {
    pub mailer: Arc<dyn Mailer>,
    /// Signs unsubscribe links.
    pub signer: Arc<dyn FeedTokenSigner>,
    /// Where people reach the hub's pages (no trailing `/`).
    pub public_url: String,
}

/// The ports and use cases notifications build on.
pub struct NotificationPorts {
    pub repo: Arc<dyn NotificationRepository>,
    pub conversations: Conversations,
    pub communities: Communities,
    pub practices: Practices,
    pub people: Arc<dyn PersonRepository>,
    pub search: Search,
    pub saved_searches: Arc<dyn SavedSearchRepository>,
    /// Applies effects in a transaction of their own: a saved search's event.
    pub effects: Arc<dyn ReputationRepository>,
    pub mail: MailPorts,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Notifications {
    pub(super) repo: Arc<dyn NotificationRepository>,
    pub(super) conversations: Conversations,
    communities: Communities,
    pub(super) practices: Practices,
    pub(super) people: Arc<dyn PersonRepository>,
    pub(super) search: Search,
    pub(super) saved_searches: Arc<dyn SavedSearchRepository>,
    pub(super) effects: Arc<dyn ReputationRepository>,
    pub(super) mail: MailPorts,
    pub(super) clock: Arc<dyn Clock>,
}

impl Notifications {
    pub fn new(ports: NotificationPorts) -> Self {
        Self {
            repo: ports.repo,
            conversations: ports.conversations,
            communities: ports.communities,
            practices: ports.practices,
            people: ports.people,
            search: ports.search,
            saved_searches: ports.saved_searches,
            effects: ports.effects,
            mail: ports.mail,
            clock: ports.clock,
        }
    }

    /// The actor's notifications, latest activity first.
    pub async fn list(
        &self,
        actor: &Actor,
        unread_only: bool,
        page: &PageRequest,
    ) -> DomainResult<Page<Notification>> {
        let person = policy::authorize(actor, Action::ReadNotifications)?;
        self.repo.notifications(person.id, unread_only, page).await
    }

    /// The actor's notification with this id, if they may still read it.
    pub async fn find(
        &self,
        actor: &Actor,
        id: NotificationId,
    ) -> DomainResult<Option<Notification>> {
        let person = policy::authorize(actor, Action::ReadNotifications)?;
        self.repo.find(person.id, id).await
    }

    /// For each (recipient, event) asked, the notification the event told the recipient of,
    /// if they may still read it. The recipients are readers the caller authorized to read
    /// their notifications ([`Notifications::authorize_live`]); each sees only their own.
    pub async fn told_of(
        &self,
        asked: &[(PersonId, EventId)],
    ) -> DomainResult<Vec<((PersonId, EventId), Notification)>> {
        self.repo.told_of(asked).await
    }

    /// Who may listen for the actor's notifications as they are made: the actor, signed in
    /// with a credential that may read them.
    pub fn authorize_live(actor: &Actor) -> DomainResult<PersonId> {
        Ok(policy::authorize(actor, Action::ReadNotifications)?.id)
    }

    pub async fn unread_count(&self, actor: &Actor) -> DomainResult<u64> {
        let person = policy::authorize(actor, Action::ReadNotifications)?;
        self.repo.unread_count(person.id).await
    }

    /// Marks these of the actor's notifications read (others' ids are ignored); how many were
    /// unread.
    pub async fn mark_read(&self, actor: &Actor, ids: &[NotificationId]) -> DomainResult<u64> {
        let person = policy::authorize(actor, Action::KeepNotifications)?;
        if ids.len() > MAX_MARKED {
            return Err(DomainError::invalid(
                "notificationIds",
                "TOO_MANY",
                format!("at most {MAX_MARKED} at once; or mark all read"),
            ));
        }
        self.repo
            .mark_read(person.id, Some(ids), self.clock.now())
            .await
    }

    pub async fn mark_all_read(&self, actor: &Actor) -> DomainResult<u64> {
        let person = policy::authorize(actor, Action::KeepNotifications)?;
        self.repo.mark_read(person.id, None, self.clock.now()).await
    }

    /// Sets how closely the actor watches a thread they may read; answers with the thread.
    pub async fn watch_thread(
        &self,
        actor: &Actor,
        thread: ThreadId,
        level: WatchLevel,
    ) -> DomainResult<ThreadView> {
        let person = policy::authorize(actor, Action::KeepNotifications)?;
        let view = self
            .conversations
            .thread(actor, thread)
            .await?
            .ok_or_else(|| not_found("threadId", "no such thread"))?;
        self.repo.set_thread_watch(person.id, thread, level).await?;
        Ok(view)
    }

    /// Sets how closely the actor watches a community whose content they may read; answers
    /// with the community and their standing there.
    pub async fn watch_community(
        &self,
        actor: &Actor,
        community: CommunityId,
        level: WatchLevel,
    ) -> DomainResult<(Community, Standing)> {
        let person = policy::authorize(actor, Action::KeepNotifications)?;
        let seen = self
            .communities
            .readable(actor, community)
            .await?
            .ok_or_else(|| not_found("communityId", "no such community"))?;
        self.repo
            .set_community_watch(person.id, community, level)
            .await?;
        Ok(seen)
    }

    /// The levels `person` chose (or was given when they started or replied) on these threads.
    pub async fn chosen_thread_levels(
        &self,
        person: PersonId,
        threads: &[ThreadId],
    ) -> DomainResult<HashMap<ThreadId, WatchLevel>> {
        self.repo.thread_watches(person, threads).await
    }

    /// The levels `person` chose on these communities.
    pub async fn chosen_community_levels(
        &self,
        person: PersonId,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, WatchLevel>> {
        self.repo.community_watches(person, communities).await
    }
}

/// Something the actor may not see, named by the input it came from.
fn not_found(field: &str, message: &str) -> DomainError {
    DomainError::invalid(field, "NOT_FOUND", message)
}
