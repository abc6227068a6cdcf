//! Belonging: joining and leaving, requests decided, invitations, roles.

use super::model::{CommunityId, Membership, PendingKind, Role, Visibility};
use super::service::{Communities, JoinOutcome};
use crate::access::Actor;
use crate::community::Community;
use crate::error::{DomainError, DomainResult};
use crate::events::HubEvent;
use crate::person::PersonId;
use crate::policy::{self, Action};
use crate::reputation::Effects;

impl Communities {
    /// Joins an OPEN community (or any the actor was invited to), or asks to join a RESTRICTED one.
    #[tracing::instrument(skip_all)]
    pub async fn join(&self, actor: &Actor, id: CommunityId) -> DomainResult<JoinOutcome> {
        let person = policy::authorize(actor, Action::JoinCommunities)?.id;
        let (community, standing) = self.seen(actor, id).await?;
        if !standing.is_member() {
            self.check_not_banned(id, person).await?;
        }
        if let Some(role) = standing.role {
            let membership = self.repo.membership(id, person).await?;
            return membership.map(JoinOutcome::Joined).ok_or_else(|| {
                DomainError::unavailable(
                    "join community",
                    format!("standing says {role:?} but no membership"),
                )
            });
        }
        match (community.visibility, standing.invited) {
            (Visibility::Open, _) | (_, true) => {
                let membership = self
                    .repo
                    .add_member(
                        id,
                        person,
                        Role::Member,
                        self.clock.now(),
                        &Effects::default(),
                    )
                    .await?;
                Ok(JoinOutcome::Joined(membership))
            }
            (Visibility::Restricted, false) => {
                let now = self.clock.now();
                self.repo
                    .add_pending(id, person, PendingKind::Request, now, &Effects::default())
                    .await?;
                Ok(JoinOutcome::Requested)
            }
            // Seen but neither invited nor a member: cannot happen for PRIVATE (it would be
            // invisible), kept for completeness.
            (Visibility::Private, false) => Err(DomainError::NotFound),
        }
    }

    /// Leaves a community, or withdraws a request to join. The last owner cannot leave.
    #[tracing::instrument(skip_all)]
    pub async fn leave(&self, actor: &Actor, id: CommunityId) -> DomainResult<Community> {
        let person = policy::authorize(actor, Action::JoinCommunities)?.id;
        let (community, standing) = self.seen(actor, id).await?;
        if standing.is_member() {
            self.repo
                .remove_member(id, person, &Effects::default())
                .await?;
        } else if standing.requested || standing.invited {
            self.repo
                .remove_pending(id, person, &Effects::default())
                .await?;
        } else {
            return Err(DomainError::invalid(
                "communityId",
                "NOT_A_MEMBER",
                "you are not a member",
            ));
        }
        Ok(community)
    }

    /// Approves or rejects a request to join: facilitators and owners.
    #[tracing::instrument(skip_all)]
    pub async fn decide(
        &self,
        actor: &Actor,
        id: CommunityId,
        requester: PersonId,
        approve: bool,
    ) -> DomainResult<Option<Membership>> {
        let facilitator = policy::authorize(actor, Action::FacilitateCommunities)?.id;
        self.facilitating(actor, id).await?;
        let standing = self.standing_of(requester, id).await?;
        if !standing.requested {
            return Err(DomainError::invalid(
                "personId",
                "NOT_PENDING",
                "this person has not asked to join",
            ));
        }
        let now = self.clock.now();
        let told = Effects::raising(HubEvent::MembershipDecided {
            community: id,
            person: requester,
            approved: approve,
            by: facilitator,
            at: now,
        });
        if approve {
            let membership = self
                .repo
                .add_member(id, requester, Role::Member, now, &told)
                .await?;
            return Ok(Some(membership));
        }
        self.repo.remove_pending(id, requester, &told).await?;
        Ok(None)
    }

    /// Invites someone; they join by accepting (joining). Facilitators and owners.
    #[tracing::instrument(skip_all)]
    pub async fn invite(
        &self,
        actor: &Actor,
        id: CommunityId,
        invitee: PersonId,
    ) -> DomainResult<()> {
        let facilitator = policy::authorize(actor, Action::FacilitateCommunities)?.id;
        self.facilitating(actor, id).await?;
        if self.people.find_by_ids(&[invitee]).await?.is_empty() {
            return Err(DomainError::invalid(
                "personId",
                "NOT_FOUND",
                "no such person",
            ));
        }
        if self.standing_of(invitee, id).await?.is_member() {
            return Err(DomainError::invalid(
                "personId",
                "ALREADY_MEMBER",
                "this person is already a member",
            ));
        }
        let now = self.clock.now();
        let told = Effects::raising(HubEvent::Invited {
            community: id,
            person: invitee,
            by: facilitator,
            at: now,
        });
        self.repo
            .add_pending(id, invitee, PendingKind::Invitation, now, &told)
            .await
    }

    /// Changes a member's role. Facilitators move people between MEMBER and FACILITATOR; only
    /// owners make or unmake owners; the last owner stays.
    #[tracing::instrument(skip_all)]
    pub async fn set_role(
        &self,
        actor: &Actor,
        id: CommunityId,
        member: PersonId,
        role: Role,
    ) -> DomainResult<Membership> {
        let own = self.facilitating(actor, id).await?;
        let current = self.repo.membership(id, member).await?.ok_or_else(|| {
            DomainError::invalid("personId", "NOT_A_MEMBER", "this person is not a member")
        })?;
        let touches_owner = role == Role::Owner || current.role == Role::Owner;
        if touches_owner && own.role != Some(Role::Owner) {
            return Err(DomainError::Forbidden("only owners make or unmake owners"));
        }
        let membership = self.repo.set_role(id, member, role).await?;
        if role >= Role::Facilitator {
            self.award_facilitator(member).await?;
        }
        Ok(membership)
    }

    /// The Facilitator badge, awarded once, idempotently.
    pub(super) async fn award_facilitator(&self, person: PersonId) -> DomainResult<()> {
        let effects = self.badges.rules.facilitating(person, self.clock.now());
        self.badges.store.apply(&effects).await
    }
}
