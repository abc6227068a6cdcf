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
        self.map_err(|source| {
            if unreachable(&source) {
                DomainError::unreachable(what, source)
            } else {
                DomainError::unavailable(what, source)
            }
        })
    }
}

/// Whether a failure is a dependency out of reach (refused, dropped, timed out) rather than
/// a fault: the first is told to clients as "try again shortly", the second as an error.
fn unreachable(error: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(redis) = error.downcast_ref::<redis::RedisError>() {
        return redis.is_connection_refusal()
            || redis.is_connection_dropped()
            || redis.is_timeout()
            || redis.is_io_error();
    }
    if let Some(db) = error.downcast_ref::<sea_orm::DbErr>() {
        return matches!(
            db,
            sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_)
        );
    }
    false
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
