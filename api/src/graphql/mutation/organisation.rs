//! Adding organisations (hub administrators; operators also have `khub org create`).

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::organisation::NewOrganisation;

use crate::graphql::context::HubContext;
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{Organisation, OrganisationKind};

/// An organisation to add.
#[derive(InputObject)]
pub struct CreateOrganisationInput {
    /// The URL-safe key, e.g. `leeds-city-council`.
    pub slug: String,
    /// The name shown to people.
    pub name: String,
    /// What kind of body it is.
    pub kind: OrganisationKind,
    /// E-mail domains whose holders join it on registering.
    pub verified_domains: Vec<String>,
}

/// The new organisation.
#[derive(SimpleObject)]
pub struct CreateOrganisationPayload {
    /// The organisation as it now stands.
    pub organisation: Option<Organisation>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Adds an organisation. Hub administrators only.
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The create organisation input; each of its fields is described on its type."
        )]
        input: CreateOrganisationInput,
    ) -> Result<CreateOrganisationPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match NewOrganisation::parse(
            &input.slug,
            &input.name,
            input.kind.into(),
            &input.verified_domains,
        ) {
            Ok(new) => hub.identity().create_organisation(actor, new).await,
            Err(invalid) => Err(invalid),
        };
        let (organisation, user_errors) = Outcome::of(result)?.split();
        Ok(CreateOrganisationPayload {
            organisation: organisation.map(Organisation),
            user_errors,
        })
    }
}
