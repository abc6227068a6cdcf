//! Writes the notifications an event makes, in the relay's transaction (so exactly once per
//! event): one `INSERT … SELECT` per delivery, however many watch, collapsing into the unread
//! notification of the same group.

use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::events::HubEvent;
use khub_domain::notification::{Audience, Delivery, NotificationKind, deliveries};
use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use uuid::Uuid;

use super::mails;
use super::readable::{detail, may_read_community};
use crate::db::raw;
use crate::error::ResultExt;

/// A person told, and the notification that tells them.
pub(crate) type Told = (Uuid, Uuid);

/// Writes the notifications `event` (raised as `event_id`) makes.
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    event: &HubEvent,
    at: DateTime<Utc>,
) -> DomainResult<Vec<Told>> {
    let mut told = Vec::new();
    let mut mailed = false;
    for delivery in deliveries(event) {
        told.extend(deliver(db, event_id, &delivery, at).await?);
        mailed |= NotificationKind::MAILED_AT_ONCE.contains(&delivery.kind);
    }
    if mailed && !told.is_empty() {
        mails::queue_at_once(db, event_id, at).await?;
    }
    Ok(told)
}

async fn deliver(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    delivery: &Delivery,
    at: DateTime<Utc>,
) -> DomainResult<Vec<Told>> {
    let backend = db.get_database_backend();
    let (audience, subject) = match delivery.audience {
        Audience::Person(person) => (one_person(backend), person.as_uuid()),
        Audience::ThreadWatchers(thread) => {
            (watchers("thread_watches", "thread_id"), thread.as_uuid())
        }
        Audience::CommunityWatchers(community) => (
            watchers("community_watches", "community_id"),
            community.as_uuid(),
        ),
    };
    let s = &delivery.subject;
    let values: Vec<Value> = vec![
        delivery.kind.as_str().into(),
        delivery.group.clone().into(),
        event_id.into(),
        delivery.actor.map(|a| a.as_uuid()).into(),
        s.community.map(|c| c.as_uuid()).into(),
        s.thread.map(|t| t.as_uuid()).into(),
        s.post.map(|p| p.as_uuid()).into(),
        s.practice.map(|p| p.as_uuid()).into(),
        at.into(),
        subject.into(),
        detail(s).into(),
        delivery.content.into(),
        s.saved_search.map(|id| id.as_uuid()).into(),
        i64::try_from(delivery.count).unwrap_or(i64::MAX).into(),
    ];
    let sql = insert(backend, &audience);
    let rows = db
        .query_all_raw(raw::statement(backend, &sql, values))
        .await
        .context("write notifications")?;
    rows.iter()
        .map(|row| {
            let recipient: Uuid = row
                .try_get("", "recipient_id")
                .context("read who was told")?;
            let id: Uuid = row.try_get("", "id").context("read who was told")?;
            Ok((recipient, id))
        })
        .collect()
}

/// The audience as rows of `person`: `$10` alone.
fn one_person(backend: DatabaseBackend) -> String {
    match backend {
        DatabaseBackend::Postgres => "SELECT CAST($10 AS uuid) AS person".to_owned(),
        _ => "SELECT $10 AS person".to_owned(),
    }
}

/// Everyone WATCHING subject `$10` in a watch table.
fn watchers(table: &str, subject: &str) -> String {
    format!("SELECT person_id AS person FROM {table} WHERE {subject} = $10 AND level = 'WATCHING'")
}

/// `$1` kind, `$2` group, `$3` event, `$4` actor, `$5` community, `$6` thread, `$7` post,
/// `$8` practice, `$9` when, `$10` the audience's subject, `$11` detail, `$12` whether it is
/// about the community's content, `$13` saved search, `$14` how many events it stands for. Nobody is told of their own action, twice of one event, of
/// content they may not read, or where they muted.
fn insert(backend: DatabaseBackend, audience: &str) -> String {
    let new_id = match backend {
        DatabaseBackend::Postgres => "gen_random_uuid()",
        _ => "randomblob(16)",
    };
    let readable = may_read_community("$5", "r.person");
    format!(
        "INSERT INTO notifications (id, recipient_id, kind, group_key, count, event_id, actor_id, \
         community_id, thread_id, post_id, practice_id, saved_search_id, detail, created_at, \
         updated_at) \
         SELECT {new_id}, r.person, $1, $2, $14, $3, $4, $5, $6, $7, $8, $13, $11, $9, $9 \
         FROM ({audience}) r \
         WHERE ($4 IS NULL OR r.person <> $4) \
         AND NOT EXISTS (SELECT 1 FROM notifications x WHERE x.event_id = $3 AND x.recipient_id = r.person) \
         AND ($5 IS NULL OR NOT $12 OR {readable}) \
         AND NOT EXISTS (SELECT 1 FROM thread_watches w WHERE w.thread_id = $6 \
             AND w.person_id = r.person AND w.level = 'MUTED') \
         AND NOT EXISTS (SELECT 1 FROM community_watches w WHERE w.community_id = $5 \
             AND w.person_id = r.person AND w.level = 'MUTED') \
         ON CONFLICT (recipient_id, group_key) WHERE read_at IS NULL DO UPDATE SET \
         count = notifications.count + excluded.count, kind = excluded.kind, event_id = excluded.event_id, \
         actor_id = excluded.actor_id, thread_id = excluded.thread_id, \
         post_id = excluded.post_id, practice_id = excluded.practice_id, detail = excluded.detail, \
         updated_at = excluded.updated_at \
         RETURNING id, recipient_id"
    )
}
