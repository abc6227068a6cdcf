//! Letting an organisation's API tokens into a community, and out again.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::organisation::{Organisation, OrganisationId};
use khub_domain::{DomainError, DomainResult};

use super::community::community_id;
use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::CommunityMember;

/// Which organisation's tokens to let into which community.
#[derive(InputObject)]
pub struct GrantOrganisationAccessInput {
    /// The community, which the viewer owns.
    pub community_id: ID,
    /// The organisation whose API tokens may read and take part.
    pub organisation_id: ID,
}

/// Which organisation's tokens to shut out of which community.
#[derive(InputObject)]
pub struct RevokeOrganisationAccessInput {
    /// The community, which the viewer owns.
    pub community_id: ID,
    /// The organisation whose API tokens lose their access.
    pub organisation_id: ID,
}

/// The organisation's service identity is now a member.
#[derive(SimpleObject)]
pub struct GrantOrganisationAccessPayload {
    /// The membership its tokens act with.
    pub member: Option<CommunityMember>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The organisation's tokens no longer reach the community's content.
#[derive(SimpleObject)]
pub struct RevokeOrganisationAccessPayload {
    /// True once its service identity is no longer a member.
    pub revoked: bool,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct OrganisationAccessMutation;

#[Object]
impl OrganisationAccessMutation {
    /// Lets an organisation's API tokens read and take part in a community (owners only):
    /// the tokens act as the organisation's service identity, which becomes a MEMBER.
    async fn grant_organisation_access(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The grant organisation access input; each of its fields is described on its type."
        )]
        input: GrantOrganisationAccessInput,
    ) -> Result<GrantOrganisationAccessPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let community = community_id(&input.community_id).map_err(ApiError)?;
        let result = match organisation(hub, &input.organisation_id).await {
            Ok(organisation) => {
                hub.communities()
                    .grant_organisation_access(actor, community, &organisation)
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (member, user_errors) = Outcome::of(result)?.split();
        Ok(GrantOrganisationAccessPayload {
            member: member.map(CommunityMember),
            user_errors,
        })
    }

    /// Takes an organisation's access to a community away again (owners only).
    async fn revoke_organisation_access(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The revoke organisation access input; each of its fields is described on its type."
        )]
        input: RevokeOrganisationAccessInput,
    ) -> Result<RevokeOrganisationAccessPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let community = community_id(&input.community_id).map_err(ApiError)?;
        let result = match organisation(hub, &input.organisation_id).await {
            Ok(organisation) => {
                hub.communities()
                    .revoke_organisation_access(actor, community, &organisation)
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (revoked, user_errors) = Outcome::of(result)?.split();
        Ok(RevokeOrganisationAccessPayload {
            revoked: revoked.is_some(),
            user_errors,
        })
    }
}

async fn organisation(hub: &HubContext, global: &str) -> DomainResult<Organisation> {
    let missing = || DomainError::invalid("organisationId", "NOT_FOUND", "no such organisation");
    let id = id::expect(NodeKind::Organisation, "organisationId", global)
        .map(OrganisationId::from_uuid)?;
    hub.organisations()
        .find_by_ids(&[id])
        .await?
        .pop()
        .ok_or_else(missing)
}
