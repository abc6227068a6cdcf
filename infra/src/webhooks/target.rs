//! Which addresses the hub may call (SSRF): https only when required, and never an address of
//! a private, loopback, link-local or otherwise non-public network — checked on the addresses
//! a name resolves to, at every connection — unless the allow-list names the host.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use khub_domain::ports::TargetRefused;
use khub_domain::webhook::WebhookUrl;

/// What the hub may call.
#[derive(Debug, Clone, Default)]
pub(crate) struct TargetPolicy {
    pub https_only: bool,
    /// Hosts (names or address literals, as written in URLs) called whatever they resolve to.
    pub allowed_hosts: Vec<String>,
}

impl TargetPolicy {
    pub(crate) fn allows_host(&self, host: &str) -> bool {
        self.allowed_hosts
            .iter()
            .any(|allowed| allowed.eq_ignore_ascii_case(host))
    }

    /// Refuses what the URL itself shows: plain http where https is required, an address
    /// literal of a non-public network.
    pub(crate) fn check_url(&self, url: &WebhookUrl) -> Result<(), TargetRefused> {
        if self.https_only && !url.is_https() {
            return Err(TargetRefused {
                code: "INSECURE",
                message: "must be an https URL".to_owned(),
            });
        }
        match url.host().parse::<IpAddr>() {
            Ok(ip) => self.check_addresses(url.host(), &[SocketAddr::new(ip, url.port())]),
            Err(_) => Ok(()),
        }
    }

    /// Refuses `host` when any address it resolved to is not public.
    pub(crate) fn check_addresses(
        &self,
        host: &str,
        addresses: &[SocketAddr],
    ) -> Result<(), TargetRefused> {
        if self.allows_host(host) {
            return Ok(());
        }
        match addresses.iter().find(|address| !is_public(address.ip())) {
            Some(address) => Err(TargetRefused {
                code: "PRIVATE_ADDRESS",
                message: format!(
                    "{host} is {}, an address of a private or reserved network",
                    address.ip()
                ),
            }),
            None => Ok(()),
        }
    }
}

/// Whether `ip` is reachable on the public internet (not loopback, private, link-local,
/// shared, documentation, benchmarking, multicast or reserved).
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // Benchmarking, 198.18.0.0/15.
        || (a == 198 && (18..20).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24.
        || (a == 192 && b == 0 && c == 0))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // Unique local, fc00::/7.
        || (first & 0xfe00) == 0xfc00
        // Link-local, fe80::/10.
        || (first & 0xffc0) == 0xfe80
        // Documentation, 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use khub_domain::webhook::WebhookUrl;

    use super::{TargetPolicy, is_public};

    fn ip(raw: &str) -> IpAddr {
        raw.parse().expect("an address")
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "198.18.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(ip(private)), "{private}");
        }
        for public in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(is_public(ip(public)), "{public}");
        }
    }

    #[test]
    fn the_allow_list_and_the_https_rule_apply() {
        let url = |raw: &str| WebhookUrl::parse(raw).expect("a URL");
        let strict = TargetPolicy {
            https_only: true,
            allowed_hosts: vec!["127.0.0.1".into()],
        };
        let refused = strict.check_url(&url("http://partner.example/"));
        assert_eq!(refused.map_err(|r| r.code), Err("INSECURE"));
        assert!(strict.check_url(&url("https://127.0.0.1:8443/")).is_ok());
        let refused = strict.check_url(&url("https://10.0.0.8/"));
        assert_eq!(refused.map_err(|r| r.code), Err("PRIVATE_ADDRESS"));
    }
}
