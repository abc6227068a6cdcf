//! Webhook settings: which hosts may be called despite resolving to private addresses, and how
//! long an attempt may take. Plain http is refused in production.

use std::time::Duration;

use super::ConfigError;
use super::layers::Layers;

/// How webhooks are called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    /// Refuse plain http targets (on in production).
    pub https_only: bool,
    /// Hosts called even when they resolve to a private, loopback or link-local address (an
    /// integration on the same network); names or address literals, as written in URLs.
    pub allowed_hosts: Vec<String>,
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            https_only: false,
            allowed_hosts: Vec::new(),
            timeout: Duration::from_secs(10),
        }
    }
}

pub(super) fn webhooks(layers: &Layers, production: bool) -> Result<WebhookSettings, ConfigError> {
    let d = WebhookSettings::default();
    let allowed_hosts = layers
        .string("webhook_allowed_hosts")?
        .map(|hosts| {
            hosts
                .split(',')
                .map(|host| host.trim().trim_start_matches('[').trim_end_matches(']'))
                .filter(|host| !host.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(WebhookSettings {
        https_only: production,
        allowed_hosts,
        timeout: layers
            .number("webhook_timeout_secs", 1, 60)?
            .map_or(d.timeout, Duration::from_secs),
    })
}
