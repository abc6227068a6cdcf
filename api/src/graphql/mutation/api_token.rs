//! Creating and revoking API tokens for partner systems.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use khub_domain::DomainError;
use khub_domain::access::{Actor, Scope};
use khub_domain::api_token::{ApiTokenId, TokenRequest};
use khub_domain::organisation::OrganisationId;

use crate::graphql::context::HubContext;
use crate::graphql::id::{self, NodeKind};
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::{ApiToken, ApiTokenScope};

/// A token to create.
#[derive(InputObject)]
pub struct CreateApiTokenInput {
    /// What it is for, 1 to 100 characters.
    pub name: String,
    /// What it may do; a token never does more than its owner may.
    pub scopes: Vec<ApiTokenScope>,
    /// When it stops working; never, if omitted.
    pub expires_at: Option<DateTime<Utc>>,
    /// Create it on behalf of this organisation (its administrators only).
    pub organisation_id: Option<ID>,
}

/// The new token and its secret.
#[derive(SimpleObject)]
pub struct CreateApiTokenPayload {
    /// The API token.
    pub api_token: Option<ApiToken>,
    /// The secret for `Authorization: Bearer`: shown this once and never again.
    pub secret: Option<String>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// The token to revoke.
#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    /// The API token.
    pub api_token_id: ID,
}

/// The revoked token.
#[derive(SimpleObject)]
pub struct RevokeApiTokenPayload {
    /// The API token.
    pub api_token: Option<ApiToken>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

/// Documents a token may run.
#[derive(InputObject)]
pub struct RegisterTrustedDocumentsInput {
    /// The API token (its owner's, or an organisation's for its administrators).
    pub api_token_id: ID,
    /// GraphQL documents, each registered under its SHA-256 (registering one again changes
    /// nothing); at most 100 at once.
    pub documents: Vec<String>,
    /// From now on, run only registered documents (true) or any (false); omitted: unchanged.
    pub trusted_documents_only: Option<bool>,
}

/// The token and its registered documents' hashes.
#[derive(SimpleObject)]
pub struct RegisterTrustedDocumentsPayload {
    /// The API token.
    pub api_token: Option<ApiToken>,
    /// Each document's SHA-256 (lowercase hex), in the order given: send it as
    /// `extensions.persistedQuery.sha256Hash` instead of the document.
    pub hashes: Vec<String>,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct ApiTokenMutation;

#[Object]
impl ApiTokenMutation {
    /// Creates an API token for the viewer (or their organisation). Needs a signed-in session.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The create api token input; each of its fields is described on its type."
        )]
        input: CreateApiTokenInput,
    ) -> Result<CreateApiTokenPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let identity = hub.identity();
        let result = match token_request(&input, hub) {
            Ok(request) => identity.create_api_token(actor, request).await,
            Err(invalid) => Err(invalid),
        };
        let (issued, user_errors) = Outcome::of(result)?.split();
        let (api_token, secret) = match issued {
            Some(issued) => (Some(ApiToken(issued.token)), Some(issued.secret)),
            None => (None, None),
        };
        Ok(CreateApiTokenPayload {
            api_token,
            secret,
            user_errors,
        })
    }

    /// Registers documents an API token may run and, with `trustedDocumentsOnly`, restricts it
    /// to them: a leaked token then runs nothing else. Needs a signed-in session.
    async fn register_trusted_documents(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The documents to register; each field is described on its type.")]
        input: RegisterTrustedDocumentsInput,
    ) -> Result<RegisterTrustedDocumentsPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match id::expect(NodeKind::ApiToken, "apiTokenId", &input.api_token_id) {
            Ok(uuid) => {
                let token = ApiTokenId::from_uuid(uuid);
                let only = input.trusted_documents_only;
                hub.identity()
                    .register_trusted_documents(actor, token, &input.documents, only, parses)
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (registered, user_errors) = Outcome::of(result)?.split();
        let (api_token, hashes) = match registered {
            Some((token, hashes)) => (
                Some(ApiToken(token)),
                hashes.iter().map(|h| h.as_str().to_owned()).collect(),
            ),
            None => (None, Vec::new()),
        };
        Ok(RegisterTrustedDocumentsPayload {
            api_token,
            hashes,
            user_errors,
        })
    }

    /// Revokes a token; it stops working on its next request.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The revoke api token input; each of its fields is described on its type."
        )]
        input: RevokeApiTokenInput,
    ) -> Result<RevokeApiTokenPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let result = match id::expect(NodeKind::ApiToken, "apiTokenId", &input.api_token_id) {
            Ok(uuid) => {
                hub.identity()
                    .revoke_api_token(actor, ApiTokenId::from_uuid(uuid))
                    .await
            }
            Err(invalid) => Err(invalid),
        };
        let (token, user_errors) = Outcome::of(result)?.split();
        Ok(RevokeApiTokenPayload {
            api_token: token.map(ApiToken),
            user_errors,
        })
    }
}

fn token_request(
    input: &CreateApiTokenInput,
    hub: &HubContext,
) -> Result<TokenRequest, DomainError> {
    let organisation = match &input.organisation_id {
        Some(global) => Some(
            id::expect(NodeKind::Organisation, "organisationId", global)
                .map(OrganisationId::from_uuid)?,
        ),
        None => None,
    };
    let scopes: Vec<String> = input
        .scopes
        .iter()
        .map(|s| Scope::from(*s).as_str().to_owned())
        .collect();
    TokenRequest::parse(
        &input.name,
        &scopes,
        input.expires_at,
        organisation,
        hub.identity().now(),
    )
}

/// Whether `document` is GraphQL the hub could run (its syntax; fields are checked when run).
fn parses(document: &str) -> Result<(), String> {
    async_graphql::parser::parse_query(document)
        .map(drop)
        .map_err(|error| format!("is not a GraphQL document: {error}"))
}
