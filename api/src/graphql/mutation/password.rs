//! Forgotten and changed passwords.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use khub_domain::access::Actor;
use khub_domain::identity::ClientInfo;

use super::session::AuthPayload;
use crate::graphql::context::HubContext;
use crate::graphql::payload::{Outcome, UserError};

/// Whose password to reset.
#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    /// The address the account was registered with.
    pub email: String,
}

/// Asked. The answer is the same whether or not the address has an account.
#[derive(SimpleObject)]
pub struct RequestPasswordResetPayload {
    /// Always true: if the address has an account, a link is on its way.
    pub requested: bool,
    /// Always empty.
    pub user_errors: Vec<UserError>,
}

/// A new password, with the token from a reset link.
#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The `token` of the reset link; it works once, for 30 minutes.
    pub token: String,
    /// 12 to 128 characters, not a common password and not easy to guess.
    pub new_password: String,
}

/// The current password and a new one.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The password in use now.
    pub current_password: String,
    /// 12 to 128 characters, not a common password and not easy to guess.
    pub new_password: String,
}

/// The password has changed.
#[derive(SimpleObject, Default)]
pub struct ChangePasswordPayload {
    /// True once the new password works and every other session has ended.
    pub changed: bool,
    /// Why the input was refused (nothing changed); empty on success.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct PasswordMutation;

#[Object]
impl PasswordMutation {
    /// E-mails a link that sets a new password, if the address has an account.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The request password reset input; each of its fields is described on its type."
        )]
        input: RequestPasswordResetInput,
    ) -> Result<RequestPasswordResetPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        let requested = identity
            .request_password_reset(&input.email, ctx.data::<ClientInfo>()?)
            .await;
        Outcome::of(requested)?;
        Ok(RequestPasswordResetPayload {
            requested: true,
            user_errors: Vec::new(),
        })
    }

    /// Sets a new password with a reset link's token: every session of the person ends, and
    /// they are signed in afresh.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reset password input; each of its fields is described on its type.")]
        input: ResetPasswordInput,
    ) -> Result<AuthPayload> {
        let identity = ctx.data::<HubContext>()?.identity();
        let signed_in = identity
            .reset_password(&input.token, &input.new_password, ctx.data::<ClientInfo>()?)
            .await;
        Ok(Outcome::of(signed_in)?.into())
    }

    /// Changes the viewer's password (signed-in sessions only); every other session of theirs
    /// ends. Wrong current passwords count towards the sign-in lock.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The change password input; each of its fields is described on its type."
        )]
        input: ChangePasswordInput,
    ) -> Result<ChangePasswordPayload> {
        let (hub, actor) = (ctx.data::<HubContext>()?, ctx.data::<Actor>()?);
        let changed = hub
            .identity()
            .change_password(actor, &input.current_password, &input.new_password)
            .await;
        let (changed, user_errors) = Outcome::of(changed)?.split();
        Ok(ChangePasswordPayload {
            changed: changed.is_some(),
            user_errors,
        })
    }
}
