//! Mutation payloads: invalid input comes back as `userErrors`, everything else as a
//! top-level error.

use async_graphql::SimpleObject;
use khub_domain::{DomainError, DomainResult, FieldError};

use super::error::ApiError;

/// A rule the input broke. Nothing was changed.
#[derive(SimpleObject, Debug, Clone)]
pub struct UserError {
    /// The input field at fault, as spelled in the input type; null when no single field is.
    pub field: Option<String>,
    /// What was wrong, in a sentence a person can act on.
    pub message: String,
    /// A stable code, e.g. `TAKEN`, `LENGTH`, `INVALID_CREDENTIALS`.
    pub code: String,
}

impl From<FieldError> for UserError {
    fn from(error: FieldError) -> Self {
        Self {
            field: Some(error.field).filter(|f| !f.is_empty()),
            message: error.message,
            code: error.code.to_owned(),
        }
    }
}

/// The result of a mutation's use case.
pub enum Outcome<T> {
    Done(T),
    Refused(Vec<UserError>),
}

impl<T> Outcome<T> {
    /// Splits the result: invalid input becomes user errors, other failures propagate.
    pub fn of(result: DomainResult<T>) -> Result<Self, ApiError> {
        match result {
            Ok(value) => Ok(Self::Done(value)),
            Err(DomainError::Invalid(errors)) => {
                Ok(Self::Refused(errors.into_iter().map(Into::into).collect()))
            }
            Err(other) => Err(ApiError(other)),
        }
    }

    /// The value (if done) and the user errors (if refused).
    pub fn split(self) -> (Option<T>, Vec<UserError>) {
        match self {
            Self::Done(value) => (Some(value), Vec::new()),
            Self::Refused(errors) => (None, errors),
        }
    }
}
