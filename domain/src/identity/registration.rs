//! Joining the hub, e-mail first (as GOV.UK One Login): `register` checks what was typed and
//! mails a code and a link; nobody exists, acts or counts for an organisation until
//! `confirm_email` proves the address. `register` answers an address that already has an
//! account exactly as any other, and mails its owner instead, so it tells nobody who has one.
//!
//! A pending registration lives in the session store: `registration:{digest of address}` (the
//! details, the password already hashed, the code's digest; gone after 24 hours),
//! `registration-link:{digest of link token}` (the address's digest, for 30 minutes) and
//! `registration-failures:{digest of address}` (wrong codes).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::messages::{self, CONFIRM_EMAIL_PATH, RESET_PASSWORD_PATH, SIGN_IN_PATH};
use super::{ClientInfo, Identity, SignedIn, chrono_duration};
use crate::error::{DomainError, DomainResult, FieldError};
use crate::person::{NewPerson, Registration, email_domain};

/// How long a code and a link work.
const CODE_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// How long an unconfirmed registration is kept at all.
const REGISTRATION_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Wrong codes that void a registration's code.
const WRONG_CODES: u64 = 5;
/// Codes mailed for one registration, the first included.
const MOST_SENDS: u32 = 5;
/// The shortest wait between two codes mailed to one address.
const RESEND_INTERVAL: Duration = Duration::from_secs(60);
const CODE_DIGITS: u32 = 6;

/// What someone typed into the registration form, unchecked.
#[derive(Debug, Clone)]
pub struct RegistrationForm {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub handle: String,
}

/// How someone proves their address: the code from the message with the address, or the
/// token from its link.
#[derive(Debug, Clone)]
pub enum EmailConfirmation {
    Code { email: String, code: String },
    Link { token: String },
}

/// The answer to `register` and `resend_confirmation`, the same whoever asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationSent {
    /// The address, as the hub will use it (trimmed, lowercase).
    pub email: String,
    /// When a code mailed now stops working.
    pub expires_at: DateTime<Utc>,
}

/// A registration waiting for its address to be proved.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    email: String,
    handle: String,
    display_name: String,
    password_hash: String,
    code_digest: String,
    code_expires_at: DateTime<Utc>,
    sends: u32,
}

impl Identity {
    /// Checks the form and mails a code and a link to the address; signs nobody in.
    #[tracing::instrument(skip_all)]
    pub async fn register(
        &self,
        form: RegistrationForm,
        client: &ClientInfo,
    ) -> DomainResult<ConfirmationSent> {
        self.spend_address_attempt(client).await?;
        let registration = Registration::parse(
            &form.email,
            &form.password,
            &form.display_name,
            &form.handle,
            self.password_screen(),
        )?;
        if self
            .people()
            .find_by_handle(&registration.handle)
            .await?
            .is_some()
        {
            return Err(DomainError::invalid(
                "handle",
                "TAKEN",
                "this handle is taken",
            ));
        }
        // Hashed whether or not the address has an account, so both answers take as long.
        let password_hash = self
            .ports
            .passwords
            .hash(registration.password.as_str())
            .await?;
        let email = registration.email.clone();
        if self.people().find_by_email(&email).await?.is_some() {
            let mail = messages::already_registered(
                &email,
                &self.link(SIGN_IN_PATH, None),
                &self.link(RESET_PASSWORD_PATH, None),
            );
            self.ports.mailer.send(&mail).await?;
            return Ok(self.sent(email));
        }
        let pending = Pending {
            email: registration.email,
            handle: registration.handle,
            display_name: registration.display_name,
            password_hash,
            code_digest: String::new(),
            code_expires_at: self.now(),
            sends: 0,
        };
        self.mail_code(pending).await?;
        Ok(self.sent(email))
    }

    /// Mails a fresh code and link for a pending registration, throttled per address. An
    /// address with no pending registration gets the same answer and no message.
    #[tracing::instrument(skip_all)]
    pub async fn resend_confirmation(
        &self,
        email: &str,
        client: &ClientInfo,
    ) -> DomainResult<ConfirmationSent> {
        self.spend_address_attempt(client).await?;
        let email = email.trim().to_lowercase();
        let address = self.ports.secrets.digest(&email);
        let (asked, left) = self
            .ports
            .sessions
            .increment(
                &format!("registration-resent:{address}"),
                1,
                RESEND_INTERVAL,
            )
            .await?;
        if asked > 1 {
            return Err(DomainError::Throttled {
                retry_after_secs: left.as_secs().max(1),
            });
        }
        if let Some(pending) = self.pending(&address).await?
            && pending.sends < MOST_SENDS
        {
            self.mail_code(pending).await?;
        }
        Ok(self.sent(email))
    }

    /// Proves the address: creates the person (in the organisation that verified its domain)
    /// and signs them in. A code works once, for 30 minutes, and five wrong ones void it.
    #[tracing::instrument(skip_all)]
    pub async fn confirm_email(
        &self,
        confirmation: EmailConfirmation,
        client: &ClientInfo,
    ) -> DomainResult<SignedIn> {
        let pending = match confirmation {
            EmailConfirmation::Code { email, code } => self.check_code(&email, &code).await?,
            EmailConfirmation::Link { token } => self.check_link(&token).await?,
        };
        let organisation = self
            .ports
            .organisations
            .find_by_domain(email_domain(&pending.email))
            .await?;
        let person = self
            .people()
            .create(&NewPerson {
                email: pending.email,
                handle: pending.handle,
                display_name: pending.display_name,
                password_hash: pending.password_hash,
                organisation_id: organisation.map(|o| o.id),
            })
            .await?;
        self.start_session(person, client).await
    }

    /// The pending registration an address and code prove, taken so it works once.
    async fn check_code(&self, email: &str, code: &str) -> DomainResult<Pending> {
        let address = self.ports.secrets.digest(&email.trim().to_lowercase());
        let pending = self.pending(&address).await?;
        let Some(pending) = pending.filter(|p| p.code_expires_at > self.now()) else {
            return Err(wrong_code());
        };
        if self.code_digest(&pending.email, code.trim()) != pending.code_digest {
            let failures_key = format!("registration-failures:{address}");
            let (failures, _) = self
                .ports
                .sessions
                .increment(&failures_key, 1, REGISTRATION_LIFETIME)
                .await?;
            if failures >= WRONG_CODES {
                self.ports
                    .sessions
                    .remove(&registration_key(&address))
                    .await?;
                self.ports.sessions.remove(&failures_key).await?;
            }
            return Err(wrong_code());
        }
        self.take_pending(&address).await
    }

    /// The pending registration a link proves, taken so it works once.
    async fn check_link(&self, token: &str) -> DomainResult<Pending> {
        let link = self.ports.secrets.digest(token.trim());
        let address = self
            .ports
            .sessions
            .take(&format!("registration-link:{link}"))
            .await?
            .ok_or_else(wrong_link)?;
        self.take_pending(&address).await
    }

    async fn take_pending(&self, address: &str) -> DomainResult<Pending> {
        let taken = self.ports.sessions.take(&registration_key(address)).await?;
        taken
            .as_deref()
            .and_then(|raw| serde_json::from_str::<Pending>(raw).ok())
            .filter(|pending| pending.code_expires_at > self.now())
            .ok_or_else(wrong_code)
    }

    async fn pending(&self, address: &str) -> DomainResult<Option<Pending>> {
        let raw = self.ports.sessions.get(&registration_key(address)).await?;
        Ok(raw.and_then(|raw| serde_json::from_str(&raw).ok()))
    }

    /// Gives the registration a new code and link (the old ones stop working), keeps it and
    /// mails them.
    async fn mail_code(&self, mut pending: Pending) -> DomainResult<()> {
        let secrets = &self.ports.secrets;
        let code = secrets.numeric_code(CODE_DIGITS);
        let token = secrets.generate();
        let address = secrets.digest(&pending.email);
        pending.code_digest = self.code_digest(&pending.email, &code);
        pending.code_expires_at = self.now() + chrono_duration(CODE_LIFETIME);
        pending.sends += 1;
        let sessions = &self.ports.sessions;
        let json = serde_json::to_string(&pending)
            .map_err(|e| DomainError::unavailable("encode a registration", e))?;
        sessions
            .put(&registration_key(&address), &json, REGISTRATION_LIFETIME)
            .await?;
        sessions
            .remove(&format!("registration-failures:{address}"))
            .await?;
        let link_key = format!("registration-link:{}", secrets.digest(&token));
        sessions.put(&link_key, &address, CODE_LIFETIME).await?;
        let link = self.link(CONFIRM_EMAIL_PATH, Some(&token));
        let mail = messages::confirm_address(&pending.email, &pending.handle, &code, &link);
        self.ports.mailer.send(&mail).await
    }

    /// Codes are short, so each is digested with its address: one digest proves nothing about
    /// another registration's code.
    fn code_digest(&self, email: &str, code: &str) -> String {
        self.ports.secrets.digest(&format!("{email}\n{code}"))
    }

    fn sent(&self, email: String) -> ConfirmationSent {
        ConfirmationSent {
            email,
            expires_at: self.now() + chrono_duration(CODE_LIFETIME),
        }
    }

    /// A link to one of a frontend's pages under the public URL.
    pub(super) fn link(&self, path: &str, token: Option<&str>) -> String {
        let base = &self.settings.public_url;
        match token {
            Some(token) => format!("{base}{path}?token={token}"),
            None => format!("{base}{path}"),
        }
    }
}

fn registration_key(address: &str) -> String {
    format!("registration:{address}")
}

fn wrong_code() -> DomainError {
    DomainError::Invalid(vec![FieldError::new(
        "code",
        "INVALID_CODE",
        "this code is wrong, used or expired; ask for a new one",
    )])
}

fn wrong_link() -> DomainError {
    DomainError::Invalid(vec![FieldError::new(
        "token",
        "INVALID_CODE",
        "this link is wrong, used or expired; ask for a new one",
    )])
}
