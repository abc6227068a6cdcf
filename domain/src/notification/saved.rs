//! Saved searches that found something new tell their owners: each search is checked every
//! few minutes, as its owner reads (so visibility is theirs, today), for matches created since
//! they last looked or were last told; new ones raise one event, which collapses into the
//! search's unread notification.

use chrono::Duration;

use crate::access::Actor;
use crate::error::DomainResult;
use crate::events::HubEvent;
use crate::notification::service::Notifications;
use crate::reputation::Effects;
use crate::search::SavedSearch;

/// How often each saved search is checked.
pub const CHECK_EVERY: Duration = Duration::minutes(10);
/// Searches checked per round, so one round stays short.
const PER_ROUND: u64 = 20;

impl Notifications {
    /// Checks the saved searches that are due; how many told their owner of new matches.
    pub async fn tell_saved_search_matches(&self) -> DomainResult<usize> {
        let now = self.clock.now();
        let due = self
            .saved_searches
            .claim_to_check(now, now - CHECK_EVERY, PER_ROUND)
            .await?;
        let mut told = 0;
        for (search, since) in due {
            let Some(owner) = self.person(search.owner).await? else {
                continue;
            };
            let reader = Actor::reading_as(owner);
            let unseen = SavedSearch {
                seen_at: since,
                ..search.clone()
            };
            let count = self.search.new_match_count(&reader, &unseen).await?;
            if count == 0 {
                continue;
            }
            let event = HubEvent::SavedSearchMatched {
                search: search.id,
                owner: search.owner,
                count,
                at: now,
            };
            self.effects.apply(&Effects::raising(event)).await?;
            told += 1;
        }
        Ok(told)
    }
}
