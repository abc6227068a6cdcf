use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::community::CommunityId;
use crate::error::DomainResult;
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::reputation::{Effects, HeldBadge, LedgerEntry, Period, Standing};

/// What rebuilding the totals from the ledger found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildReport {
    pub entries: u64,
    pub totals: u64,
    /// Whether the maintained totals already equalled the rebuilt ones.
    pub matched: bool,
}

/// The ledger, the totals kept from it, and badges. Writes that earn points happen in the
/// earning action's own transaction (see the practice and conversation repositories); this
/// port reads, applies effects that stand alone, and rebuilds.
#[async_trait]
pub trait ReputationRepository: Send + Sync {
    /// Applies effects in a transaction of their own (badges for roles, for instance).
    async fn apply(&self, effects: &Effects) -> DomainResult<()>;
    /// All-time points of each (person, community); `None` is overall.
    async fn all_time_scores(
        &self,
        keys: &[(PersonId, Option<CommunityId>)],
    ) -> DomainResult<HashMap<(PersonId, Option<CommunityId>), i64>>;
    /// A person's ledger, newest first.
    async fn events(&self, person: PersonId, page: &PageRequest)
    -> DomainResult<Page<LedgerEntry>>;
    async fn badges(&self, people: &[PersonId]) -> DomainResult<HashMap<PersonId, Vec<HeldBadge>>>;
    /// The top `limit` of the period starting at `bucket`, highest first.
    async fn leaderboard(
        &self,
        community: Option<CommunityId>,
        period: Period,
        bucket: DateTime<Utc>,
        limit: usize,
    ) -> DomainResult<Vec<Standing>>;
    /// Recomputes every total from the ledger and replaces the maintained ones.
    async fn rebuild(&self) -> DomainResult<RebuildReport>;
}
