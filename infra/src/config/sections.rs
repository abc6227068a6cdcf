//! The groups of settings, each read from the layers by a function of its own.

use std::path::PathBuf;
use std::time::Duration;

use khub_domain::identity::ThrottleSettings;
use khub_domain::reputation::ReputationRules;

use super::ConfigError;
use super::layers::{Layers, parse_mailbox, parse_public_url, parse_smtp_url};

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

/// Where mail goes and what its links point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    /// `None`: each message is written as an `.eml` file under `data_dir/mail`.
    pub smtp_url: Option<String>,
    /// The sender, as `Name <address>`.
    pub from: String,
    /// Where people reach the hub's pages (a frontend's origin); `None`: `http://{bind}`.
    pub public_url: Option<String>,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: "Knowledge Hub <no-reply@knowledge-hub.localhost>".into(),
            public_url: None,
        }
    }
}

pub(super) fn key_files(layers: &Layers) -> Result<Option<(PathBuf, PathBuf)>, ConfigError> {
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

pub(super) fn sessions(layers: &Layers) -> Result<SessionSettings, ConfigError> {
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

pub(super) fn reputation(layers: &Layers) -> Result<ReputationRules, ConfigError> {
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

pub(super) fn limits(layers: &Layers) -> Result<Limits, ConfigError> {
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

pub(super) fn read_cache(layers: &Layers) -> Result<ReadCacheSettings, ConfigError> {
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

pub(super) fn mail(layers: &Layers) -> Result<MailSettings, ConfigError> {
    let d = MailSettings::default();
    Ok(MailSettings {
        smtp_url: layers.parsed("smtp_url", parse_smtp_url)?,
        from: layers.parsed("mail_from", parse_mailbox)?.unwrap_or(d.from),
        public_url: layers.parsed("public_url", parse_public_url)?,
    })
}

pub(super) fn throttle(layers: &Layers) -> Result<ThrottleSettings, ConfigError> {
    let d = ThrottleSettings::default();
    let secs = |name: &str, default: Duration| -> Result<Duration, ConfigError> {
        Ok(layers
            .number(name, 1, 7 * 24 * 3600)?
            .map_or(default, Duration::from_secs))
    };
    Ok(ThrottleSettings {
        account_failures: layers
            .number("signin_failures", 1, 1_000)?
            .unwrap_or(d.account_failures),
        account_window: secs("signin_failure_window_secs", d.account_window)?,
        first_lock: secs("signin_first_lock_secs", d.first_lock)?,
        longest_lock: secs("signin_longest_lock_secs", d.longest_lock)?,
        address_attempts: layers
            .number("auth_attempts_per_address", 1, 1_000_000)?
            .unwrap_or(d.address_attempts),
        address_window: secs("auth_address_window_secs", d.address_window)?,
    })
}
