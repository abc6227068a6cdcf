//! The one place where domain errors become GraphQL errors with a stable `extensions.code`.
//!
//! [`ApiError`] deliberately does not implement `Display`: async-graphql converts anything that
//! does into an error carrying its text, and internal failures must never reach a client.

use async_graphql::ErrorExtensions;
use khub_domain::DomainError;

/// Stable codes a client can branch on (`extensions.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadUserInput,
    RateLimited,
    /// A service the hub depends on is unreachable: retry after `retryAfter` seconds.
    Unavailable,
    Internal,
    /// The document is not valid GraphQL syntax.
    GraphqlParseFailed,
    /// The document does not fit the schema or breaks a limit.
    GraphqlValidationFailed,
    /// The request took longer than the configured timeout.
    Timeout,
    /// The HTTP request itself is unusable (body, media type, method).
    BadRequest,
    /// An `Idempotency-Key` already used for a different request (HTTP 422).
    IdempotencyKeyReused,
    /// The first request with this `Idempotency-Key` is still running (HTTP 409).
    IdempotencyKeyInUse,
    /// Only a persisted query's hash was sent, of a document not known: send the document too.
    PersistedQueryNotFound,
    /// The API token runs only the documents registered for it (HTTP 403).
    UntrustedDocument,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::RateLimited => "RATE_LIMITED",
            Self::Unavailable => "UNAVAILABLE",
            Self::Internal => "INTERNAL",
            Self::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::Timeout => "TIMEOUT",
            Self::BadRequest => "BAD_REQUEST",
            Self::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            Self::IdempotencyKeyInUse => "IDEMPOTENCY_KEY_IN_USE",
            Self::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Self::UntrustedDocument => "UNTRUSTED_DOCUMENT",
        }
    }
}

/// A domain error on its way to the client.
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        Self(error)
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(ApiError(error): ApiError) -> Self {
        match error {
            DomainError::Invalid(fields) => {
                let message = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                async_graphql::Error::new(message).extend_with(|_, ext| {
                    ext.set("code", ErrorCode::BadUserInput.as_str());
                    if let Some(first) = fields.first() {
                        ext.set("field", first.field.as_str());
                    }
                })
            }
            DomainError::NotFound => coded("not found", ErrorCode::NotFound),
            DomainError::Unauthenticated => {
                coded("authentication required", ErrorCode::Unauthenticated)
            }
            DomainError::SessionEnded => coded(error.to_string(), ErrorCode::Unauthenticated),
            DomainError::Forbidden(why) => coded(format!("forbidden: {why}"), ErrorCode::Forbidden),
            DomainError::RateLimited { retry_after_secs } => rate_limited(
                format!("the query budget is spent; retry in {retry_after_secs} s"),
                retry_after_secs,
            ),
            DomainError::Throttled { retry_after_secs } => rate_limited(
                format!("too many attempts; try again in {retry_after_secs} s"),
                retry_after_secs,
            ),
            DomainError::Unreachable { .. } => {
                tracing::warn!(error = %chain(&error), "a dependency is unreachable");
                with_retry(
                    UNREACHABLE_MESSAGE,
                    ErrorCode::Unavailable,
                    UNREACHABLE_RETRY_SECS,
                )
            }
            DomainError::Unavailable { .. } => {
                tracing::error!(error = %chain(&error), "request failed");
                coded(INTERNAL_MESSAGE, ErrorCode::Internal)
            }
        }
    }
}

/// A `RATE_LIMITED` error: the HTTP answer becomes 429 with `Retry-After`.
fn rate_limited(message: String, retry_after_secs: u64) -> async_graphql::Error {
    with_retry(message, ErrorCode::RateLimited, retry_after_secs)
}

/// An error a client may retry after `retryAfter` seconds (`Retry-After` over HTTP).
fn with_retry(
    message: impl Into<String>,
    code: ErrorCode,
    retry_after_secs: u64,
) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| {
        ext.set("code", code.as_str());
        ext.set("retryAfter", retry_after_secs);
    })
}

/// What a client is told while a dependency (database, Redis) is out of reach.
pub const UNREACHABLE_MESSAGE: &str =
    "a service the hub depends on is unreachable; try again shortly";

/// When to try again after an unreachable dependency: reconnecting takes a few seconds.
pub const UNREACHABLE_RETRY_SECS: u64 = 5;

/// What a client is told about an internal failure (the request id is appended later).
pub const INTERNAL_MESSAGE: &str = "internal error";

/// A GraphQL error with a code.
pub fn coded(message: impl Into<String>, code: ErrorCode) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code.as_str()))
}

/// The error and every cause beneath it, for the log.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
