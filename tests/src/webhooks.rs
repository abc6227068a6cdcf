//! A real HTTP receiver for webhook deliveries, answering as a test scripts it, and the
//! Standard Webhooks verification a partner would run on what it receives.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::{Session, TestApp};

/// What a webhook selects of each delivery in its log.
pub const DELIVERY_FIELDS: &str = "id messageId event status attempts responseCode latencyMs error nextAttemptAt lastAttemptAt attemptLog { number responseCode latencyMs error }";

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    /// Whether one of its signatures verifies with `secret`, as the Standard Webhooks
    /// libraries verify: HMAC-SHA256 over `id.timestamp.body` with the secret's bytes.
    pub fn verifies_with(&self, secret: &str) -> bool {
        let key = STANDARD
            .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
            .expect("a base64 secret");
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
        mac.update(format!("{}.{}.{}", self.id, self.timestamp, self.body).as_bytes());
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        self.signature
            .split(' ')
            .any(|signature| signature == expected)
    }
}

#[derive(Default)]
struct Script {
    received: Vec<Received>,
    /// Statuses to answer with, in turn; 200 once they run out (or always `fallback`).
    answers: VecDeque<u16>,
    fallback: Option<u16>,
}

/// An HTTP server on 127.0.0.1 that records what it receives.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    script: Arc<Mutex<Script>>,
}

impl Receiver {
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// A port on 127.0.0.1 nothing listens on (yet): a receiver that is down.
    pub async fn free_port() -> u16 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        listener.local_addr().expect("bound").port()
    }

    /// A receiver on `port` (0: any free one).
    pub async fn start_on(port: u16) -> Self {
        let script = Arc::new(Mutex::new(Script::default()));
        let router = axum::Router::new()
            .route("/hooks", axum::routing::post(receive))
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("the port is free");
        let port = listener.local_addr().expect("bound").port();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            url: format!("http://127.0.0.1:{port}/hooks"),
            script,
        }
    }

    /// Answers the next requests with these statuses, then 200.
    pub fn answer_with(&self, statuses: &[u16]) {
        self.script.lock().expect("script").answers.extend(statuses);
    }

    /// Answers every request with `status` from now on.
    pub fn always_answer(&self, status: u16) {
        self.script.lock().expect("script").fallback = Some(status);
    }

    pub fn received(&self) -> Vec<Received> {
        self.script.lock().expect("script").received.clone()
    }

    /// Waits (deliveries are made in the background) until `count` requests have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{count} deliveries expected, got {:?}", self.received());
    }
}

async fn receive(
    State(script): State<Arc<Mutex<Script>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let mut script = script.lock().expect("script");
    script.received.push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let status = match script.answers.pop_front() {
        Some(status) => status,
        None => script.fallback.unwrap_or(200),
    };
    StatusCode::from_u16(status).unwrap_or(StatusCode::OK)
}

impl TestApp {
    /// A hub that may call the test's receivers on 127.0.0.1 (and a budget for polling their
    /// delivery logs).
    pub async fn spawn_for_webhooks() -> Self {
        Self::spawn_with(|s| {
            s.webhooks.allowed_hosts = vec!["127.0.0.1".into()];
            s.sessions.rate_limit_budget = 1_000_000;
        })
        .await
    }

    /// Creates a webhook as `who` (input fields besides `url` and `events` as given); returns
    /// the payload (`webhook { id enabled } secret` and user errors).
    pub async fn create_webhook(
        &self,
        who: &Session,
        url: &str,
        events: &[&str],
        more: Value,
    ) -> Value {
        let mut input = json!({ "url": url, "events": events });
        if let (Some(input), Some(more)) = (input.as_object_mut(), more.as_object()) {
            input.extend(more.clone());
        }
        self.mutate(
            who,
            "createWebhook",
            input,
            "webhook { id url enabled } secret",
        )
        .await
    }

    /// `create_webhook` that must succeed: the webhook's id and secret.
    pub async fn webhook(&self, who: &Session, url: &str, events: &[&str]) -> (String, String) {
        let created = self.create_webhook(who, url, events, json!({})).await;
        match (
            created["webhook"]["id"].as_str(),
            created["secret"].as_str(),
        ) {
            (Some(id), Some(secret)) => (id.to_owned(), secret.to_owned()),
            _ => panic!("webhook not created: {created}"),
        }
    }

    /// The webhook's deliveries, newest first, as `who` reads them.
    pub async fn deliveries(&self, who: &Session, webhook: &str) -> Vec<Value> {
        let selection = format!(
            "... on Webhook {{ deliveries(first: 50) {{ nodes {{ {DELIVERY_FIELDS} }} }} }}"
        );
        let found = self.node(Some(who), webhook, &selection).await;
        found["deliveries"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("deliveries: {found}"))
            .clone()
    }

    /// Waits until the newest delivery of `webhook` satisfies `done`; returns the log.
    pub async fn deliveries_until(
        &self,
        who: &Session,
        webhook: &str,
        done: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let mut log = Vec::new();
        for _ in 0..200 {
            log = self.deliveries(who, webhook).await;
            if done(&log) {
                return log;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the deliveries never settled: {log:?}");
    }
}
