//! Query-cost budgets: each API token, signed-in person or anonymous client address may spend a
//! fixed budget of query cost per window. Windows are counted in the shared session store, so
//! every instance charges the same budget.

use std::sync::Arc;
use std::time::Duration;

use crate::api_token::ApiTokenId;
use crate::error::{DomainError, DomainResult};
use crate::person::PersonId;
use crate::ports::{Clock, SessionStore};
use crate::token_usage::UsageMeter;

/// Whose budget a request spends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateSubject {
    Token(ApiTokenId),
    Person(PersonId),
    Address(String),
}

impl RateSubject {
    pub fn key(&self) -> String {
        match self {
            Self::Token(id) => format!("token:{id}"),
            Self::Person(id) => format!("person:{id}"),
            Self::Address(address) => format!("address:{address}"),
        }
    }
}

/// Where a subject stands after a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateStatus {
    pub limit: u64,
    pub remaining: u64,
    /// Until the window ends and the budget is whole again.
    pub reset_after: Duration,
}

/// Charges query costs against per-window budgets.
#[derive(Clone)]
pub struct RateLimiter {
    store: Arc<dyn SessionStore>,
    clock: Arc<dyn Clock>,
    budget: u64,
    window: Duration,
    /// Counts each API token's charged requests, for its audit trail.
    usage: Arc<UsageMeter>,
}

impl RateLimiter {
    pub fn new(
        store: Arc<dyn SessionStore>,
        clock: Arc<dyn Clock>,
        budget: u64,
        window: Duration,
    ) -> Self {
        Self {
            store,
            clock,
            budget,
            window: window.max(Duration::from_secs(1)),
            usage: Arc::default(),
        }
    }

    /// What API tokens have spent since the meter was last flushed.
    pub fn usage(&self) -> &Arc<UsageMeter> {
        &self.usage
    }

    /// Spends `cost`; refuses (with the time to retry) once the window's budget is exceeded.
    pub async fn charge(&self, subject: &RateSubject, cost: u64) -> DomainResult<RateStatus> {
        let window_secs = self.window.as_secs();
        let now = self.clock.now().timestamp().max(0) as u64;
        let index = now / window_secs;
        let reset_after = Duration::from_secs((index + 1) * window_secs - now);
        let key = format!("rate:{}:{index}", subject.key());
        let (spent, _) = self.store.increment(&key, cost, self.window).await?;
        if spent > self.budget {
            return Err(DomainError::RateLimited {
                retry_after_secs: reset_after.as_secs().max(1),
            });
        }
        if let RateSubject::Token(token) = subject {
            self.usage.record(*token, self.clock.now(), cost);
        }
        Ok(RateStatus {
            limit: self.budget,
            remaining: self.budget - spent,
            reset_after,
        })
    }
}
