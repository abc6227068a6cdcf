//! Calls webhooks over HTTP with reqwest: signed as Standard Webhooks are, within a time-out,
//! following no redirects, and connecting only to addresses the [`TargetPolicy`] allows —
//! checked by the resolver itself, so a name cannot resolve to a private address between the
//! check and the connection.

mod signature;
mod target;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use khub_domain::ports::{AttemptOutcome, OutgoingMessage, TargetRefused, WebhookTransport};
use khub_domain::webhook::WebhookUrl;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::config::WebhookSettings;
use target::TargetPolicy;

/// The webhook transport over reqwest.
pub struct HttpWebhooks {
    client: reqwest::Client,
    policy: TargetPolicy,
}

impl HttpWebhooks {
    pub fn new(settings: &WebhookSettings) -> anyhow::Result<Self> {
        let policy = TargetPolicy {
            https_only: settings.https_only,
            allowed_hosts: settings.allowed_hosts.clone(),
        };
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("KnowledgeHub-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver(policy.clone())))
            .build()?;
        Ok(Self { client, policy })
    }
}

#[async_trait]
impl WebhookTransport for HttpWebhooks {
    fn new_secret(&self) -> String {
        signature::new_secret()
    }

    async fn check_target(&self, url: &WebhookUrl) -> Result<(), TargetRefused> {
        self.policy.check_url(url)?;
        if url.host().parse::<std::net::IpAddr>().is_ok() {
            return Ok(());
        }
        let addresses = resolve(url.host()).await.map_err(|error| TargetRefused {
            code: "UNRESOLVED",
            message: format!("{} cannot be resolved: {error}", url.host()),
        })?;
        self.policy.check_addresses(url.host(), &addresses)
    }

    async fn send(&self, message: &OutgoingMessage) -> AttemptOutcome {
        let began = Instant::now();
        if let Err(refused) = self.policy.check_url(&message.url) {
            return failed(began, refused.message);
        }
        let timestamp = message.timestamp.timestamp();
        let signature = signature::header(
            &message.secrets,
            &message.message_id,
            timestamp,
            &message.body,
        );
        let sent = self
            .client
            .post(message.url.as_str())
            .header("content-type", "application/json")
            .header("webhook-id", &message.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(message.body.clone())
            .send()
            .await;
        match sent {
            Ok(response) => AttemptOutcome {
                response_code: Some(response.status().as_u16()),
                latency: began.elapsed(),
                error: None,
            },
            Err(error) => failed(began, describe(&error)),
        }
    }
}

fn failed(began: Instant, error: String) -> AttemptOutcome {
    AttemptOutcome {
        response_code: None,
        latency: began.elapsed(),
        error: Some(error),
    }
}

/// Why a request got no answer, in words for the delivery log.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    text
}

async fn resolve(host: &str) -> std::io::Result<Vec<SocketAddr>> {
    Ok(tokio::net::lookup_host((host, 0)).await?.collect())
}

/// Resolves names for the client, refusing any that resolves to an address the policy does not
/// allow.
struct GuardedResolver(TargetPolicy);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addresses = resolve(&host).await?;
            policy
                .check_addresses(&host, &addresses)
                .map_err(|refused| refused.message)?;
            let addresses: Addrs = Box::new(addresses.into_iter());
            Ok(addresses)
        })
    }
}
