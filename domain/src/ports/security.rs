use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::error::DomainResult;
use crate::person::PersonId;

/// Hashes and checks passwords (slowly, on purpose).
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: &str) -> DomainResult<String>;
    /// Whether `password` matches `hash`; a malformed hash simply does not match.
    async fn verify(&self, password: &str, hash: &str) -> DomainResult<bool>;
}

/// Tells passwords people would guess from ones they would not (NIST SP 800-63B: no common,
/// breached or trivially guessable passwords).
pub trait PasswordScreen: Send + Sync {
    /// Why `password` is too easy to guess, or `None` when it is not. `context` holds what the
    /// person also typed (e-mail address, handle, name): a password built from them is weak.
    fn weakness(&self, password: &str, context: &[&str]) -> Option<String>;
}

/// What a signed access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessClaims {
    pub person: PersonId,
    /// The session (refresh-token family) the token belongs to.
    pub session: String,
    /// Unique per token.
    pub token_id: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Signs and checks short-lived access tokens (JWTs). Checks the signature, the pinned
/// algorithm, the issuer and the audience; expiry is the caller's, against its own clock.
pub trait AccessTokenCodec: Send + Sync {
    fn issue(&self, claims: &AccessClaims) -> DomainResult<String>;
    /// `None` for any token that is not genuinely ours.
    fn verify(&self, token: &str) -> Option<AccessClaims>;
}

/// Random secrets and their digests.
pub trait Secrets: Send + Sync {
    /// A fresh random secret, URL-safe, of 256 bits.
    fn generate(&self) -> String;
    /// A fresh random code of `digits` decimal digits, for people to type.
    fn numeric_code(&self, digits: u32) -> String;
    /// A one-way digest for storing and looking up a secret.
    fn digest(&self, secret: &str) -> String;
}

/// Signs the messages in private feed addresses with a key only the hub's instances share.
pub trait FeedTokenSigner: Send + Sync {
    /// A URL-safe signature of `message`.
    fn sign(&self, message: &str) -> String;
    /// Whether `signature` is `message`'s, compared in constant time.
    fn verify(&self, message: &str, signature: &str) -> bool;
}

/// The time, injectable so tests can move it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}
