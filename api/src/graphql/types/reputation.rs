use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::community::CommunityId;
use khub_domain::person::PersonId;
use khub_domain::reputation as domain;

use super::Person;
use crate::graphql::connection::{self, Connection, PageArgs};
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::loaders::{BadgesLoader, PersonLoader, ScoreLoader};

/// A person's all-time points, overall or in a community the viewer may read (else null).
pub async fn score(
    ctx: &Context<'_>,
    person: PersonId,
    community: Option<ID>,
) -> Result<Option<i64>> {
    let community = match community {
        None => None,
        Some(raw) => {
            let id = id::expect(NodeKind::Community, "communityId", &raw)
                .map(CommunityId::from_uuid)
                .map_err(ApiError)?;
            let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
            if !hub
                .reputation()
                .may_see_community(actor, id)
                .await
                .map_err(ApiError)?
            {
                return Ok(None);
            }
            Some(id)
        }
    };
    let loader = ctx.data::<DataLoader<ScoreLoader>>()?;
    Ok(Some(
        loader.load_one((person, community)).await?.unwrap_or(0),
    ))
}

/// A person's ledger: for that person only.
pub async fn events(
    ctx: &Context<'_>,
    person: PersonId,
    args: PageArgs,
) -> Result<Option<Connection<ReputationEvent>>> {
    let request = args.into_request(ctx)?;
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let page = hub
        .reputation()
        .events(actor, person, &request)
        .await
        .map_err(ApiError)?;
    Ok(page.map(|page| connection::from_page(page, ReputationEvent)))
}

/// A person's badges, in the order awarded.
pub async fn badges(ctx: &Context<'_>, person: PersonId) -> Result<Vec<Badge>> {
    let loader = ctx.data::<DataLoader<BadgesLoader>>()?;
    let held = loader.load_one(person).await?.unwrap_or_default();
    Ok(held.into_iter().map(Badge).collect())
}

/// A line of the reputation ledger: points given or taken back, and why.
pub struct ReputationEvent(pub domain::LedgerEntry);

#[Object]
/// A line of the reputation ledger: points given or taken back, and why.
impl ReputationEvent {
    /// Points: negative when taken back.
    async fn points(&self) -> i64 {
        self.0.points
    }

    /// Why.
    async fn reason(&self) -> ReputationReason {
        self.0.reason.into()
    }

    /// The practice or post it was for.
    async fn object_id(&self) -> ID {
        let kind = match self.0.object.kind {
            domain::ObjectKind::Practice => NodeKind::Practice,
            domain::ObjectKind::Post => NodeKind::Post,
        };
        id::encode(kind, self.0.object.id)
    }

    /// The community it was earned in, if any.
    async fn community_id(&self) -> Option<ID> {
        self.0
            .community
            .map(|c| id::encode(NodeKind::Community, c.as_uuid()))
    }

    /// When.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// A badge and when it was awarded.
pub struct Badge(pub domain::HeldBadge);

#[Object]
/// A badge and when it was awarded.
impl Badge {
    /// Which badge.
    async fn kind(&self) -> BadgeKind {
        self.0.badge.into()
    }

    /// When it was awarded (once).
    async fn awarded_at(&self) -> DateTime<Utc> {
        self.0.awarded_at
    }
}

/// A place on a leaderboard.
pub struct ReputationStanding {
    pub rank: usize,
    pub standing: domain::Standing,
}

#[Object]
/// A place on a leaderboard.
impl ReputationStanding {
    /// 1 for the top.
    async fn rank(&self) -> usize {
        self.rank
    }

    /// Points in the period.
    async fn points(&self) -> i64 {
        self.standing.points
    }

    /// Who.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        let loader = ctx.data::<DataLoader<PersonLoader>>()?;
        Ok(loader.load_one(self.standing.person).await?.map(Person))
    }
}

/// Why points were given or taken back.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ReputationReason {
    /// Their practice was endorsed.
    PracticeEndorsed,
    /// Their practice became practice worth repeating.
    PracticePromoted,
    /// Another organisation adopted their practice.
    PracticeAdopted,
    /// Their reply was accepted as the answer.
    AnswerAccepted,
    /// They accepted someone's reply as the answer.
    AcceptedAnAnswer,
    /// Their post was reacted HELPFUL.
    ReactedHelpful,
    /// Their post was reacted INSIGHTFUL.
    ReactedInsightful,
}

/// A distinction.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum BadgeKind {
    /// Published a first practice.
    FirstPractice,
    /// Wrote a practice worth repeating.
    PracticeWorthRepeating,
    /// Wrote a practice adopted by 3 or more organisations.
    Spread,
    /// Had 10 replies accepted as answers.
    Helpful,
    /// Facilitates a community.
    Facilitator,
}

/// The span a leaderboard covers.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum LeaderboardPeriod {
    /// This week (from Monday, UTC).
    Week,
    /// This month.
    Month,
    /// Since the beginning.
    #[default]
    AllTime,
}

mirror_enum!(ReputationReason <=> domain::Reason {
    PracticeEndorsed, PracticePromoted, PracticeAdopted, AnswerAccepted, AcceptedAnAnswer,
    ReactedHelpful, ReactedInsightful
});
mirror_enum!(BadgeKind <=> domain::Badge {
    FirstPractice, PracticeWorthRepeating, Spread, Helpful, Facilitator
});
mirror_enum!(LeaderboardPeriod <=> domain::Period { Week, Month, AllTime });
