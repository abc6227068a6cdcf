//! Editing one's profile and following people.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::person::{PersonId, ProfileChanges};

use crate::graphql::context::HubContext;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::Person;

/// Profile fields to change; omitted fields stay as they are, an empty string clears one.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// The name shown to others.
    pub display_name: Option<String>,
    /// Their role at work; an empty string clears it.
    pub job_title: Option<String>,
    /// A short introduction; an empty string clears it.
    pub bio: Option<String>,
    /// Where they work, e.g. a region; an empty string clears it.
    pub area: Option<String>,
    /// Replaces all interests (at most 30, each up to 40 characters).
    pub interests: Option<Vec<String>>,
}

/// The updated profile.
#[derive(SimpleObject)]
pub struct UpdateProfilePayload {
    /// The person as they now stand.
    pub person: Option<Person>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// Whom to follow.
#[derive(InputObject)]
pub struct FollowPersonInput {
    /// The person.
    pub person_id: ID,
}

/// Whom to stop following.
#[derive(InputObject)]
pub struct UnfollowPersonInput {
    /// The person.
    pub person_id: ID,
}

/// The person followed.
#[derive(SimpleObject)]
pub struct FollowPersonPayload {
    /// The person as they now stand.
    pub person: Option<Person>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The person no longer followed.
#[derive(SimpleObject)]
pub struct UnfollowPersonPayload {
    /// The person as they now stand.
    pub person: Option<Person>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct ProfileMutation;

#[Object]
impl ProfileMutation {
    /// Changes the viewer's own profile.
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The update profile input; each of its fields is described on its type.")]
        input: UpdateProfileInput,
    ) -> Result<UpdateProfilePayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let changes = ProfileChanges {
            display_name: input.display_name,
            job_title: input.job_title,
            bio: input.bio,
            area: input.area,
            interests: input.interests,
        };
        let (person, user_errors) =
            Outcome::of(hub.identity().update_profile(actor, changes).await)?.split();
        Ok(UpdateProfilePayload {
            person: person.map(Person),
            user_errors,
        })
    }

    /// Follows someone, to hear of what they share. Following twice changes nothing.
    async fn follow_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The follow person input; each of its fields is described on its type.")]
        input: FollowPersonInput,
    ) -> Result<FollowPersonPayload> {
        let (person, user_errors) = set_following(ctx, &input.person_id, true).await?;
        Ok(FollowPersonPayload {
            person,
            user_errors,
        })
    }

    /// Stops following someone.
    async fn unfollow_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The unfollow person input; each of its fields is described on its type."
        )]
        input: UnfollowPersonInput,
    ) -> Result<UnfollowPersonPayload> {
        let (person, user_errors) = set_following(ctx, &input.person_id, false).await?;
        Ok(UnfollowPersonPayload {
            person,
            user_errors,
        })
    }
}

async fn set_following(
    ctx: &Context<'_>,
    person_id: &str,
    follow: bool,
) -> Result<(Option<Person>, Vec<UserError>)> {
    let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
    let result = match id::expect(NodeKind::Person, "personId", person_id) {
        Ok(uuid) => {
            hub.identity()
                .set_following(actor, PersonId::from_uuid(uuid), follow)
                .await
        }
        Err(invalid) => Err(invalid),
    };
    let (person, user_errors) = Outcome::of(result)?.split();
    Ok((person.map(Person), user_errors))
}
