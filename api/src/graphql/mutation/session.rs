//! Signing in, refreshing, signing out, and ending one's sessions.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use khub_domain::access::Actor;
use khub_domain::identity::{ClientInfo, SignedIn};

use crate::graphql::context::HubContext;
use crate::graphql::error::ApiError;
use crate::graphql::payload::{Outcome, UserError};
use crate::graphql::types::Person;

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

impl AuthPayload {
    /// No credentials, for these reasons.
    pub fn refused(user_errors: Vec<UserError>) -> Self {
        Self {
            user_errors,
            ..Self::default()
        }
    }
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

/// Which of the viewer's sessions to end.
#[derive(InputObject)]
pub struct EndSessionInput {
    /// A session's id, from `viewer.sessions`.
    pub session_id: ID,
}

/// The session has ended.
#[derive(SimpleObject)]
pub struct LogoutPayload {
    /// True once the session's tokens no longer work.
    pub logged_out: bool,
    /// Always empty: signing out cannot be refused for bad input.
    pub user_errors: Vec<UserError>,
}

/// Sessions ended.
#[derive(SimpleObject)]
pub struct EndSessionsPayload {
    /// How many sessions ended; their tokens no longer work and their websockets are closed.
    pub ended: i32,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct SessionMutation;

#[Object]
impl SessionMutation {
    /// Signs in. A wrong e-mail address and a wrong password are told apart by nobody.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The login input; each of its fields is described on its type.")]
        input: LoginInput,
    ) -> Result<AuthPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        let client = ctx.data::<ClientInfo>()?;
        let signed_in = identity.login(&input.email, &input.password, client).await;
        Ok(Outcome::of(signed_in)?.into())
    }

    /// Exchanges a refresh token for new credentials. Each refresh token works once; using one
    /// again ends its session.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The refresh session input; each of its fields is described on its type."
        )]
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

    /// Ends one of the viewer's sessions (another device, or this one) at once.
    async fn end_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The end session input; each of its fields is described on its type.")]
        input: EndSessionInput,
    ) -> Result<EndSessionsPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        hub.identity()
            .end_session(actor, input.session_id.as_str())
            .await
            .map_err(ApiError)?;
        Ok(EndSessionsPayload {
            ended: 1,
            user_errors: Vec::new(),
        })
    }

    /// Ends every session of the viewer's but the one asking.
    async fn end_other_sessions(&self, ctx: &Context<'_>) -> Result<EndSessionsPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let ended = hub
            .identity()
            .end_other_sessions(actor)
            .await
            .map_err(ApiError)?;
        Ok(EndSessionsPayload {
            ended: i32::try_from(ended).unwrap_or(i32::MAX),
            user_errors: Vec::new(),
        })
    }
}
