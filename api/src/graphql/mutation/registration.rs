//! Joining the hub, e-mail first: `register` mails a code and a link, `confirmEmail` proves
//! the address and signs in, `resendConfirmation` mails a fresh code.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use khub_domain::FieldError;
use khub_domain::identity::{ClientInfo, ConfirmationSent, EmailConfirmation, RegistrationForm};

use super::session::AuthPayload;
use crate::graphql::context::HubContext;
use crate::graphql::payload::{Outcome, UserError};

/// What someone gives to join the hub.
#[derive(InputObject)]
pub struct RegisterInput {
    /// Their work e-mail address; one on a verified domain joins its organisation once proved.
    pub email: String,
    /// 12 to 128 characters, not a common password and not easy to guess.
    pub password: String,
    /// The name shown to others, 1 to 100 characters.
    pub display_name: String,
    /// 3 to 30 letters, digits, `_` or `-`; what others @mention.
    pub handle: String,
}

/// The address to prove: with the code from the message, or with its link's token.
#[derive(InputObject)]
pub struct ConfirmEmailInput {
    /// The address registered (with `code`).
    pub email: Option<String>,
    /// The six-digit code from the message (with `email`).
    pub code: Option<String>,
    /// The `token` of the message's link (instead of `email` and `code`).
    pub token: Option<String>,
}

/// Whose code to mail again.
#[derive(InputObject)]
pub struct ResendConfirmationInput {
    /// The address registered.
    pub email: String,
}

/// A code was mailed, if there was anything to confirm. The answer is the same whether or not
/// the address already has an account (its owner is told by e-mail instead).
#[derive(SimpleObject, Default)]
pub struct RegisterPayload {
    /// The address the code went to, as the hub will use it.
    pub email: Option<String>,
    /// When the code mailed now stops working.
    pub code_expires_at: Option<DateTime<Utc>>,
    /// Rules the input broke (nothing was sent); empty on success.
    pub user_errors: Vec<UserError>,
}

impl From<Outcome<ConfirmationSent>> for RegisterPayload {
    fn from(outcome: Outcome<ConfirmationSent>) -> Self {
        match outcome.split() {
            (Some(sent), _) => Self {
                email: Some(sent.email),
                code_expires_at: Some(sent.expires_at),
                user_errors: Vec::new(),
            },
            (None, user_errors) => Self {
                user_errors,
                ..Self::default()
            },
        }
    }
}

#[derive(Default)]
pub struct RegistrationMutation;

#[Object]
impl RegistrationMutation {
    /// Starts joining the hub: checks the input and e-mails a single-use code and link that
    /// prove the address (30 minutes; 5 wrong codes void it). Signs nobody in: see
    /// `confirmEmail`. In the embedded hub the message is an `.eml` file whose path it logs.
    async fn register(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The register input; each of its fields is described on its type.")] input: RegisterInput,
    ) -> Result<RegisterPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        let form = RegistrationForm {
            email: input.email,
            password: input.password,
            display_name: input.display_name,
            handle: input.handle,
        };
        let sent = identity.register(form, ctx.data::<ClientInfo>()?).await;
        Ok(Outcome::of(sent)?.into())
    }

    /// Proves the address with the code or the link's token: the person is created (joining
    /// the organisation that verified the address's domain) and signed in.
    async fn confirm_email(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The confirm email input; each of its fields is described on its type.")]
        input: ConfirmEmailInput,
    ) -> Result<AuthPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        let confirmation = match (input.email, input.code, input.token) {
            (_, _, Some(token)) => EmailConfirmation::Link { token },
            (Some(email), Some(code), None) => EmailConfirmation::Code { email, code },
            _ => return Ok(AuthPayload::refused(vec![missing_proof()])),
        };
        let signed_in = identity
            .confirm_email(confirmation, ctx.data::<ClientInfo>()?)
            .await;
        Ok(Outcome::of(signed_in)?.into())
    }

    /// Mails a fresh code and link for a registration not yet confirmed (at most one a
    /// minute). Answers the same whether or not there is one.
    async fn resend_confirmation(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The resend confirmation input; each of its fields is described on its type."
        )]
        input: ResendConfirmationInput,
    ) -> Result<RegisterPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        let sent = identity
            .resend_confirmation(&input.email, ctx.data::<ClientInfo>()?)
            .await;
        Ok(Outcome::of(sent)?.into())
    }
}

fn missing_proof() -> UserError {
    FieldError::new(
        "code",
        "REQUIRED",
        "give the e-mail address and its code, or the link's token",
    )
    .into()
}
