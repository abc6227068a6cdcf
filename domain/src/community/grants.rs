//! Organisation access: a community's owners let an organisation's API tokens in. The tokens
//! act as the organisation's service identity, which the grant makes a MEMBER, so every read
//! path treats them exactly as it treats any member (as GitHub Apps are installed on the
//! repositories they may read).

use super::model::{CommunityId, Membership, Role};
use super::service::Communities;
use crate::access::Actor;
use crate::error::{DomainError, DomainResult};
use crate::organisation::Organisation;
use crate::policy::{self, Action};
use crate::reputation::Effects;

impl Communities {
    /// Lets `organisation`'s API tokens read and take part in the community as a member.
    /// Owners only.
    #[tracing::instrument(skip_all)]
    pub async fn grant_organisation_access(
        &self,
        actor: &Actor,
        id: CommunityId,
        organisation: &Organisation,
    ) -> DomainResult<Membership> {
        self.owning(actor, id).await?;
        let service = self.people.service_identity(organisation).await?;
        self.repo
            .add_member(
                id,
                service.id,
                Role::Member,
                self.clock.now(),
                &Effects::default(),
            )
            .await
    }

    /// Takes an organisation's access away again. Owners only.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_organisation_access(
        &self,
        actor: &Actor,
        id: CommunityId,
        organisation: &Organisation,
    ) -> DomainResult<()> {
        self.owning(actor, id).await?;
        let service = self.people.service_identity(organisation).await?;
        self.repo
            .remove_member(id, service.id, &Effects::default())
            .await
    }

    async fn owning(&self, actor: &Actor, id: CommunityId) -> DomainResult<()> {
        policy::authorize(actor, Action::FacilitateCommunities)?;
        let (_, standing) = self.seen(actor, id).await?;
        match standing.at_least(Role::Owner) {
            true => Ok(()),
            false => Err(DomainError::Forbidden(
                "only the community's owners may grant organisations access",
            )),
        }
    }
}
