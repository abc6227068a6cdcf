//! `updateCommunity`: an owner changes a community's settings after creating it.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::community::{AskedChanges, CommunityChanges, CommunityId};

use super::community::fresh;
use crate::graphql::context::HubContext;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{Community, CommunityVisibility, DiscussionMode};

/// New settings for a community; anything left out stays as it is.
#[derive(InputObject)]
pub struct UpdateCommunityInput {
    /// The community.
    pub community_id: ID,
    /// The name shown to people, 1–120 characters.
    pub name: Option<String>,
    /// What it is about, at most 2000 characters.
    pub description: Option<String>,
    /// Who may see it and its content; applies to every list, search and feed at once.
    pub visibility: Option<CommunityVisibility>,
    /// Whether members' posts wait for a facilitator's approval.
    pub discussion_mode: Option<DiscussionMode>,
    /// Endorsing organisations needed to promote a practice, 1–50.
    pub promotion_threshold: Option<i32>,
    /// Members' flags that hide a thread or post pending review, 1–100.
    pub flag_threshold: Option<i32>,
}

/// The community with its new settings.
#[derive(SimpleObject)]
pub struct UpdateCommunityPayload {
    /// The community as it now stands.
    pub community: Option<Community>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct CommunitySettingsMutation;

#[Object]
impl CommunitySettingsMutation {
    /// Changes a community's name, description, visibility, discussion mode or thresholds:
    /// its owners.
    async fn update_community(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The update community input; each of its fields is described on its type."
        )]
        input: UpdateCommunityInput,
    ) -> Result<UpdateCommunityPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let updated = async {
            let id = id::expect(NodeKind::Community, "communityId", &input.community_id)
                .map(CommunityId::from_uuid)?;
            let changes = CommunityChanges::parse(AskedChanges {
                name: input.name.as_deref(),
                description: input.description.as_deref(),
                visibility: input.visibility.map(Into::into),
                discussion_mode: input.discussion_mode.map(Into::into),
                promotion_threshold: input.promotion_threshold,
                flag_threshold: input.flag_threshold,
            })?;
            hub.communities().update(actor, id, changes).await
        };
        let (updated, user_errors) = Outcome::of(updated.await)?.split();
        let community = match updated {
            Some(updated) => fresh(ctx, updated.id).await?,
            None => None,
        };
        Ok(UpdateCommunityPayload {
            community,
            user_errors,
        })
    }
}
