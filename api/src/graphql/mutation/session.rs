//! Joining, signing in, refreshing and signing out.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::identity::SignedIn;
use khub_domain::person::Registration;

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::Person;

/// What someone gives to join the hub.
#[derive(InputObject)]
pub struct RegisterInput {
    /// Their work e-mail address; one on a verified domain joins its organisation.
    pub email: String,
    /// 12 to 128 characters.
    pub password: String,
    /// The name shown to others, 1 to 100 characters.
    pub display_name: String,
    /// 3 to 30 letters, digits, `_` or `-`; what others @mention.
    pub handle: String,
}

/// E-mail address and password.
#[derive(InputObject)]
pub struct LoginInput {
    /// The e-mail address signed up with.
    pub email: String,
    /// The password.
    pub password: String,
}

/// A refresh token from an earlier `AuthPayload`.
#[derive(InputObject)]
pub struct RefreshSessionInput {
    /// The refresh token from the last sign-in or refresh.
    pub refresh_token: String,
}

/// New credentials, or why there are none.
#[derive(SimpleObject, Default)]
pub struct AuthPayload {
    /// A short-lived JWT for `Authorization: Bearer`.
    pub access_token: Option<String>,
    /// An opaque token for `refreshSession`; it changes on every use.
    pub refresh_token: Option<String>,
    /// When the access token expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// The signed-in person.
    pub person: Option<Person>,
    /// Rules the input broke; empty on success.
    pub user_errors: Vec<UserError>,
}

impl From<Outcome<SignedIn>> for AuthPayload {
    fn from(outcome: Outcome<SignedIn>) -> Self {
        match outcome.split() {
            (Some(signed_in), _) => Self {
                access_token: Some(signed_in.access_token),
                refresh_token: Some(signed_in.refresh_token),
                expires_at: Some(signed_in.expires_at),
                person: Some(Person(signed_in.person)),
                user_errors: Vec::new(),
            },
            (None, user_errors) => Self {
                user_errors,
                ..Self::default()
            },
        }
    }
}

/// The session has ended.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// True once the session's tokens no longer work.
    pub logged_out: bool,
    /// Always empty: signing out cannot be refused for bad input.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Joins the hub and signs in.
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> Result<AuthPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        let result = match Registration::parse(
            &input.email,
            &input.password,
            &input.display_name,
            &input.handle,
        ) {
            Ok(registration) => identity.register(registration).await,
            Err(invalid) => Err(invalid),
        };
        Ok(Outcome::of(result)?.into())
    }

    /// Signs in. A wrong e-mail address and a wrong password are told apart by nobody.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        Ok(Outcome::of(identity.login(&input.email, &input.password).await)?.into())
    }

    /// Exchanges a refresh token for new credentials. Each refresh token works once; using one
    /// again ends its session.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        input: RefreshSessionInput,
    ) -> Result<AuthPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        Ok(Outcome::of(identity.refresh(&input.refresh_token).await)?.into())
    }

    /// Ends the current session at once: its access and refresh tokens stop working.
    async fn logout(&self, ctx: &Context<'_>) -> Result<LogoutPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        hub.identity().logout(actor).await.map_err(ApiError)?;
        Ok(LogoutPayload {
            logged_out: true,
            user_errors: Vec::new(),
        })
    }
}
