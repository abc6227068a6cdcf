//! Settings: documented defaults, overridden by an optional TOML file, then the environment,
//! then command-line flags. A bad value stops start-up with one line naming the setting.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

mod environment;
mod layers;
mod sections;
#[cfg(test)]
mod tests;
mod webhooks;

use config::{Config, File, FileFormat};
use khub_domain::identity::ThrottleSettings;
use khub_domain::reputation::ReputationRules;

pub use environment::ENVIRONMENT;
use layers::{
    Layers, parse_bool, parse_database_url, parse_http_url, parse_log_format, parse_redis_url,
    parse_secret,
};
pub use sections::{Limits, MailSettings, ReadCacheSettings, SessionSettings};
pub use webhooks::WebhookSettings;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, coloured when on a terminal.
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Everything the hub can be configured with. See README.md for the table of names.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `None`: a SQLite file `khub.db` in `data_dir`.
    pub database_url: Option<String>,
    pub db_max_connections: u32,
    /// `None`: sessions and events stay in this process.
    pub redis_url: Option<String>,
    /// Prepended to every Redis key and channel, so several hubs (or tests) can share one Redis.
    pub redis_prefix: String,
    /// `None` outside production: a generated secret is kept in `data_dir`.
    pub jwt_secret: Option<String>,
    /// PEM key pair (Ed25519 or RSA) to sign access tokens with instead of the secret.
    pub jwt_key_files: Option<(PathBuf, PathBuf)>,
    pub sessions: SessionSettings,
    pub production: bool,
    pub log_level: String,
    pub log_format: LogFormat,
    pub otlp_endpoint: Option<String>,
    pub introspection: bool,
    pub playground: bool,
    /// The built web client (`web/dist`): served at `/` when it holds an `index.html`, and its
    /// bundled playground at `GET /graphql`.
    pub web_dir: PathBuf,
    /// How many reverse proxies in front of the hub append to `X-Forwarded-For`; the client's
    /// address is taken that many entries from the right. 0 trusts no header.
    pub trusted_proxy_hops: usize,
    pub migrate_on_start: bool,
    /// Whether this instance relays the outbox's events (every instance may: one at a time
    /// does). Off for instances that should only serve.
    pub relay_events: bool,
    pub limits: Limits,
    pub read_cache: ReadCacheSettings,
    /// Points per action, the daily reaction cap and badge thresholds.
    pub reputation: ReputationRules,
    pub mail: MailSettings,
    /// Sign-in throttling per account and per client address.
    pub throttle: ThrottleSettings,
    pub webhooks: WebhookSettings,
}

/// A setting that could not be used; displays as one line naming it.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: setting `{setting}`: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(setting: &str, message: impl Into<String>) -> Self {
        Self {
            setting: setting.to_owned(),
            message: message.into(),
        }
    }
}

impl Settings {
    /// The embedded default: SQLite and in-process state under `data_dir`, everything on.
    pub fn embedded(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            database_url: None,
            db_max_connections: 10,
            redis_url: None,
            redis_prefix: "khub:".into(),
            jwt_secret: None,
            jwt_key_files: None,
            sessions: SessionSettings::default(),
            production: false,
            log_level: "info".into(),
            log_format: LogFormat::Pretty,
            otlp_endpoint: None,
            introspection: true,
            playground: true,
            web_dir: PathBuf::from("web/dist"),
            trusted_proxy_hops: 0,
            migrate_on_start: true,
            relay_events: true,
            limits: Limits::default(),
            read_cache: ReadCacheSettings::default(),
            reputation: ReputationRules::default(),
            mail: MailSettings::default(),
            throttle: ThrottleSettings::default(),
            webhooks: WebhookSettings::default(),
        }
    }

    /// Layers `file`, then `env` (see [`ENVIRONMENT`]), then `flags` (setting name → value)
    /// over the defaults. Missing file is an error only when one was named.
    pub fn load(
        file: Option<&Path>,
        env: &HashMap<String, String>,
        flags: &[(&str, String)],
    ) -> Result<Self, ConfigError> {
        let mut builder = Config::builder();
        if let Some(path) = file {
            builder = builder.add_source(File::from(path).format(FileFormat::Toml).required(true));
        }
        for (variable, setting) in ENVIRONMENT {
            if let Some(value) = env.get(*variable).filter(|v| !v.is_empty()) {
                builder = builder
                    .set_override(*setting, value.as_str())
                    .map_err(|e| ConfigError::new(setting, e.to_string()))?;
            }
        }
        for (setting, value) in flags {
            builder = builder
                .set_override(*setting, value.as_str())
                .map_err(|e| ConfigError::new(setting, e.to_string()))?;
        }
        let layered = builder
            .build()
            .map_err(|e| ConfigError::new("config", e.to_string()))?;
        Self::from_layers(&Layers(layered))
    }

    fn from_layers(layers: &Layers) -> Result<Self, ConfigError> {
        let data_dir = layers
            .string("data_dir")?
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("data"));
        let mut s = Self::embedded(data_dir);
        s.production = layers.parsed("production", parse_bool)?.unwrap_or(false);
        // Introspection and the playground help developers and attackers alike: on by default,
        // off in production unless asked for.
        s.introspection = layers
            .parsed("introspection", parse_bool)?
            .unwrap_or(!s.production);
        s.playground = layers
            .parsed("playground", parse_bool)?
            .unwrap_or(!s.production);
        if let Some(dir) = layers.string("web_dir")? {
            s.web_dir = PathBuf::from(dir);
        }
        if let Some(bind) = layers.parsed("bind", |v| {
            v.parse::<SocketAddr>().map_err(|e| e.to_string())
        })? {
            s.bind = bind;
        }
        s.database_url = layers.parsed("database_url", parse_database_url)?;
        s.redis_url = layers.parsed("redis_url", parse_redis_url)?;
        s.redis_prefix = layers.string("redis_prefix")?.unwrap_or(s.redis_prefix);
        s.jwt_secret = layers.parsed("jwt_secret", parse_secret)?;
        s.jwt_key_files = sections::key_files(layers)?;
        s.sessions = sections::sessions(layers)?;
        s.log_level = layers.string("log_level")?.unwrap_or(s.log_level);
        s.log_format = layers
            .parsed("log_format", parse_log_format)?
            .unwrap_or(s.log_format);
        s.otlp_endpoint = layers.parsed("otlp_endpoint", parse_http_url)?;
        s.migrate_on_start = layers
            .parsed("migrate_on_start", parse_bool)?
            .unwrap_or(true);
        s.relay_events = layers.parsed("relay_events", parse_bool)?.unwrap_or(true);
        s.trusted_proxy_hops = layers.number("trusted_proxy_hops", 0, 10)?.unwrap_or(0) as usize;
        s.db_max_connections = layers.number("db_max_connections", 1, 1_000)?.unwrap_or(10) as u32;
        s.limits = sections::limits(layers)?;
        s.read_cache = sections::read_cache(layers)?;
        s.reputation = sections::reputation(layers)?;
        s.mail = sections::mail(layers)?;
        s.throttle = sections::throttle(layers)?;
        s.webhooks = webhooks::webhooks(layers, s.production)?;
        if s.production && s.jwt_secret.is_none() && s.jwt_key_files.is_none() {
            return Err(ConfigError::new(
                "jwt_secret",
                "required in production mode (set KHUB_JWT_SECRET to at least 32 characters)",
            ));
        }
        Ok(s)
    }

    /// Where people reach the hub's pages: the configured `public_url`, or the bound address.
    pub fn public_url(&self) -> String {
        self.mail
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
    }

    /// The database to use: the configured URL, or the SQLite file in the data directory.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("khub.db").display()
            ),
        }
    }
}
