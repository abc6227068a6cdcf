//! Whether Redis answers, for the readiness probes of both Redis adapters.

use khub_domain::DomainResult;
use redis::aio::ConnectionManager;

use crate::error::ResultExt;

pub(crate) async fn ping(conn: &ConnectionManager) -> DomainResult<()> {
    let mut conn = conn.clone();
    redis::cmd("PING")
        .query_async::<String>(&mut conn)
        .await
        .map(|_| ())
        .context("redis ping")
}
