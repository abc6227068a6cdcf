//! Domain errors: a user's mistake is never confused with a broken dependency.

use std::error::Error as StdError;

/// One rule broken by one input field; becomes a `userError` in the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The input field at fault, in the API's camelCase spelling (e.g. `slug`).
    pub field: String,
    /// A sentence a person can act on.
    pub message: String,
    /// A stable machine-readable code (e.g. `INVALID`, `TAKEN`, `TOO_LONG`).
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            code,
        }
    }
}

/// Everything a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input broke one or more rules; nothing was changed.
    #[error("invalid input: {}", summarise(.0))]
    Invalid(Vec<FieldError>),
    /// The object does not exist, or the reader may not know that it exists.
    #[error("not found")]
    NotFound,
    /// The caller is not signed in but must be.
    #[error("authentication required")]
    Unauthenticated,
    /// A refresh token that is unknown, spent or expired, or whose session has ended (a
    /// restarted embedded hub, a logout, a password reset): the person must sign in again.
    #[error(
        "this refresh token is unknown, spent or expired, or its session has ended: sign in again"
    )]
    SessionEnded,
    /// The caller is known but may not do this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The caller spent its query budget; it may try again after this many seconds.
    #[error("rate limited: retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// Too many attempts at something guarded (signing in, registering, resetting a
    /// password); it may be tried again after this many seconds.
    #[error("too many attempts: retry after {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    /// A dependency (database, session store, event bus) failed.
    #[error("{context}")]
    Unavailable {
        context: String,
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A dependency could not be reached (refused, dropped or timed out): nothing is wrong
    /// with the request, which may be sent again once it is back.
    #[error("{context}: unreachable")]
    Unreachable {
        context: String,
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
}

fn summarise(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl DomainError {
    /// A single invalid field.
    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// Wraps an infrastructure failure with what was being attempted.
    pub fn unavailable(
        context: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self::Unavailable {
            context: context.into(),
            source: source.into(),
        }
    }

    /// Wraps a failure to reach a dependency with what was being attempted.
    pub fn unreachable(
        context: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self::Unreachable {
            context: context.into(),
            source: source.into(),
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
