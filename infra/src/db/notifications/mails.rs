//! Notification mail in SQL: each person's frequency, the mentions and replies queued to be
//! mailed at once (by the notifier, in its transaction), and claiming what is due so that several
//! instances never send one mail twice.

use chrono::{DateTime, Duration, Utc};
use khub_domain::DomainResult;
use khub_domain::notification::{EmailFrequency, Notification, NotificationId, NotificationKind};
use khub_domain::person::PersonId;
use khub_domain::ports::DueDigest;
use sea_orm::sea_query::{Expr, OnConflict, Order, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::readable::to_notification;
use super::theirs;
use crate::db::entity::{notification, notification_mail as mail, notification_setting as setting};
use crate::db::raw;
use crate::error::ResultExt;

/// Queues, in the notifier's transaction, a mail for each notification of a kind mailed at once
/// that a write telling of `event` (standing for `count` events) newly made — one it did not
/// collapse into an earlier unread one — for recipients who have not chosen otherwise than
/// IMMEDIATELY.
pub(crate) async fn queue_at_once(
    db: &impl ConnectionTrait,
    event: Uuid,
    count: u64,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let kinds: Vec<String> = NotificationKind::MAILED_AT_ONCE
        .iter()
        .map(|kind| format!("'{}'", kind.as_str()))
        .collect();
    let sql = format!(
        "INSERT INTO notification_mails (notification_id, person_id, created_at) \
         SELECT n.id, n.recipient_id, $2 FROM notifications n \
         WHERE n.event_id = $1 AND n.kind IN ({}) AND n.count = $3 AND n.read_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM notification_settings s \
             WHERE s.person_id = n.recipient_id AND s.email <> '{}') \
         ON CONFLICT (notification_id) DO NOTHING",
        kinds.join(", "),
        EmailFrequency::Immediately.as_str(),
    );
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let values = vec![event.into(), now.into(), count.into()];
    db.execute_raw(raw::statement(db.get_database_backend(), &sql, values))
        .await
        .context("queue notification mail")?;
    Ok(())
}

pub(super) async fn frequency(
    db: &impl ConnectionTrait,
    person: PersonId,
) -> DomainResult<EmailFrequency> {
    let chosen = setting::Entity::find_by_id(person.as_uuid())
        .one(db)
        .await
        .context("read mail settings")?;
    Ok(chosen
        .and_then(|row| EmailFrequency::parse(&row.email))
        .unwrap_or(EmailFrequency::DEFAULT))
}

pub(super) async fn set_frequency(
    db: &impl ConnectionTrait,
    person: PersonId,
    frequency: EmailFrequency,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    let row = setting::ActiveModel {
        person_id: Set(person.as_uuid()),
        email: Set(frequency.as_str().to_owned()),
        digested_at: Set(now),
    };
    setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(setting::Column::PersonId)
                .update_columns([setting::Column::Email, setting::Column::DigestedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .context("set mail settings")?;
    Ok(())
}

/// Marks the oldest waiting mails sent and returns them. The outer `sent_at IS NULL` makes a
/// concurrent claim of the same rows (which waits for this one) find them taken.
pub(super) async fn claim_due(
    db: &impl ConnectionTrait,
    limit: u64,
    now: DateTime<Utc>,
) -> DomainResult<Vec<(PersonId, NotificationId)>> {
    // A read first: with nothing due, no write lock is taken (on SQLite one writer at a time).
    let any = mail::Entity::find()
        .select_only()
        .column(mail::Column::NotificationId)
        .filter(mail::Column::SentAt.is_null())
        .into_tuple::<Uuid>()
        .one(db)
        .await
        .context("look for due mail")?;
    if any.is_none() {
        return Ok(Vec::new());
    }
    let oldest = Query::select()
        .column(mail::Column::NotificationId)
        .from(mail::Entity)
        .and_where(mail::Column::SentAt.is_null())
        .order_by(mail::Column::CreatedAt, Order::Asc)
        .limit(limit)
        .to_owned();
    let claimed = mail::Entity::update_many()
        .col_expr(mail::Column::SentAt, Expr::value(now))
        .filter(mail::Column::NotificationId.in_subquery(oldest))
        .filter(mail::Column::SentAt.is_null())
        .exec_with_returning(db)
        .await
        .context("claim notification mail")?;
    Ok(claimed
        .into_iter()
        .map(|row| {
            (
                PersonId::from_uuid(row.person_id),
                NotificationId::from_uuid(row.notification_id),
            )
        })
        .collect())
}

pub(super) async fn release(db: &impl ConnectionTrait, id: NotificationId) -> DomainResult<()> {
    mail::Entity::update_many()
        .col_expr(
            mail::Column::SentAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(mail::Column::NotificationId.eq(id.as_uuid()))
        .exec(db)
        .await
        .context("release notification mail")?;
    Ok(())
}

/// The people whose digest is due, each claimed by moving their `digested_at` on only if it
/// is still what was read (so an instance claiming at the same time finds it moved).
pub(super) async fn claim_digests(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> DomainResult<Vec<DueDigest>> {
    let due = |frequency: EmailFrequency, period: Duration| {
        Condition::all()
            .add(setting::Column::Email.eq(frequency.as_str()))
            .add(setting::Column::DigestedAt.lte(now - period))
    };
    let candidates = setting::Entity::find()
        .filter(
            Condition::any()
                .add(due(EmailFrequency::Daily, Duration::days(1)))
                .add(due(EmailFrequency::Weekly, Duration::weeks(1))),
        )
        .order_by_asc(setting::Column::DigestedAt)
        .limit(limit)
        .all(db)
        .await
        .context("find due digests")?;
    let mut claimed = Vec::new();
    for row in candidates {
        let moved = setting::Entity::update_many()
            .col_expr(setting::Column::DigestedAt, Expr::value(now))
            .filter(setting::Column::PersonId.eq(row.person_id))
            .filter(setting::Column::DigestedAt.eq(row.digested_at))
            .exec(db)
            .await
            .context("claim a digest")?;
        let frequency = EmailFrequency::parse(&row.email);
        if let (1, Some(frequency)) = (moved.rows_affected, frequency) {
            claimed.push(DueDigest {
                person: PersonId::from_uuid(row.person_id),
                frequency,
                since: row.digested_at,
            });
        }
    }
    Ok(claimed)
}

pub(super) async fn unread_since(
    db: &impl ConnectionTrait,
    recipient: PersonId,
    since: DateTime<Utc>,
    limit: u64,
) -> DomainResult<Vec<Notification>> {
    theirs(recipient)
        .filter(notification::Column::ReadAt.is_null())
        .filter(notification::Column::UpdatedAt.gt(since))
        .order_by_desc(notification::Column::UpdatedAt)
        .limit(limit)
        .all(db)
        .await
        .context("read unread notifications")?
        .into_iter()
        .map(to_notification)
        .collect()
}
