//! Writes the notifications a notifier pass's events make, in its transaction (so exactly once
//! per event): one `INSERT … SELECT` per write the domain plans (the deliveries of one group
//! merged across the pass), however many watch, collapsing into the unread notification of the
//! same group.

use chrono::{DateTime, Utc};
use khub_domain::DomainResult;
use khub_domain::events::{EventId, HubEvent};
use khub_domain::notification::batch::{self, Among, Write};
use khub_domain::notification::{Audience, NotificationKind};
use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use uuid::Uuid;

use super::mails;
use super::readable::{detail, may_read_community};
use crate::db::raw;
use crate::error::ResultExt;

/// A person told, and the notification that tells them.
pub(crate) type Told = (Uuid, Uuid);

/// Writes the notifications a pass's `events` (in the order raised) make; who was told of
/// which event.
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    events: &[(EventId, &HubEvent)],
    at: DateTime<Utc>,
) -> DomainResult<Vec<(EventId, Vec<Told>)>> {
    let mut told: Vec<(EventId, Vec<Told>)> = Vec::new();
    for write in batch::plan(events) {
        let people = deliver(db, &write, at).await?;
        if people.is_empty() {
            continue;
        }
        if NotificationKind::MAILED_AT_ONCE.contains(&write.delivery.kind) {
            mails::queue_at_once(db, write.event.as_uuid(), write.delivery.count, at).await?;
        }
        match told.iter_mut().find(|(event, _)| *event == write.event) {
            Some((_, earlier)) => earlier.extend(people),
            None => told.push((write.event, people)),
        }
    }
    Ok(told)
}

async fn deliver(
    db: &impl ConnectionTrait,
    write: &Write,
    at: DateTime<Utc>,
) -> DomainResult<Vec<Told>> {
    let backend = db.get_database_backend();
    let delivery = &write.delivery;
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
    let mut values: Vec<Value> = vec![
        delivery.kind.as_str().into(),
        delivery.group.clone().into(),
        write.event.as_uuid().into(),
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
    let among = among(&write.among, &mut values);
    let sql = insert(backend, &audience, &among);
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

/// Who of the audience this write tells, as a condition on `r.person`; its people are bound
/// after the values already in `values`.
fn among(among: &Among, values: &mut Vec<Value>) -> String {
    let (operator, people) = match among {
        Among::Everyone => return String::new(),
        Among::Only(people) => ("IN", people),
        Among::AllBut(people) => ("NOT IN", people),
    };
    if people.is_empty() {
        return match among {
            Among::Only(_) => " AND 1 = 0".to_owned(),
            _ => String::new(),
        };
    }
    let placeholders: Vec<String> = people
        .iter()
        .map(|person| {
            values.push(person.as_uuid().into());
            format!("${}", values.len())
        })
        .collect();
    format!(" AND r.person {operator} ({})", placeholders.join(", "))
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
/// about the community's content, `$13` saved search, `$14` how many events it stands for,
/// `$15…` the people `among` names. Nobody is told of their own action, twice of one event, of
/// content they may not read, or where they muted.
fn insert(backend: DatabaseBackend, audience: &str, among: &str) -> String {
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
         WHERE ($4 IS NULL OR r.person <> $4){among} \
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
