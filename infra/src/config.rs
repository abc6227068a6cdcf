//! Settings: documented defaults, overridden by an optional TOML file, then the environment,
//! then command-line flags. A bad value stops start-up with one line naming the setting.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use config::{Config, File, FileFormat};
use khub_domain::reputation::ReputationRules;

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
    /// How many reverse proxies in front of the hub append to `X-Forwarded-For`; the client's
    /// address is taken that many entries from the right. 0 trusts no header.
    pub trusted_proxy_hops: usize,
    pub migrate_on_start: bool,
    pub limits: Limits,
    pub read_cache: ReadCacheSettings,
    /// Points per action, the daily reaction cap and badge thresholds.
    pub reputation: ReputationRules,
}

/// Credential lifetimes and query-cost budgets.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// Query cost each API token, person or anonymous address may spend per window.
    pub rate_limit_budget: u64,
    pub rate_limit_window: Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            rate_limit_budget: 20_000,
            rate_limit_window: Duration::from_secs(60),
        }
    }
}

/// Protection from abusive requests.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
    pub request_timeout: Duration,
    pub ws_init_timeout: Duration,
    pub ws_keepalive: Duration,
    pub ws_max_subscriptions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_depth: 15,
            max_complexity: 5_000,
            max_aliases: 30,
            request_timeout: Duration::from_secs(15),
            ws_init_timeout: Duration::from_secs(10),
            ws_keepalive: Duration::from_secs(20),
            ws_max_subscriptions: 100,
        }
    }
}

/// The cache of answers to anonymous queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadCacheSettings {
    /// The most memory the answers may take; 0 turns the cache off.
    pub capacity_bytes: u64,
    /// The longest an answer is kept, whatever the content version says: it bounds how long a
    /// change made outside the hub (an operator command on the embedded database, which
    /// cannot reach the running hub's in-process version) can go unseen.
    pub max_age: Duration,
}

impl Default for ReadCacheSettings {
    fn default() -> Self {
        Self {
            capacity_bytes: 64 << 20,
            max_age: Duration::from_secs(60),
        }
    }
}

/// A setting that could not be used; displays as one line naming it.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: setting `{setting}`: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

impl ConfigError {
    fn new(setting: &str, message: impl Into<String>) -> Self {
        Self {
            setting: setting.to_owned(),
            message: message.into(),
        }
    }
}

/// Environment variables read, and the setting each one sets.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("KHUB_BIND", "bind"),
    ("KHUB_DATA_DIR", "data_dir"),
    ("DATABASE_URL", "database_url"),
    ("KHUB_DB_MAX_CONNECTIONS", "db_max_connections"),
    ("REDIS_URL", "redis_url"),
    ("KHUB_REDIS_PREFIX", "redis_prefix"),
    ("KHUB_JWT_SECRET", "jwt_secret"),
    ("KHUB_JWT_PRIVATE_KEY_FILE", "jwt_private_key_file"),
    ("KHUB_JWT_PUBLIC_KEY_FILE", "jwt_public_key_file"),
    ("KHUB_ACCESS_TOKEN_TTL_SECS", "access_token_ttl_secs"),
    ("KHUB_REFRESH_TOKEN_TTL_SECS", "refresh_token_ttl_secs"),
    ("KHUB_RATE_LIMIT_BUDGET", "rate_limit_budget"),
    ("KHUB_RATE_LIMIT_WINDOW_SECS", "rate_limit_window_secs"),
    ("KHUB_PRODUCTION", "production"),
    ("KHUB_LOG_LEVEL", "log_level"),
    ("KHUB_LOG_FORMAT", "log_format"),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "otlp_endpoint"),
    ("KHUB_INTROSPECTION", "introspection"),
    ("KHUB_PLAYGROUND", "playground"),
    ("KHUB_MIGRATE_ON_START", "migrate_on_start"),
    ("KHUB_MAX_BODY_BYTES", "max_body_bytes"),
    ("KHUB_MAX_DEPTH", "max_depth"),
    ("KHUB_MAX_COMPLEXITY", "max_complexity"),
    ("KHUB_MAX_ALIASES", "max_aliases"),
    ("KHUB_REQUEST_TIMEOUT_MS", "request_timeout_ms"),
    ("KHUB_WS_INIT_TIMEOUT_MS", "ws_init_timeout_ms"),
    ("KHUB_WS_KEEPALIVE_MS", "ws_keepalive_ms"),
    ("KHUB_WS_MAX_SUBSCRIPTIONS", "ws_max_subscriptions"),
    ("KHUB_TRUSTED_PROXY_HOPS", "trusted_proxy_hops"),
    ("KHUB_READ_CACHE_MIB", "read_cache_mib"),
    ("KHUB_READ_CACHE_MAX_AGE_SECS", "read_cache_max_age_secs"),
    ("KHUB_REPUTATION_ENDORSED", "reputation_endorsed"),
    (
        "KHUB_REPUTATION_ENDORSED_BY_COLLEAGUE",
        "reputation_endorsed_by_colleague",
    ),
    ("KHUB_REPUTATION_PROMOTED", "reputation_promoted"),
    ("KHUB_REPUTATION_ADOPTED", "reputation_adopted"),
    (
        "KHUB_REPUTATION_ANSWER_ACCEPTED",
        "reputation_answer_accepted",
    ),
    (
        "KHUB_REPUTATION_ACCEPTED_AN_ANSWER",
        "reputation_accepted_an_answer",
    ),
    ("KHUB_REPUTATION_REACTION", "reputation_reaction"),
    (
        "KHUB_REPUTATION_REACTION_DAILY_CAP",
        "reputation_reaction_daily_cap",
    ),
    (
        "KHUB_REPUTATION_SPREAD_ADOPTIONS",
        "reputation_spread_adoptions",
    ),
    (
        "KHUB_REPUTATION_HELPFUL_ANSWERS",
        "reputation_helpful_answers",
    ),
];

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
            trusted_proxy_hops: 0,
            migrate_on_start: true,
            limits: Limits::default(),
            read_cache: ReadCacheSettings::default(),
            reputation: ReputationRules::default(),
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
        if let Some(bind) = layers.parsed("bind", |v| {
            v.parse::<SocketAddr>().map_err(|e| e.to_string())
        })? {
            s.bind = bind;
        }
        s.database_url = layers.parsed("database_url", parse_database_url)?;
        s.redis_url = layers.parsed("redis_url", parse_redis_url)?;
        s.redis_prefix = layers.string("redis_prefix")?.unwrap_or(s.redis_prefix);
        s.jwt_secret = layers.parsed("jwt_secret", parse_secret)?;
        s.jwt_key_files = key_files(layers)?;
        s.sessions = sessions(layers)?;
        s.log_level = layers.string("log_level")?.unwrap_or(s.log_level);
        s.log_format = layers
            .parsed("log_format", parse_log_format)?
            .unwrap_or(s.log_format);
        s.otlp_endpoint = layers.parsed("otlp_endpoint", parse_http_url)?;
        s.migrate_on_start = layers
            .parsed("migrate_on_start", parse_bool)?
            .unwrap_or(true);
        s.trusted_proxy_hops = layers.number("trusted_proxy_hops", 0, 10)?.unwrap_or(0) as usize;
        s.db_max_connections = layers.number("db_max_connections", 1, 1_000)?.unwrap_or(10) as u32;
        s.limits = limits(layers)?;
        s.read_cache = read_cache(layers)?;
        s.reputation = reputation(layers)?;
        if s.production && s.jwt_secret.is_none() && s.jwt_key_files.is_none() {
            return Err(ConfigError::new(
                "jwt_secret",
                "required in production mode (set KHUB_JWT_SECRET to at least 32 characters)",
            ));
        }
        Ok(s)
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

fn key_files(layers: &Layers) -> Result<Option<(PathBuf, PathBuf)>, ConfigError> {
    let private = layers.string("jwt_private_key_file")?;
    let public = layers.string("jwt_public_key_file")?;
    match (private, public) {
        (Some(private), Some(public)) => Ok(Some((private.into(), public.into()))),
        (None, None) => Ok(None),
        (Some(_), None) => Err(ConfigError::new(
            "jwt_public_key_file",
            "required with jwt_private_key_file",
        )),
        (None, Some(_)) => Err(ConfigError::new(
            "jwt_private_key_file",
            "required with jwt_public_key_file",
        )),
    }
}

fn sessions(layers: &Layers) -> Result<SessionSettings, ConfigError> {
    let d = SessionSettings::default();
    let secs = |name: &str, max: u64, default: Duration| -> Result<Duration, ConfigError> {
        Ok(layers
            .number(name, 1, max)?
            .map(Duration::from_secs)
            .unwrap_or(default))
    };
    Ok(SessionSettings {
        access_token_ttl: secs("access_token_ttl_secs", 24 * 3600, d.access_token_ttl)?,
        refresh_token_ttl: secs(
            "refresh_token_ttl_secs",
            365 * 24 * 3600,
            d.refresh_token_ttl,
        )?,
        rate_limit_budget: layers
            .number("rate_limit_budget", 1, u64::from(u32::MAX))?
            .unwrap_or(d.rate_limit_budget),
        rate_limit_window: secs("rate_limit_window_secs", 24 * 3600, d.rate_limit_window)?,
    })
}

fn reputation(layers: &Layers) -> Result<ReputationRules, ConfigError> {
    let d = ReputationRules::default();
    let points = |name: &str, default: i64| -> Result<i64, ConfigError> {
        Ok(layers
            .number(&format!("reputation_{name}"), 0, 10_000)?
            .map_or(default, |n| n as i64))
    };
    let count = |name: &str, default: u64| -> Result<u64, ConfigError> {
        Ok(layers
            .number(&format!("reputation_{name}"), 1, 10_000)?
            .unwrap_or(default))
    };
    Ok(ReputationRules {
        endorsed: points("endorsed", d.endorsed)?,
        endorsed_by_colleague: points("endorsed_by_colleague", d.endorsed_by_colleague)?,
        promoted: points("promoted", d.promoted)?,
        adopted: points("adopted", d.adopted)?,
        answer_accepted: points("answer_accepted", d.answer_accepted)?,
        accepted_an_answer: points("accepted_an_answer", d.accepted_an_answer)?,
        reaction: points("reaction", d.reaction)?,
        reaction_daily_cap: points("reaction_daily_cap", d.reaction_daily_cap)?,
        spread_adoptions: count("spread_adoptions", d.spread_adoptions)?,
        helpful_answers: count("helpful_answers", d.helpful_answers)?,
    })
}

fn limits(layers: &Layers) -> Result<Limits, ConfigError> {
    let d = Limits::default();
    let ms = |name: &str, default: Duration| -> Result<Duration, ConfigError> {
        Ok(layers
            .number(name, 1, 3_600_000)?
            .map(Duration::from_millis)
            .unwrap_or(default))
    };
    Ok(Limits {
        max_body_bytes: layers
            .number("max_body_bytes", 1_024, 64 << 20)?
            .map_or(d.max_body_bytes, |n| n as usize),
        max_depth: layers
            .number("max_depth", 2, 200)?
            .map_or(d.max_depth, |n| n as usize),
        max_complexity: layers
            .number("max_complexity", 10, 1_000_000)?
            .map_or(d.max_complexity, |n| n as usize),
        max_aliases: layers
            .number("max_aliases", 1, 10_000)?
            .map_or(d.max_aliases, |n| n as usize),
        request_timeout: ms("request_timeout_ms", d.request_timeout)?,
        ws_init_timeout: ms("ws_init_timeout_ms", d.ws_init_timeout)?,
        ws_keepalive: ms("ws_keepalive_ms", d.ws_keepalive)?,
        ws_max_subscriptions: layers
            .number("ws_max_subscriptions", 1, 10_000)?
            .map_or(d.ws_max_subscriptions, |n| n as usize),
    })
}

fn read_cache(layers: &Layers) -> Result<ReadCacheSettings, ConfigError> {
    let d = ReadCacheSettings::default();
    Ok(ReadCacheSettings {
        capacity_bytes: layers
            .number("read_cache_mib", 0, 64 << 10)?
            .map_or(d.capacity_bytes, |mib| mib << 20),
        max_age: layers
            .number("read_cache_max_age_secs", 1, 86_400)?
            .map_or(d.max_age, Duration::from_secs),
    })
}

/// The merged layers, read one setting at a time so each error can name its setting.
struct Layers(Config);

impl Layers {
    fn string(&self, name: &str) -> Result<Option<String>, ConfigError> {
        match self.0.get_string(name) {
            Ok(value) => Ok(Some(value)),
            Err(config::ConfigError::NotFound(_)) => Ok(None),
            Err(e) => Err(ConfigError::new(name, e.to_string())),
        }
    }

    fn parsed<T>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        self.string(name)?
            .map(|raw| {
                parse(raw.trim()).map_err(|m| ConfigError::new(name, format!("`{raw}`: {m}")))
            })
            .transpose()
    }

    fn number(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, ConfigError> {
        self.parsed(name, |raw| {
            raw.parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| format!("expected a whole number from {min} to {max}"))
        })
    }
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

fn parse_log_format(raw: &str) -> Result<LogFormat, String> {
    match raw.to_ascii_lowercase().as_str() {
        "pretty" => Ok(LogFormat::Pretty),
        "json" => Ok(LogFormat::Json),
        _ => Err("expected `pretty` or `json`".into()),
    }
}

fn parse_database_url(raw: &str) -> Result<String, String> {
    let known = ["postgres://", "postgresql://", "sqlite:"];
    if known.iter().any(|scheme| raw.starts_with(scheme)) {
        Ok(raw.to_owned())
    } else {
        Err("expected a postgres://… or sqlite:… URL".into())
    }
}

fn parse_redis_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("redis://") || raw.starts_with("rediss://") {
        Ok(raw.to_owned())
    } else {
        Err("expected a redis://… URL".into())
    }
}

fn parse_http_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("http://") || raw.starts_with("https://") {
        Ok(raw.to_owned())
    } else {
        Err("expected an http://… or https://… URL".into())
    }
}

fn parse_secret(raw: &str) -> Result<String, String> {
    if raw.len() >= 32 {
        Ok(raw.to_owned())
    } else {
        Err("must be at least 32 characters".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(env: &[(&str, &str)], flags: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let flags: Vec<(&str, String)> = flags.iter().map(|(k, v)| (*k, v.to_string())).collect();
        Settings::load(None, &env, &flags)
    }

    #[test]
    fn the_example_configuration_loads_and_sets_the_reputation_rules() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/khub.example.toml");
        let env: HashMap<String, String> = [("KHUB_JWT_SECRET".to_owned(), "x".repeat(32))].into();
        let s = Settings::load(Some(&example), &env, &[]).expect("the example is valid");
        assert_eq!(s.reputation, ReputationRules::default());
        let tuned = Settings::load(
            Some(&example),
            &env,
            &[("reputation_reaction_daily_cap", "10".to_owned())],
        )
        .expect("valid");
        assert_eq!(tuned.reputation.reaction_daily_cap, 10);
        assert_eq!(s.read_cache, ReadCacheSettings::default());
    }

    #[test]
    fn the_read_cache_is_sized_in_mib_and_zero_turns_it_off() {
        let s = load(&[("KHUB_READ_CACHE_MIB", "0")], &[]).expect("valid");
        assert_eq!(s.read_cache.capacity_bytes, 0);
        let s = load(
            &[],
            &[("read_cache_mib", "2"), ("read_cache_max_age_secs", "5")],
        )
        .expect("valid");
        assert_eq!(s.read_cache.capacity_bytes, 2 << 20);
        assert_eq!(s.read_cache.max_age, Duration::from_secs(5));
        let err = load(&[("KHUB_READ_CACHE_MAX_AGE_SECS", "0")], &[]).expect_err("refused");
        assert_eq!(err.setting, "read_cache_max_age_secs");
    }

    #[test]
    fn with_nothing_configured_the_hub_is_embedded_with_everything_on() {
        let s = load(&[], &[]).expect("defaults are valid");
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
        assert!(s.database_url.is_none() && s.redis_url.is_none());
        assert!(s.introspection && s.playground && s.migrate_on_start);
        assert!(
            s.effective_database_url()
                .starts_with("sqlite://data/khub.db")
        );
    }

    #[test]
    fn a_flag_beats_the_environment() {
        let s = load(&[("KHUB_BIND", "0.0.0.0:1")], &[("bind", "127.0.0.1:2")]).expect("valid");
        assert_eq!(s.bind.port(), 2);
    }

    #[test]
    fn a_bad_value_names_its_setting_in_one_line() {
        let err = load(&[("KHUB_BIND", "nowhere")], &[]).expect_err("must be refused");
        let line = err.to_string();
        assert!(line.contains("`bind`") && !line.contains('\n'), "{line}");
        let err = load(&[("KHUB_MAX_DEPTH", "-3")], &[]).expect_err("must be refused");
        assert_eq!(err.setting, "max_depth");
    }

    #[test]
    fn production_mode_requires_a_secret_and_turns_the_playground_off() {
        let err = load(&[("KHUB_PRODUCTION", "true")], &[]).expect_err("secret required");
        assert_eq!(err.setting, "jwt_secret");
        let secret = "s".repeat(32);
        let s = load(
            &[("KHUB_PRODUCTION", "true"), ("KHUB_JWT_SECRET", &secret)],
            &[],
        )
        .expect("valid production settings");
        assert!(!s.playground && !s.introspection);
    }

    #[test]
    fn a_toml_file_sits_under_the_environment() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("khub.toml");
        std::fs::write(&path, "bind = \"127.0.0.1:9000\"\nlog_format = \"json\"\n").expect("write");
        let env = HashMap::from([("KHUB_BIND".to_string(), "127.0.0.1:9001".to_string())]);
        let s = Settings::load(Some(&path), &env, &[]).expect("valid");
        assert_eq!(s.bind.port(), 9001);
        assert_eq!(s.log_format, LogFormat::Json);
    }
}
