//! The client's address, as the TCP peer or, behind trusted proxies, as `X-Forwarded-For` says.

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, header};
use khub_domain::identity::ClientInfo;

/// The address whose budget an anonymous request spends. Each trusted proxy appends the
/// address it saw to `X-Forwarded-For`, so the client is `hops` entries from the right;
/// anything further left was written by the client and is not believed.
pub fn address(peer: SocketAddr, headers: &HeaderMap, hops: usize) -> IpAddr {
    if hops == 0 {
        return peer.ip();
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    forwarded
        .len()
        .checked_sub(hops)
        .and_then(|i| forwarded.get(i))
        .and_then(|entry| entry.parse().ok())
        .unwrap_or_else(|| peer.ip())
}

/// The client's address and the `User-Agent` it sent.
pub fn info(address: IpAddr, headers: &HeaderMap) -> ClientInfo {
    ClientInfo {
        address: Some(address),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|agent| agent.to_str().ok())
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    fn peer() -> SocketAddr {
        SocketAddr::from(([10, 0, 0, 1], 443))
    }

    #[test]
    fn with_no_trusted_proxy_the_header_is_ignored() {
        assert_eq!(address(peer(), &headers("203.0.113.9"), 0), peer().ip());
    }

    #[test]
    fn behind_one_proxy_the_right_most_entry_is_the_client() {
        let spoofed_then_real = headers("198.51.100.7, 203.0.113.9");
        assert_eq!(
            address(peer(), &spoofed_then_real, 1).to_string(),
            "203.0.113.9"
        );
        assert_eq!(
            address(peer(), &spoofed_then_real, 2).to_string(),
            "198.51.100.7"
        );
    }

    #[test]
    fn a_short_or_garbled_header_falls_back_to_the_peer() {
        assert_eq!(address(peer(), &headers("203.0.113.9"), 2), peer().ip());
        assert_eq!(address(peer(), &headers("not-an-ip"), 1), peer().ip());
        assert_eq!(address(peer(), &HeaderMap::new(), 1), peer().ip());
    }
}
