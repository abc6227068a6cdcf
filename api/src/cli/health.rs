//! `khub health`: asks a running hub whether it is alive (`/healthz`) or ready (`/readyz`), for
//! container health checks and probes that have no HTTP client of their own. The exit status
//! says: 0 when the hub answered 2xx.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use anyhow::Context;

/// How long a probe waits for the hub.
const WAIT: Duration = Duration::from_secs(5);

/// Asks the hub listening on `bind` (an unspecified address means this host) whether it is
/// alive, or with `ready` whether it reaches its database, session store and event bus.
pub async fn check(bind: SocketAddr, ready: bool) -> anyhow::Result<()> {
    let host = match bind.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let path = if ready { "/readyz" } else { "/healthz" };
    let url = format!("http://{}{path}", SocketAddr::new(host, bind.port()));
    let response = reqwest::Client::builder()
        .timeout(WAIT)
        .build()?
        .get(&url)
        .send()
        .await
        .with_context(|| format!("no answer from {url}"))?;
    anyhow::ensure!(
        response.status().is_success(),
        "{url} answered {}",
        response.status()
    );
    Ok(())
}
