use async_trait::async_trait;

use crate::error::DomainResult;

/// A dependency that can say whether it is reachable, for readiness checks.
#[async_trait]
pub trait HealthCheck: Send + Sync {
    /// A short name for reports (`database`, `sessions`, `events`).
    fn component(&self) -> &'static str;
    /// Succeeds when the dependency answers.
    async fn ping(&self) -> DomainResult<()>;
}
