//! Forgotten and changed passwords. A reset link works once, for 30 minutes, and ends every
//! session of its person; a change needs the current password and ends the person's other
//! sessions.

use std::time::Duration;

use uuid::Uuid;

use super::messages::{self, RESET_PASSWORD_PATH};
use super::signin::wrong_credentials;
use super::{ClientInfo, Identity, SignedIn};
use crate::access::Actor;
use crate::error::{DomainError, DomainResult, FieldError};
use crate::password::NewPassword;
use crate::person::{Person, PersonId};
use crate::policy::{self, Action};

const RESET_LIFETIME: Duration = Duration::from_secs(30 * 60);

impl Identity {
    /// Mails a reset link if the address has an account; answers the same either way.
    #[tracing::instrument(skip_all)]
    pub async fn request_password_reset(
        &self,
        email: &str,
        client: &ClientInfo,
    ) -> DomainResult<()> {
        self.spend_address_attempt(client).await?;
        let email = email.trim().to_lowercase();
        let Some(person) = self.people().find_by_email(&email).await? else {
            return Ok(());
        };
        let token = self.ports.secrets.generate();
        self.ports
            .sessions
            .put(
                &reset_key(&self.ports.secrets.digest(&token)),
                &person.id.to_string(),
                RESET_LIFETIME,
            )
            .await?;
        let link = self.link(RESET_PASSWORD_PATH, Some(&token));
        let mail = messages::reset_password(&person.email, &person.handle, &link);
        self.ports.mailer.send(&mail).await
    }

    /// Sets a new password with a reset link's token, ends every session of its person, and
    /// signs them in afresh. A refused password leaves the token working.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
        client: &ClientInfo,
    ) -> DomainResult<SignedIn> {
        let key = reset_key(&self.ports.secrets.digest(token.trim()));
        let person = self.ports.sessions.get(&key).await?;
        let person = match person.and_then(|raw| Uuid::parse_str(&raw).ok()) {
            Some(id) => self
                .people()
                .find_by_ids(&[PersonId::from_uuid(id)])
                .await?
                .pop(),
            None => None,
        };
        let person = person.ok_or_else(wrong_token)?;
        let password = self.new_password("newPassword", new_password, &person)?;
        if self.ports.sessions.take(&key).await?.is_none() {
            return Err(wrong_token());
        }
        self.set_password(&person, &password).await?;
        self.end_sessions_of(person.id, None).await?;
        self.forget_failed_sign_ins(&person.email).await?;
        self.start_session(person, client).await
    }

    /// Changes the caller's password; needs the current one (and is throttled like signing
    /// in). Every other session of theirs ends.
    #[tracing::instrument(skip_all)]
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new_password: &str,
    ) -> DomainResult<()> {
        let person = policy::authorize(actor, Action::ManageOwnSession)?;
        if actor.session_id().is_none() {
            return Err(DomainError::Forbidden(
                "only a signed-in person may change their password",
            ));
        }
        let password = self.new_password("newPassword", new_password, person)?;
        self.check_account_lock(&person.email).await?;
        if self.check_password(&person.email, current).await?.is_none() {
            self.note_failed_sign_in(&person.email).await?;
            return Err(wrong_credentials("currentPassword"));
        }
        self.set_password(person, &password).await?;
        self.end_sessions_of(person.id, actor.session_id()).await?;
        Ok(())
    }

    fn new_password(&self, field: &str, raw: &str, person: &Person) -> DomainResult<NewPassword> {
        let context = [
            person.email.as_str(),
            person.handle.as_str(),
            person.display_name.as_str(),
        ];
        NewPassword::parse(field, raw, self.password_screen(), &context)
            .map_err(|error| DomainError::Invalid(vec![error]))
    }

    async fn set_password(&self, person: &Person, password: &NewPassword) -> DomainResult<()> {
        let hash = self.ports.passwords.hash(password.as_str()).await?;
        self.people().set_password_hash(person.id, &hash).await
    }
}

fn reset_key(digest: &str) -> String {
    format!("password-reset:{digest}")
}

fn wrong_token() -> DomainError {
    DomainError::Invalid(vec![FieldError::new(
        "token",
        "INVALID_TOKEN",
        "this reset link is wrong, used or expired; ask for a new one",
    )])
}
