//! Applies reputation effects inside the transaction of the action that earns them: ledger
//! lines appended, totals kept per period and scope, badges awarded once.

use chrono::{DateTime, Duration, Utc};
use khub_domain::DomainResult;
use khub_domain::events::HubEvent;
use khub_domain::person::PersonId;
use khub_domain::reputation::{
    Award, BadgeCondition, BadgeGrant, Effects, LedgerEntry, ObjectRef, Period, Reason,
    Restoration, Reversal,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::db::entity::{
    badge, post, practice, reputation_event as event, reputation_score as score, thread,
};
use crate::db::moderation;
use crate::db::notifications::watches;
use crate::db::outbox;
use crate::error::ResultExt;

/// The scope of overall totals.
pub(super) const OVERALL: Uuid = Uuid::nil();

/// Applies `effects`: reversals first, then awards, then badges; records their events and sets
/// default watch levels.
pub(crate) async fn apply(db: &impl ConnectionTrait, effects: &Effects) -> DomainResult<()> {
    outbox::record(db, &effects.events).await?;
    watches::set_defaults(db, &effects.watches).await?;
    moderation::append(db, &effects.log).await?;
    for reversal in &effects.reversals {
        reverse(db, reversal).await?;
    }
    for restoration in &effects.restorations {
        restore(db, restoration).await?;
    }
    for award in &effects.awards {
        grant_points(db, award).await?;
    }
    for grant in &effects.badges {
        grant_badge(db, grant).await?;
    }
    Ok(())
}

/// Points on one object: (person, reason, actor, community, sum).
type Held = (Uuid, String, Option<Uuid>, Option<Uuid>, Option<i64>);

/// The entries on `object` for `reasons`, summed per (person, reason, actor, community).
fn sums(object: &ObjectRef, reasons: &[Reason]) -> Select<event::Entity> {
    let reasons: Vec<&str> = reasons.iter().map(|r| r.as_str()).collect();
    event::Entity::find()
        .select_only()
        .column(event::Column::PersonId)
        .column(event::Column::Reason)
        .column(event::Column::ActorId)
        .column(event::Column::CommunityId)
        .expr(
            Expr::col(event::Column::Points)
                .sum()
                .cast_as(Alias::new("BIGINT")),
        )
        .filter(event::Column::ObjectId.eq(object.id))
        .filter(event::Column::Reason.is_in(reasons))
        .group_by(event::Column::PersonId)
        .group_by(event::Column::Reason)
        .group_by(event::Column::ActorId)
        .group_by(event::Column::CommunityId)
}

/// Appends, for each (person, reason, actor) still holding points from the matching entries, a
/// line taking them back.
async fn reverse(db: &impl ConnectionTrait, reversal: &Reversal) -> DomainResult<()> {
    let mut held = sums(&reversal.object, &reversal.reasons);
    if let Some(actor) = reversal.actor {
        held = held.filter(event::Column::ActorId.eq(actor.as_uuid()));
    }
    let held: Vec<Held> = held
        .into_tuple()
        .all(db)
        .await
        .context("find points to take back")?;
    let positive = held.into_iter().filter(|row| row.4.is_some_and(|n| n > 0));
    append_opposites(db, positive, reversal.object, reversal.at).await
}

/// Appends, for each (person, reason, actor) whose points the reversal at `reversed_at` took
/// back, a line giving them back.
async fn restore(db: &impl ConnectionTrait, restoration: &Restoration) -> DomainResult<()> {
    let taken: Vec<Held> = sums(&restoration.object, &restoration.reasons)
        .filter(event::Column::Points.lt(0))
        .filter(event::Column::CreatedAt.eq(restoration.reversed_at))
        .into_tuple()
        .all(db)
        .await
        .context("find points to give back")?;
    append_opposites(db, taken, restoration.object, restoration.at).await
}

/// Appends, for each sum, a line of the opposite amount at `at`.
async fn append_opposites(
    db: &impl ConnectionTrait,
    sums: impl IntoIterator<Item = Held>,
    object: ObjectRef,
    at: DateTime<Utc>,
) -> DomainResult<()> {
    for (person, reason, actor, community, total) in sums {
        let (Some(reason), Some(total)) = (Reason::parse(&reason), total) else {
            continue;
        };
        let entry = LedgerEntry {
            id: Uuid::now_v7(),
            person: PersonId::from_uuid(person),
            points: -total,
            reason,
            object,
            actor: actor.map(PersonId::from_uuid),
            community: community.map(khub_domain::community::CommunityId::from_uuid),
            at,
        };
        append(db, &entry).await?;
    }
    Ok(())
}

/// Appends an award, trimmed to what the daily cap still allows.
async fn grant_points(db: &impl ConnectionTrait, award: &Award) -> DomainResult<()> {
    let mut points = award.points;
    if let Some(cap) = award.daily_cap {
        // Awards under a cap are counted one at a time per person.
        lock_person(db, award.person).await?;
        points = Ord::min(points, cap - today_from_reactions(db, award).await?);
    }
    if points <= 0 {
        return Ok(());
    }
    let entry = LedgerEntry {
        id: Uuid::now_v7(),
        person: award.person,
        points,
        reason: award.reason,
        object: award.object,
        actor: award.actor,
        community: award.community,
        at: award.at,
    };
    append(db, &entry).await
}

async fn today_from_reactions(db: &impl ConnectionTrait, award: &Award) -> DomainResult<i64> {
    let day = award
        .at
        .date_naive()
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let reasons: Vec<&str> = Reason::REACTIONS.iter().map(|r| r.as_str()).collect();
    let sum: Option<Option<i64>> = event::Entity::find()
        .select_only()
        .expr(
            Expr::col(event::Column::Points)
                .sum()
                .cast_as(Alias::new("BIGINT")),
        )
        .filter(event::Column::PersonId.eq(award.person.as_uuid()))
        .filter(event::Column::Reason.is_in(reasons))
        .filter(event::Column::CreatedAt.gte(day))
        .filter(event::Column::CreatedAt.lt(day + Duration::days(1)))
        .into_tuple()
        .one(db)
        .await
        .context("sum today's reaction points")?;
    Ok(sum.flatten().unwrap_or(0))
}

/// Takes the row lock of the person's overall all-time total (creating it if need be).
async fn lock_person(db: &impl ConnectionTrait, person: PersonId) -> DomainResult<()> {
    add_to_score(db, person, OVERALL, Period::AllTime, Utc::now(), 0).await
}

/// One ledger line, and every total it moves.
async fn append(db: &impl ConnectionTrait, entry: &LedgerEntry) -> DomainResult<()> {
    event::Entity::insert(event::ActiveModel {
        id: Set(entry.id),
        person_id: Set(entry.person.as_uuid()),
        points: Set(entry.points),
        reason: Set(entry.reason.as_str().to_owned()),
        object_kind: Set(entry.object.kind.as_str().to_owned()),
        object_id: Set(entry.object.id),
        actor_id: Set(entry.actor.map(|a| a.as_uuid())),
        community_id: Set(entry.community.map(|c| c.as_uuid())),
        created_at: Set(entry.at),
    })
    .exec_without_returning(db)
    .await
    .context("append to the reputation ledger")?;
    let scopes = std::iter::once(OVERALL).chain(entry.community.map(|c| c.as_uuid()));
    for scope in scopes {
        for period in Period::ALL {
            add_to_score(db, entry.person, scope, period, entry.at, entry.points).await?;
        }
    }
    Ok(())
}

async fn add_to_score(
    db: &impl ConnectionTrait,
    person: PersonId,
    scope: Uuid,
    period: Period,
    at: chrono::DateTime<Utc>,
    points: i64,
) -> DomainResult<()> {
    let row = score::ActiveModel {
        person_id: Set(person.as_uuid()),
        scope: Set(scope),
        period: Set(period.as_str().to_owned()),
        bucket: Set(period.bucket(at)),
        points: Set(points),
    };
    let add = OnConflict::columns([
        score::Column::PersonId,
        score::Column::Scope,
        score::Column::Period,
        score::Column::Bucket,
    ])
    .value(
        score::Column::Points,
        Expr::col((score::Entity, score::Column::Points)).add(Expr::cust("excluded.points")),
    )
    .to_owned();
    score::Entity::insert(row)
        .on_conflict(add)
        .exec_without_returning(db)
        .await
        .context("keep reputation totals")?;
    Ok(())
}

async fn grant_badge(db: &impl ConnectionTrait, grant: &BadgeGrant) -> DomainResult<()> {
    if !condition_holds(db, grant).await? {
        return Ok(());
    }
    let row = badge::ActiveModel {
        person_id: Set(grant.person.as_uuid()),
        badge: Set(grant.badge.as_str().to_owned()),
        awarded_at: Set(grant.at),
    };
    let awarded = badge::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([badge::Column::PersonId, badge::Column::Badge])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .context("award a badge")?;
    // Only the store knows whether it was new (held already: nothing happened).
    if awarded == 1 {
        let event = HubEvent::BadgeAwarded {
            person: grant.person,
            badge: grant.badge,
            at: grant.at,
        };
        outbox::record(db, &[event]).await?;
    }
    Ok(())
}

async fn condition_holds(db: &impl ConnectionTrait, grant: &BadgeGrant) -> DomainResult<bool> {
    match grant.condition {
        BadgeCondition::Always => Ok(true),
        BadgeCondition::AdoptionsAtLeast { practice, count } => {
            let adoptions: Option<i64> = practice::Entity::find_by_id(practice)
                .select_only()
                .column(practice::Column::AdoptionCount)
                .into_tuple()
                .one(db)
                .await
                .context("count adoptions")?;
            Ok(adoptions.and_then(|n| u64::try_from(n).ok()).unwrap_or(0) >= count)
        }
        BadgeCondition::AcceptedAnswersAtLeast(count) => {
            let own_posts = Query::select()
                .column(post::Column::Id)
                .from(post::Entity)
                .and_where(post::Column::AuthorId.eq(grant.person.as_uuid()))
                .to_owned();
            let accepted = thread::Entity::find()
                .filter(thread::Column::AcceptedAnswerId.in_subquery(own_posts))
                .count(db)
                .await
                .context("count accepted answers")?;
            Ok(accepted >= count)
        }
    }
}
