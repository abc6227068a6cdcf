//! Leaderboards, served from maintained totals.

use async_graphql::{Context, ID, Object, Result};
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::types::{LeaderboardPeriod, ReputationStanding};

#[derive(Default)]
pub struct ReputationQuery;

#[Object]
impl ReputationQuery {
    /// The people who earned the most reputation this period, overall or in a community the
    /// viewer may read; highest first, ties by person.
    // A new period starts with the clock, not with a write: never kept by the read cache.
    #[graphql(cache_control(no_cache))]
    async fn leaderboard(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A community, or none for the whole hub.")] community_id: Option<ID>,
        #[graphql(desc = "The period (default ALL_TIME).")] period: Option<LeaderboardPeriod>,
        #[graphql(desc = "How many, 1 to 100 (default 10).")] first: Option<i32>,
    ) -> Result<Vec<ReputationStanding>> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let community = community_id
            .map(|raw| {
                id::expect(NodeKind::Community, "communityId", &raw).map(CommunityId::from_uuid)
            })
            .transpose()
            .map_err(ApiError)?;
        let period = period.unwrap_or_default().into();
        let standings = hub
            .reputation()
            .leaderboard(actor, community, period, first)
            .await
            .map_err(ApiError)?;
        Ok(standings
            .into_iter()
            .enumerate()
            .map(|(i, standing)| ReputationStanding {
                rank: i + 1,
                standing,
            })
            .collect())
    }
}
