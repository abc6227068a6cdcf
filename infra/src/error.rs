//! Turns infrastructure errors into domain errors with context, in one place.

use khub_domain::DomainError;

/// Adds what was being attempted to an infrastructure error.
pub(crate) trait ResultExt<T> {
    fn context(self, what: &str) -> Result<T, DomainError>;
}

impl<T, E> ResultExt<T> for Result<T, E>
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn context(self, what: &str) -> Result<T, DomainError> {
        self.map_err(|source| DomainError::unavailable(what, source))
    }
}
