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

/// A unique-constraint violation is the user's mistake (`field` is taken); anything else is an
/// outage.
pub(crate) fn on_unique(err: sea_orm::DbErr, field: &str, message: &str) -> DomainError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            DomainError::invalid(field, "TAKEN", message)
        }
        _ => DomainError::unavailable(format!("store {field}"), err),
    }
}
