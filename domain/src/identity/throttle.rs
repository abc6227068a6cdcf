//! Sign-in throttling, as OWASP's authentication cheat sheet asks: failures are counted per
//! account and attempts per client address, in the shared session store. A throttled attempt
//! is refused before any password is checked, so it costs no Argon2 work, and it is refused the
//! same whether or not the account exists.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{ClientInfo, Identity, chrono_duration};
use crate::error::{DomainError, DomainResult};

/// The limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleSettings {
    /// Failed sign-ins an account may have within `account_window` before it is locked.
    pub account_failures: u64,
    pub account_window: Duration,
    /// The first lock; each further failure doubles it, up to `longest_lock`.
    pub first_lock: Duration,
    pub longest_lock: Duration,
    /// Attempts (sign-in, registration, password reset, resent codes) one address may make
    /// within `address_window`.
    pub address_attempts: u64,
    pub address_window: Duration,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            account_failures: 5,
            account_window: Duration::from_secs(15 * 60),
            first_lock: Duration::from_secs(60),
            longest_lock: Duration::from_secs(3600),
            address_attempts: 100,
            address_window: Duration::from_secs(15 * 60),
        }
    }
}

impl Identity {
    /// Spends one of the address's attempts; refused once they are spent.
    pub(super) async fn spend_address_attempt(&self, client: &ClientInfo) -> DomainResult<()> {
        let Some(address) = client.address else {
            return Ok(());
        };
        let limits = self.settings.throttle;
        let key = format!("auth-attempts:{address}");
        let (attempts, left) = self
            .ports
            .sessions
            .increment(&key, 1, limits.address_window)
            .await?;
        if attempts > limits.address_attempts {
            return Err(DomainError::Throttled {
                retry_after_secs: left.as_secs().max(1),
            });
        }
        Ok(())
    }

    /// Refused while the account (named by its normalised address, whether or not it exists)
    /// is locked.
    pub(super) async fn check_account_lock(&self, email: &str) -> DomainResult<()> {
        let until = self
            .ports
            .sessions
            .get(&lock_key(&self.account(email)))
            .await?;
        let until = until.and_then(|raw| DateTime::parse_from_rfc3339(&raw).ok());
        match until {
            Some(until) if until > self.now() => Err(DomainError::Throttled {
                retry_after_secs: seconds_until(until.to_utc(), self.now()),
            }),
            _ => Ok(()),
        }
    }

    /// Counts a failed attempt; from the limit on, each failure locks the account for twice as
    /// long as the one before.
    pub(super) async fn note_failed_sign_in(&self, email: &str) -> DomainResult<()> {
        let limits = self.settings.throttle;
        let account = self.account(email);
        let sessions = &self.ports.sessions;
        let (failures, _) = sessions
            .increment(&failures_key(&account), 1, limits.account_window)
            .await?;
        if failures < limits.account_failures {
            return Ok(());
        }
        let doublings = u32::try_from(failures - limits.account_failures).unwrap_or(u32::MAX);
        let lock = limits
            .first_lock
            .saturating_mul(2u32.saturating_pow(doublings.min(20)))
            .min(limits.longest_lock);
        let until = self.now() + chrono_duration(lock);
        // Kept as long as the failures are counted: a lock outlives its own end so that the
        // next failure doubles it.
        let keep = limits.account_window.max(lock);
        sessions
            .put(&lock_key(&account), &until.to_rfc3339(), keep)
            .await
    }

    /// A successful sign-in forgets the account's failures.
    pub(super) async fn forget_failed_sign_ins(&self, email: &str) -> DomainResult<()> {
        let account = self.account(email);
        self.ports.sessions.remove(&failures_key(&account)).await?;
        self.ports.sessions.remove(&lock_key(&account)).await
    }

    fn account(&self, email: &str) -> String {
        self.ports.secrets.digest(&email.trim().to_lowercase())
    }
}

fn failures_key(account: &str) -> String {
    format!("auth-failures:{account}")
}

fn lock_key(account: &str) -> String {
    format!("auth-lock:{account}")
}

fn seconds_until(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let millis = (until - now).num_milliseconds().max(0);
    u64::try_from((millis + 999) / 1000).unwrap_or(0).max(1)
}
