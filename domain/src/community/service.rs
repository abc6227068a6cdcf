//! Community use cases. Each checks the policy, then the person's standing in the community.

use std::sync::Arc;

use super::model::{
    Community, CommunityFilter, CommunityId, CommunityOrder, CommunityQuery, Membership,
    NewCommunity, Pending, PendingKind, Role, Standing,
};
use super::rules::{can_read_content, can_see};
use crate::access::Actor;
use crate::error::{DomainError, DomainResult};
use crate::pagination::{Page, PageRequest};
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::ports::{Clock, CommunityRepository, PersonRepository, ReputationRepository};
use crate::reputation::ReputationRules;

/// What joining did.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinOutcome {
    Joined(Membership),
    /// A RESTRICTED community: a facilitator will decide.
    Requested,
}

/// The community use cases.
#[derive(Clone)]
pub struct Communities {
    pub(super) repo: Arc<dyn CommunityRepository>,
    pub(super) people: Arc<dyn PersonRepository>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) badges: Badges,
}

/// Where the Facilitator badge is awarded, by which rules.
#[derive(Clone)]
pub struct Badges {
    pub store: Arc<dyn ReputationRepository>,
    pub rules: ReputationRules,
}

impl Communities {
    pub fn new(
        repo: Arc<dyn CommunityRepository>,
        people: Arc<dyn PersonRepository>,
        clock: Arc<dyn Clock>,
        badges: Badges,
    ) -> Self {
        Self {
            repo,
            people,
            clock,
            badges,
        }
    }

    /// Creates a community; its creator is its first owner.
    #[tracing::instrument(skip_all)]
    pub async fn create(&self, actor: &Actor, new: NewCommunity) -> DomainResult<Community> {
        let person = policy::authorize(actor, Action::FacilitateCommunities)?;
        let now = self.clock.now();
        let community = self.repo.create(&new, person.id, now).await?;
        self.award_facilitator(person.id).await?;
        Ok(community)
    }

    /// The community, whoever asks: for hub administrators, who act in every community.
    pub(crate) async fn by_id(&self, id: CommunityId) -> DomainResult<Option<Community>> {
        Ok(self.repo.find_by_ids(&[id]).await?.pop())
    }

    /// Where the actor stands with each community (anonymous: nowhere).
    pub async fn standings(
        &self,
        actor: &Actor,
        ids: &[CommunityId],
    ) -> DomainResult<Vec<Standing>> {
        self.standings_of(actor.person().map(|p| p.id), ids).await
    }

    /// Where `reader` stands with each community (`None`, anonymous: nowhere).
    pub async fn standings_of(
        &self,
        reader: Option<PersonId>,
        ids: &[CommunityId],
    ) -> DomainResult<Vec<Standing>> {
        let Some(person) = reader else {
            return Ok(vec![Standing::default(); ids.len()]);
        };
        let found = self.repo.standings(person, ids).await?;
        Ok(ids
            .iter()
            .map(|id| found.get(id).copied().unwrap_or_default())
            .collect())
    }

    /// The communities among `ids` the actor may see, with their standing, in order.
    pub async fn visible(
        &self,
        actor: &Actor,
        ids: &[CommunityId],
    ) -> DomainResult<Vec<(Community, Standing)>> {
        self.visible_to(actor.person().map(|p| p.id), ids).await
    }

    /// The communities among `ids` that `reader` may see, with their standing, in order.
    pub async fn visible_to(
        &self,
        reader: Option<PersonId>,
        ids: &[CommunityId],
    ) -> DomainResult<Vec<(Community, Standing)>> {
        let found = match reader {
            Some(person) => self.repo.find_with_standings(ids, person).await?,
            None => self
                .repo
                .find_by_ids(ids)
                .await?
                .into_iter()
                .map(|community| (community, Standing::default()))
                .collect(),
        };
        Ok(found
            .into_iter()
            .filter(|(community, standing)| can_see(community, standing))
            .collect())
    }

    /// The community, if the actor may read its content (threads, practices, reputation).
    pub async fn readable(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<Option<(Community, Standing)>> {
        let seen = self.visible(actor, &[id]).await?.pop();
        Ok(seen.filter(|(community, standing)| can_read_content(community, standing)))
    }

    /// The community, which the actor must see and belong to in order to take part (share a
    /// practice, start a thread); otherwise an invalid `communityId`.
    pub async fn taking_part(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<(Community, Standing)> {
        let seen =
            self.visible(actor, &[id]).await?.pop().ok_or_else(|| {
                DomainError::invalid("communityId", "NOT_FOUND", "no such community")
            })?;
        if !seen.1.is_member() {
            return Err(DomainError::invalid(
                "communityId",
                "NOT_A_MEMBER",
                "join the community to take part",
            ));
        }
        Ok(seen)
    }

    /// The community with this slug, if the actor may see it.
    pub async fn find_by_slug(
        &self,
        actor: &Actor,
        slug: &str,
    ) -> DomainResult<Option<(Community, Standing)>> {
        let reader = actor.person().map(|p| p.id);
        let found = self.repo.find_by_slug_with_standing(slug, reader).await?;
        Ok(found.filter(|(community, standing)| can_see(community, standing)))
    }

    /// Communities the actor may see.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: CommunityFilter,
        order: CommunityOrder,
        page: &PageRequest,
    ) -> DomainResult<Page<Community>> {
        let reader = actor.person().map(|p| p.id);
        if filter.mine && reader.is_none() {
            return Ok(Page::empty());
        }
        self.repo
            .list(&CommunityQuery { filter, reader }, order, page)
            .await
    }

    /// Records activity in a community, which orders the community list.
    pub async fn record_activity(
        &self,
        id: CommunityId,
        at: chrono::DateTime<chrono::Utc>,
    ) -> DomainResult<()> {
        self.repo.record_activity(id, at).await
    }

    /// The members, if the actor may read the community's content.
    pub async fn members(
        &self,
        community: &Community,
        standing: &Standing,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<Membership>>> {
        if !can_read_content(community, standing) {
            return Ok(None);
        }
        self.repo.members(community.id, page).await.map(Some)
    }

    /// Requests awaiting a decision, for the community's facilitators and owners.
    pub async fn requests(
        &self,
        community: &Community,
        standing: &Standing,
        page: &PageRequest,
    ) -> DomainResult<Option<Page<Pending>>> {
        if !standing.at_least(Role::Facilitator) {
            return Ok(None);
        }
        self.repo
            .pending(community.id, PendingKind::Request, page)
            .await
            .map(Some)
    }

    /// The community, if the actor may see it; otherwise it does not exist.
    pub(super) async fn seen(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<(Community, Standing)> {
        self.visible(actor, &[id])
            .await?
            .pop()
            .ok_or(DomainError::NotFound)
    }

    /// The actor's standing, which must be facilitator or owner.
    pub(super) async fn facilitating(
        &self,
        actor: &Actor,
        id: CommunityId,
    ) -> DomainResult<Standing> {
        let person = policy::authorize(actor, Action::FacilitateCommunities)?;
        if person.hub_administrator {
            // Hub administrators act in every community as its owners do.
            if self.repo.find_by_ids(&[id]).await?.is_empty() {
                return Err(DomainError::NotFound);
            }
            let standing = self.standing_of(person.id, id).await?;
            return Ok(Standing {
                role: Some(Role::Owner),
                ..standing
            });
        }
        let (_, standing) = self.seen(actor, id).await?;
        if !standing.at_least(Role::Facilitator) {
            return Err(DomainError::Forbidden(
                "only the community's facilitators and owners may do this",
            ));
        }
        Ok(standing)
    }

    pub(super) async fn standing_of(
        &self,
        person: PersonId,
        id: CommunityId,
    ) -> DomainResult<Standing> {
        Ok(self
            .repo
            .standings(person, &[id])
            .await?
            .remove(&id)
            .unwrap_or_default())
    }
}
