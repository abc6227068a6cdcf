//! The reputation ledger's entries, what changes it, badges and leaderboards.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::community::CommunityId;
use crate::conversation::ReactionCounts;
use crate::events::HubEvent;
use crate::moderation::LogEntry;
use crate::notification::DefaultWatch;
use crate::person::PersonId;
use crate::practice::Promotion;

/// Why points were given (or taken back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The person's practice was endorsed.
    PracticeEndorsed,
    /// The person's practice became practice worth repeating.
    PracticePromoted,
    /// Another organisation adopted the person's practice.
    PracticeAdopted,
    /// The person's reply was accepted as the answer.
    AnswerAccepted,
    /// The person accepted someone's reply as the answer to their question.
    AcceptedAnAnswer,
    /// The person's post was reacted HELPFUL.
    ReactedHelpful,
    /// The person's post was reacted INSIGHTFUL.
    ReactedInsightful,
}

stable_names!(Reason {
    PracticeEndorsed => "PRACTICE_ENDORSED",
    PracticePromoted => "PRACTICE_PROMOTED",
    PracticeAdopted => "PRACTICE_ADOPTED",
    AnswerAccepted => "ANSWER_ACCEPTED",
    AcceptedAnAnswer => "ACCEPTED_AN_ANSWER",
    ReactedHelpful => "REACTED_HELPFUL",
    ReactedInsightful => "REACTED_INSIGHTFUL",
});

impl Reason {
    /// Reasons whose points count against the daily cap on reactions.
    pub const REACTIONS: [Self; 2] = [Self::ReactedHelpful, Self::ReactedInsightful];
}

/// What the points were for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Practice,
    Post,
}

stable_names!(ObjectKind { Practice => "PRACTICE", Post => "POST" });

/// The thing points were earned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub id: Uuid,
}

/// One line of the append-only ledger. Reversals are lines with negative points.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEntry {
    pub id: Uuid,
    pub person: PersonId,
    pub points: i64,
    pub reason: Reason,
    pub object: ObjectRef,
    /// Whose action earned (or took back) the points, if a person's.
    pub actor: Option<PersonId>,
    pub community: Option<CommunityId>,
    pub at: DateTime<Utc>,
}

/// Points to give, as the store appends them in the action's own transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    pub person: PersonId,
    pub points: i64,
    pub reason: Reason,
    pub object: ObjectRef,
    pub actor: Option<PersonId>,
    pub community: Option<CommunityId>,
    pub at: DateTime<Utc>,
    /// At most this many points a UTC day from [`Reason::REACTIONS`], counted in the store.
    pub daily_cap: Option<i64>,
}

/// Takes back whatever is still outstanding from matching entries: on `object`, by `actor`
/// (any actor if `None`), for any of `reasons`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reversal {
    pub object: ObjectRef,
    pub actor: Option<PersonId>,
    pub reasons: Vec<Reason>,
    pub at: DateTime<Utc>,
}

/// Gives back what the reversal of `reasons` on `object` at `reversed_at` took.
#[derive(Debug, Clone, PartialEq)]
pub struct Restoration {
    pub object: ObjectRef,
    pub reasons: Vec<Reason>,
    pub reversed_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

/// A distinction, awarded once.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Badge {
    /// Published a first practice.
    FirstPractice,
    /// Wrote a practice that was promoted.
    PracticeWorthRepeating,
    /// Wrote a practice adopted by 3 or more organisations.
    Spread,
    /// Had 10 replies accepted as answers.
    Helpful,
    /// Facilitates (or owns) a community.
    Facilitator,
}

stable_names!(Badge {
    FirstPractice => "FIRST_PRACTICE",
    PracticeWorthRepeating => "PRACTICE_WORTH_REPEATING",
    Spread => "SPREAD",
    Helpful => "HELPFUL",
    Facilitator => "FACILITATOR",
});

/// When a badge is due, as the store checks it in the action's transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeCondition {
    Always,
    /// The practice now has at least this many adoptions.
    AdoptionsAtLeast {
        practice: Uuid,
        count: u64,
    },
    /// The person now has at least this many accepted answers.
    AcceptedAnswersAtLeast(u64),
}

/// A badge to award if its condition holds (and it is not held already).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadgeGrant {
    pub person: PersonId,
    pub badge: Badge,
    pub condition: BadgeCondition,
    pub at: DateTime<Utc>,
}

/// Everything an action causes beyond its own rows — reputation won and lost, and the events it
/// raises — applied in the action's own transaction, so none of it happens without the action.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effects {
    pub reversals: Vec<Reversal>,
    /// Reversals undone: content restored gets back what hiding it took.
    pub restorations: Vec<Restoration>,
    pub awards: Vec<Award>,
    pub badges: Vec<BadgeGrant>,
    pub events: Vec<HubEvent>,
    /// Watch levels set unless the person chose one.
    pub watches: Vec<DefaultWatch>,
    /// What a facilitator did, for the community's moderation log.
    pub log: Vec<LogEntry>,
}

impl Effects {
    /// Only `event`, raised.
    pub fn raising(event: HubEvent) -> Self {
        Self::default().and_raise(event)
    }

    pub fn is_empty(&self) -> bool {
        self.reversals.is_empty()
            && self.restorations.is_empty()
            && self.awards.is_empty()
            && self.badges.is_empty()
            && self.events.is_empty()
            && self.watches.is_empty()
            && self.log.is_empty()
    }

    pub fn and(mut self, other: Effects) -> Self {
        self.reversals.extend(other.reversals);
        self.restorations.extend(other.restorations);
        self.awards.extend(other.awards);
        self.badges.extend(other.badges);
        self.events.extend(other.events);
        self.watches.extend(other.watches);
        self.log.extend(other.log);
        self
    }

    /// These effects, recording `entry` in the moderation log too.
    pub fn and_log(mut self, entry: LogEntry) -> Self {
        self.log.push(entry);
        self
    }

    /// These effects, setting `watch` too unless the person chose a level.
    pub fn and_watch(mut self, watch: DefaultWatch) -> Self {
        self.watches.push(watch);
        self
    }

    /// These effects, raising `event` too.
    pub fn and_raise(mut self, event: HubEvent) -> Self {
        self.events.push(event);
        self
    }

    /// These effects, raising each of `events` too.
    pub fn and_raise_all(mut self, events: impl IntoIterator<Item = HubEvent>) -> Self {
        self.events.extend(events);
        self
    }

    /// These effects with the post's reaction counts as the change left them, which only the
    /// store knows, filled into the reaction events.
    pub fn with_reaction_counts(&self, after: ReactionCounts) -> Self {
        let mut effects = self.clone();
        for event in &mut effects.events {
            if let HubEvent::ReactionChanged { counts, .. } = event {
                *counts = after;
            }
        }
        effects
    }

    /// These effects with the promotion as the store decided it (how many organisations had
    /// endorsed) filled into the promotion events.
    pub fn with_promotion(&self, decided: &Promotion) -> Self {
        let mut effects = self.clone();
        for event in &mut effects.events {
            if let HubEvent::PracticePromoted { promotion, .. } = event {
                *promotion = decided.clone();
            }
        }
        effects
    }
}

/// A badge someone holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldBadge {
    pub badge: Badge,
    pub awarded_at: DateTime<Utc>,
}

/// The span a leaderboard covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Week,
    Month,
    AllTime,
}

stable_names!(Period { Week => "WEEK", Month => "MONTH", AllTime => "ALL" });

impl Period {
    /// All-time first: stores that lock totals in this order take a person's all-time total
    /// before any other, so two transactions never wait on each other's.
    pub const ALL: [Self; 3] = [Self::AllTime, Self::Month, Self::Week];

    /// The start of the period `at` falls in (UTC): Monday, the 1st, or the epoch.
    pub fn bucket(self, at: DateTime<Utc>) -> DateTime<Utc> {
        use chrono::{Datelike, Duration, TimeZone};
        let day = at.date_naive();
        let start = match self {
            Self::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Self::Month => day.with_day(1).unwrap_or(day),
            Self::AllTime => chrono::NaiveDate::default(),
        };
        Utc.from_utc_datetime(&start.and_time(chrono::NaiveTime::MIN))
    }
}

/// One line of a leaderboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub person: PersonId,
    pub points: i64,
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::Period;

    #[test]
    fn periods_start_on_monday_the_first_and_the_epoch() {
        let thursday = Utc.with_ymd_and_hms(2026, 11, 26, 15, 30, 0).unwrap();
        assert_eq!(
            Period::Week.bucket(thursday),
            Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap()
        );
        assert_eq!(
            Period::Month.bucket(thursday),
            Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
        );
        assert_eq!(
            Period::AllTime.bucket(thursday),
            Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap()
        );
    }
}
