//! Notifications and watch levels in SQL. Fan-out (who an event tells) is in [`fanout`], run by
//! the outbox's notifier; this is the recipient's side: reading, counting, marking read, watching.

pub(crate) mod fanout;
mod mails;
mod readable;
pub(crate) mod watches;

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::community::CommunityId;
use khub_domain::conversation::ThreadId;
use khub_domain::events::EventId;
use khub_domain::notification::{EmailFrequency, Notification, NotificationId, WatchLevel};
use khub_domain::pagination::{Page, PageRequest};
use khub_domain::person::PersonId;
use khub_domain::ports::{DueDigest, NotificationRepository};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::db::entity::notification as row;
use crate::db::keyset;
use crate::error::ResultExt;
use readable::{readable, to_notification};

/// Notifications and watch levels, in the hub's database.
pub struct SqlNotifications {
    db: DatabaseConnection,
}

impl SqlNotifications {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The recipient's notifications they may still read.
fn theirs(recipient: PersonId) -> Select<row::Entity> {
    row::Entity::find()
        .filter(row::Column::RecipientId.eq(recipient.as_uuid()))
        .filter(readable())
}

fn ids(ids: &[NotificationId]) -> Vec<Uuid> {
    ids.iter().map(NotificationId::as_uuid).collect()
}

#[async_trait]
impl NotificationRepository for SqlNotifications {
    async fn notifications(
        &self,
        recipient: PersonId,
        unread_only: bool,
        page: &PageRequest,
    ) -> DomainResult<Page<Notification>> {
        let mut select = theirs(recipient);
        if unread_only {
            select = select.filter(row::Column::ReadAt.is_null());
        }
        keyset::page(
            &self.db,
            select,
            (row::Column::UpdatedAt, row::Column::Id),
            true,
            page,
            keyset::read_time_and_id,
            |row| {
                Ok((
                    keyset::time_and_id(row.updated_at, row.id),
                    to_notification(row)?,
                ))
            },
        )
        .await
    }

    async fn find(
        &self,
        recipient: PersonId,
        id: NotificationId,
    ) -> DomainResult<Option<Notification>> {
        theirs(recipient)
            .filter(row::Column::Id.eq(id.as_uuid()))
            .one(&self.db)
            .await
            .context("read a notification")?
            .map(to_notification)
            .transpose()
    }

    async fn told_of(
        &self,
        asked: &[(PersonId, EventId)],
    ) -> DomainResult<Vec<((PersonId, EventId), Notification)>> {
        let wanted: HashSet<(PersonId, EventId)> = asked.iter().copied().collect();
        let people: HashSet<Uuid> = asked.iter().map(|(p, _)| p.as_uuid()).collect();
        let events: HashSet<Uuid> = asked.iter().map(|(_, e)| e.as_uuid()).collect();
        // Every pair of the two lists, then only those asked: a push names one event for
        // thousands of people, so the lists are one long and one short.
        let rows = row::Entity::find()
            .filter(row::Column::EventId.is_in(events))
            .filter(row::Column::RecipientId.is_in(people))
            .filter(readable())
            .all(&self.db)
            .await
            .context("read notifications told of")?;
        rows.into_iter()
            .map(|row| {
                let key = (
                    PersonId::from_uuid(row.recipient_id),
                    EventId::from_uuid(row.event_id),
                );
                Ok((key, to_notification(row)?))
            })
            .filter(|found| found.as_ref().map_or(true, |(key, _)| wanted.contains(key)))
            .collect()
    }

    async fn unread_count(&self, recipient: PersonId) -> DomainResult<u64> {
        theirs(recipient)
            .filter(row::Column::ReadAt.is_null())
            .count(&self.db)
            .await
            .context("count unread notifications")
    }

    async fn mark_read(
        &self,
        recipient: PersonId,
        wanted: Option<&[NotificationId]>,
        now: DateTime<Utc>,
    ) -> DomainResult<u64> {
        let mut update = row::Entity::update_many()
            .col_expr(row::Column::ReadAt, Expr::value(now))
            .filter(row::Column::RecipientId.eq(recipient.as_uuid()))
            .filter(row::Column::ReadAt.is_null());
        if let Some(wanted) = wanted {
            update = update.filter(row::Column::Id.is_in(ids(wanted)));
        }
        let marked = update
            .exec(&self.db)
            .await
            .context("mark notifications read")?;
        Ok(marked.rows_affected)
    }

    async fn email_frequency(&self, person: PersonId) -> DomainResult<EmailFrequency> {
        mails::frequency(&self.db, person).await
    }

    async fn set_email_frequency(
        &self,
        person: PersonId,
        frequency: EmailFrequency,
        now: DateTime<Utc>,
    ) -> DomainResult<()> {
        mails::set_frequency(&self.db, person, frequency, now).await
    }

    async fn claim_due_mails(
        &self,
        limit: u64,
        now: DateTime<Utc>,
    ) -> DomainResult<Vec<(PersonId, NotificationId)>> {
        mails::claim_due(&self.db, limit, now).await
    }

    async fn release_mail(&self, notification: NotificationId) -> DomainResult<()> {
        mails::release(&self.db, notification).await
    }

    async fn claim_due_digests(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<DueDigest>> {
        mails::claim_digests(&self.db, now, limit).await
    }

    async fn unread_since(
        &self,
        recipient: PersonId,
        since: DateTime<Utc>,
        limit: u64,
    ) -> DomainResult<Vec<Notification>> {
        mails::unread_since(&self.db, recipient, since, limit).await
    }

    async fn set_thread_watch(
        &self,
        person: PersonId,
        thread: ThreadId,
        level: WatchLevel,
    ) -> DomainResult<()> {
        watches::set_thread(&self.db, person, thread, level).await
    }

    async fn set_community_watch(
        &self,
        person: PersonId,
        community: CommunityId,
        level: WatchLevel,
    ) -> DomainResult<()> {
        watches::set_community(&self.db, person, community, level).await
    }

    async fn thread_watches(
        &self,
        person: PersonId,
        threads: &[ThreadId],
    ) -> DomainResult<HashMap<ThreadId, WatchLevel>> {
        watches::on_threads(&self.db, person, threads).await
    }

    async fn community_watches(
        &self,
        person: PersonId,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, WatchLevel>> {
        watches::on_communities(&self.db, person, communities).await
    }
}
