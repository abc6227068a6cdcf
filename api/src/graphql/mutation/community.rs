//! Creating communities, joining and leaving, and facilitating membership.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::DomainResult;
use khub_domain::access::Actor;
use khub_domain::community::{CommunityId, JoinOutcome, NewCommunity};
use khub_domain::person::PersonId;

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{
    Community, CommunityMember, CommunityRole, CommunityVisibility, DiscussionMode,
};

/// A community to create.
#[derive(InputObject)]
pub struct CreateCommunityInput {
    /// The name shown to people.
    pub name: String,
    /// The URL-safe key, unique, e.g. `adult-social-care`.
    pub slug: String,
    /// What it is about (at most 2000 characters).
    #[graphql(default)]
    pub description: String,
    /// Who may see it and its content.
    pub visibility: CommunityVisibility,
    /// Whether members' posts wait for a facilitator's approval (default OPEN).
    #[graphql(default_with = "DiscussionMode::Open")]
    pub discussion_mode: DiscussionMode,
    /// Endorsing organisations needed to promote a practice (1–50, default 3).
    pub promotion_threshold: Option<i32>,
}

/// The new community; its creator is its owner.
#[derive(SimpleObject)]
pub struct CreateCommunityPayload {
    /// The community as it now stands.
    pub community: Option<Community>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The community to join.
#[derive(InputObject)]
pub struct JoinCommunityInput {
    /// The community.
    pub community_id: ID,
}

/// Joined, or asked to join.
#[derive(SimpleObject)]
pub struct JoinCommunityPayload {
    /// The community as it now stands.
    pub community: Option<Community>,
    /// The new membership, when joining took effect at once.
    pub membership: Option<CommunityMember>,
    /// True when a facilitator must first approve (RESTRICTED communities).
    pub requested: bool,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The community to leave (or whose request to withdraw).
#[derive(InputObject)]
pub struct LeaveCommunityInput {
    /// The community.
    pub community_id: ID,
}

/// The community left.
#[derive(SimpleObject)]
pub struct LeaveCommunityPayload {
    /// The community as it now stands.
    pub community: Option<Community>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// A facilitator's answer to a request to join.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum MembershipDecision {
    /// Make them a member.
    Approve,
    /// Turn the request down.
    Reject,
}

/// A decision on a request to join.
#[derive(InputObject)]
pub struct DecideMembershipInput {
    /// The community.
    pub community_id: ID,
    /// The person.
    pub person_id: ID,
    /// Approve or reject.
    pub decision: MembershipDecision,
}

/// The membership, if approved.
#[derive(SimpleObject)]
pub struct DecideMembershipPayload {
    /// The membership as it now stands.
    pub membership: Option<CommunityMember>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// Whom to invite.
#[derive(InputObject)]
pub struct InviteToCommunityInput {
    /// The community.
    pub community_id: ID,
    /// The person.
    pub person_id: ID,
}

/// The invitation was recorded; the invitee accepts by joining.
#[derive(SimpleObject)]
pub struct InviteToCommunityPayload {
    /// True: the invitation was recorded.
    pub invited: bool,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// A role to give a member.
#[derive(InputObject)]
pub struct SetMemberRoleInput {
    /// The community.
    pub community_id: ID,
    /// The person.
    pub person_id: ID,
    /// The role to give.
    pub role: CommunityRole,
}

/// The member's new role.
#[derive(SimpleObject)]
pub struct SetMemberRolePayload {
    /// The membership as it now stands.
    pub membership: Option<CommunityMember>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct CommunityMutation;

#[Object]
impl CommunityMutation {
    /// Creates a community; the viewer becomes its owner.
    async fn create_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The create community input; each of its fields is described on its type."
        )]
        input: CreateCommunityInput,
    ) -> Result<CreateCommunityPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let parsed = NewCommunity::parse(
            &input.slug,
            &input.name,
            &input.description,
            input.visibility.into(),
            input.discussion_mode.into(),
            input.promotion_threshold,
        );
        let result = match parsed {
            Ok(new) => hub.communities().create(actor, new).await,
            Err(invalid) => Err(invalid),
        };
        let (created, user_errors) = Outcome::of(result)?.split();
        let community = match created {
            Some(created) => fresh(ctx, created.id).await?,
            None => None,
        };
        Ok(CreateCommunityPayload {
            community,
            user_errors,
        })
    }

    /// Joins an OPEN community (or one the viewer was invited to), or asks to join a
    /// RESTRICTED one.
    async fn join_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The join community input; each of its fields is described on its type.")]
        input: JoinCommunityInput,
    ) -> Result<JoinCommunityPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = community_id(&input.community_id).map_err(ApiError)?;
        let (outcome, user_errors) = Outcome::of(hub.communities().join(actor, id).await)?.split();
        let (membership, requested) = match outcome {
            Some(JoinOutcome::Joined(membership)) => (Some(CommunityMember(membership)), false),
            Some(JoinOutcome::Requested) => (None, true),
            None => (None, false),
        };
        Ok(JoinCommunityPayload {
            community: fresh(ctx, id).await?,
            membership,
            requested,
            user_errors,
        })
    }

    /// Leaves a community, or withdraws a request or invitation. The last owner cannot leave.
    async fn leave_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The leave community input; each of its fields is described on its type."
        )]
        input: LeaveCommunityInput,
    ) -> Result<LeaveCommunityPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = community_id(&input.community_id).map_err(ApiError)?;
        let (left, user_errors) = Outcome::of(hub.communities().leave(actor, id).await)?.split();
        // After leaving a PRIVATE community the viewer can no longer see it.
        let community = match left {
            Some(_) => fresh(ctx, id).await?,
            None => None,
        };
        Ok(LeaveCommunityPayload {
            community,
            user_errors,
        })
    }

    /// Approves or rejects a request to join: the community's facilitators and owners.
    async fn decide_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The decide membership input; each of its fields is described on its type."
        )]
        input: DecideMembershipInput,
    ) -> Result<DecideMembershipPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = community_id(&input.community_id).map_err(ApiError)?;
        let approve = input.decision == MembershipDecision::Approve;
        let result = match person_id(&input.person_id) {
            Ok(person) => hub.communities().decide(actor, id, person, approve).await,
            Err(invalid) => Err(invalid),
        };
        let (membership, user_errors) = Outcome::of(result)?.split();
        Ok(DecideMembershipPayload {
            membership: membership.flatten().map(CommunityMember),
            user_errors,
        })
    }

    /// Invites someone to a community: its facilitators and owners.
    async fn invite_to_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The invite to community input; each of its fields is described on its type."
        )]
        input: InviteToCommunityInput,
    ) -> Result<InviteToCommunityPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = community_id(&input.community_id).map_err(ApiError)?;
        let result = match person_id(&input.person_id) {
            Ok(person) => hub.communities().invite(actor, id, person).await,
            Err(invalid) => Err(invalid),
        };
        let (invited, user_errors) = Outcome::of(result)?.split();
        Ok(InviteToCommunityPayload {
            invited: invited.is_some(),
            user_errors,
        })
    }

    /// Changes a member's role. Only owners make or unmake owners; a community keeps an owner.
    async fn set_member_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The set member role input; each of its fields is described on its type."
        )]
        input: SetMemberRoleInput,
    ) -> Result<SetMemberRolePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let id = community_id(&input.community_id).map_err(ApiError)?;
        let result = match person_id(&input.person_id) {
            Ok(person) => {
                hub.communities()
                    .set_role(actor, id, person, input.role.into())
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (membership, user_errors) = Outcome::of(result)?.split();
        Ok(SetMemberRolePayload {
            membership: membership.map(CommunityMember),
            user_errors,
        })
    }
}

/// A community id that does not decode reads as a community that does not exist.
/// The community a mutation's `communityId` names; shared by every mutation that takes one.
pub(super) fn community_id(global: &str) -> DomainResult<CommunityId> {
    id::expect(NodeKind::Community, "communityId", global).map(CommunityId::from_uuid)
}

fn person_id(global: &str) -> DomainResult<PersonId> {
    id::expect(NodeKind::Person, "personId", global).map(PersonId::from_uuid)
}

/// The community as the viewer now sees it.
pub(super) async fn fresh(ctx: &Context<'_>, id: CommunityId) -> Result<Option<Community>> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let found = hub
        .communities()
        .visible(actor, &[id])
        .await
        .map_err(ApiError)?
        .pop();
    Ok(found.map(|(community, standing)| Community {
        community,
        standing,
    }))
}
