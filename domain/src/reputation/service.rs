//! Reading reputation: scores, the ledger (for its owner), badges and leaderboards.

use std::collections::HashMap;
use std::sync::Arc;

use super::model::{HeldBadge, LedgerEntry, Period, Standing};
use super::rules::ReputationRules;
use crate::access::Actor;
use crate::community::{Communities, CommunityId};
use crate::error::{DomainError, DomainResult};
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::ports::{Clock, ReputationRepository};

/// The most people one leaderboard lists.
pub const MAX_LEADERBOARD: usize = 100;

/// The reputation read side, and the rules the writing use cases apply.
#[derive(Clone)]
pub struct Reputation {
    repo: Arc<dyn ReputationRepository>,
    communities: Communities,
    clock: Arc<dyn Clock>,
    rules: ReputationRules,
}

impl Reputation {
    pub fn new(
        repo: Arc<dyn ReputationRepository>,
        communities: Communities,
        clock: Arc<dyn Clock>,
        rules: ReputationRules,
    ) -> Self {
        Self {
            repo,
            communities,
            clock,
            rules,
        }
    }

    pub fn rules(&self) -> &ReputationRules {
        &self.rules
    }

    /// All-time points of each person, overall (`None`) or in one community.
    pub async fn scores(
        &self,
        keys: &[(PersonId, Option<CommunityId>)],
    ) -> DomainResult<HashMap<(PersonId, Option<CommunityId>), i64>> {
        self.repo.all_time_scores(keys).await
    }

    /// Whether the actor may see reputation earned in `community` (its content is theirs to
    /// read).
    pub async fn may_see_community(
        &self,
        actor: &Actor,
        community: CommunityId,
    ) -> DomainResult<bool> {
        Ok(self.communities.readable(actor, community).await?.is_some())
    }

    /// The ledger of `person`: readable by that person only (others see totals).
    pub async fn events(
        &self,
        actor: &Actor,
        person: PersonId,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<LedgerEntry>>> {
        if actor.person().map(|p| p.id) != Some(person) {
            return Ok(None);
        }
        self.repo.events(person, page).await.map(Some)
    }

    /// Badges of each person, in the order awarded.
    pub async fn badges(
        &self,
        people: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, Vec<HeldBadge>>> {
        self.repo.badges(people).await
    }

    /// The top people of the current period, overall or in a community the actor may read.
    pub async fn leaderboard(
        &self,
        actor: &Actor,
        community: Option<CommunityId>,
        period: Period,
        first: Option<i32>,
    ) -> DomainResult<Vec<Standing>> {
        let limit = match first {
            None => 10,
            Some(n) if (1..=MAX_LEADERBOARD as i32).contains(&n) => n as usize,
            Some(_) => {
                return Err(DomainError::invalid(
                    "first",
                    "OUT_OF_RANGE",
                    format!("must be 1 to {MAX_LEADERBOARD}"),
                ));
            }
        };
        if let Some(id) = community
            && !self.may_see_community(actor, id).await?
        {
            return Err(DomainError::NotFound);
        }
        let bucket = period.bucket(self.clock.now());
        self.repo
            .leaderboard(community, period, bucket, limit)
            .await
    }
}
