//! Charges each operation's complexity (its query cost) to the requester's budget, after
//! validation has computed it and before anything runs.

use std::sync::Arc;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult};
use khub_domain::DomainError;
use khub_domain::rate_limit::RateSubject;

use super::context::{HubContext, RateSlot};
use super::error::{ErrorCode, UNREACHABLE_MESSAGE, UNREACHABLE_RETRY_SECS};

/// Installs the budget check on every operation.
pub struct QueryCostBudget;

impl ExtensionFactory for QueryCostBudget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Charge)
    }
}

struct Charge;

#[async_trait::async_trait]
impl Extension for Charge {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let (Some(hub), Some(subject)) =
            (ctx.data_opt::<HubContext>(), ctx.data_opt::<RateSubject>())
        else {
            return Ok(result);
        };
        let cost = u64::try_from(result.complexity).unwrap_or(u64::MAX).max(1);
        let status = hub
            .rate_limiter()
            .charge(subject, cost)
            .await
            .map_err(|error| vec![refusal(error)])?;
        if let Some(slot) = ctx.data_opt::<RateSlot>() {
            slot.set(status, cost);
        }
        Ok(result)
    }
}

/// The error a request gets when its charge is refused: the budget is spent, or the budget
/// cannot be counted (then the request is refused rather than let through uncounted).
pub fn refusal(error: DomainError) -> ServerError {
    match error {
        DomainError::RateLimited { retry_after_secs } => rate_limited(retry_after_secs),
        DomainError::Unreachable { .. } => {
            tracing::warn!(%error, "rate limiter unreachable");
            retry_later(
                UNREACHABLE_MESSAGE.to_owned(),
                ErrorCode::Unavailable,
                UNREACHABLE_RETRY_SECS,
            )
        }
        error => {
            tracing::error!(%error, "rate limiter unavailable");
            let mut refused = ServerError::new(super::error::INTERNAL_MESSAGE, None);
            refused.extensions = Some(code_only(ErrorCode::Internal));
            refused
        }
    }
}

fn rate_limited(retry_after_secs: u64) -> ServerError {
    retry_later(
        format!("the query budget is spent; retry in {retry_after_secs} s"),
        ErrorCode::RateLimited,
        retry_after_secs,
    )
}

/// A refusal the client may retry after `retryAfter` seconds.
fn retry_later(message: String, code: ErrorCode, retry_after_secs: u64) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = code_only(code);
    extensions.set("retryAfter", retry_after_secs);
    error.extensions = Some(extensions);
    error
}

fn code_only(code: ErrorCode) -> async_graphql::ErrorExtensionValues {
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code.as_str());
    extensions
}
