use std::time::Duration;

use async_trait::async_trait;

use crate::error::DomainResult;
use crate::ports::HealthCheck;

/// Short-lived shared state that every server instance must see at once: sessions, refresh
/// tokens, revocations, rate-limit windows. Values expire on their own.
#[async_trait]
pub trait SessionStore: HealthCheck {
    /// Stores `value` under `key` for `ttl`, replacing what was there.
    async fn put(&self, key: &str, value: &str, ttl: Duration) -> DomainResult<()>;
    async fn get(&self, key: &str) -> DomainResult<Option<String>>;
    /// The values of several keys, in their order, read at once (one round trip).
    async fn get_many(&self, keys: &[&str]) -> DomainResult<Vec<Option<String>>>;
    /// Reads and removes `key` in one atomic step: of two racing callers only one gets the value.
    async fn take(&self, key: &str) -> DomainResult<Option<String>>;
    async fn remove(&self, key: &str) -> DomainResult<()>;
    /// Adds `by` to the counter at `key`, creating it with `ttl` if absent; returns the new total
    /// and the time left before the counter expires.
    async fn increment(&self, key: &str, by: u64, ttl: Duration) -> DomainResult<(u64, Duration)>;
    /// Adds `member` to the set at `key`, which then lives `ttl` from now.
    async fn add_member(&self, key: &str, member: &str, ttl: Duration) -> DomainResult<()>;
    /// Removes `member` from the set at `key`.
    async fn remove_member(&self, key: &str, member: &str) -> DomainResult<()>;
    /// The members of the set at `key`, in no particular order.
    async fn members(&self, key: &str) -> DomainResult<Vec<String>>;
}
