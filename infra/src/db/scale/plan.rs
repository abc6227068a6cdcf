//! How much of everything a scale asks for, and deterministic choices.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

/// Row counts at scale 1; a scale multiplies them (at least one of each).
const BASE: [(&str, f64); 6] = [
    ("organisations", 400.0),
    ("people", 20_000.0),
    ("communities", 500.0),
    ("practices", 20_000.0),
    ("threads", 100_000.0),
    ("replies", 1_000_000.0),
];

/// The size of a generated data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalePlan {
    pub organisations: usize,
    pub people: usize,
    pub communities: usize,
    pub practices: usize,
    pub threads: usize,
    pub replies: usize,
}

impl ScalePlan {
    pub fn at(scale: f64) -> Self {
        let n = |i: usize| ((BASE[i].1 * scale).round() as usize).max(1);
        Self {
            organisations: n(0),
            people: n(1),
            communities: n(2),
            practices: n(3),
            threads: n(4),
            replies: n(5),
        }
    }
}

/// The data set's random source: the same seed gives the same hub.
pub(super) struct Dice(StdRng);

impl Dice {
    pub(super) fn new() -> Self {
        Self(StdRng::seed_from_u64(0x6b68_7562))
    }

    pub(super) fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.0.random()).into_uuid()
    }

    /// 0..n
    pub(super) fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n.max(1))
    }

    /// True with probability `percent`/100.
    pub(super) fn chance(&mut self, percent: u32) -> bool {
        self.0.random_range(0..100) < percent
    }

    /// A moment within the year before the data set's fixed end, later for larger `order`.
    pub(super) fn moment(&mut self, order: usize, of: usize) -> DateTime<Utc> {
        let end = Utc
            .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let span = 365 * 24 * 3600;
        let at = span * order as i64 / of.max(1) as i64 + self.0.random_range(0..600);
        end - Duration::seconds(span) + Duration::seconds(at)
    }

    pub(super) fn pick<'a>(&mut self, words: &'a [&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}
