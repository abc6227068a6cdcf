//! Reading one setting at a time from the merged layers, so each error names its setting.

use config::Config;

use super::{ConfigError, LogFormat};

/// The merged layers, read one setting at a time so each error can name its setting.
pub(super) struct Layers(pub(super) Config);

impl Layers {
    pub(super) fn string(&self, name: &str) -> Result<Option<String>, ConfigError> {
        match self.0.get_string(name) {
            Ok(value) => Ok(Some(value)),
            Err(config::ConfigError::NotFound(_)) => Ok(None),
            Err(e) => Err(ConfigError::new(name, e.to_string())),
        }
    }

    pub(super) fn parsed<T>(
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

    pub(super) fn number(
        &self,
        name: &str,
        min: u64,
        max: u64,
    ) -> Result<Option<u64>, ConfigError> {
        self.parsed(name, |raw| {
            raw.parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| format!("expected a whole number from {min} to {max}"))
        })
    }
}

pub(super) fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

pub(super) fn parse_log_format(raw: &str) -> Result<LogFormat, String> {
    match raw.to_ascii_lowercase().as_str() {
        "pretty" => Ok(LogFormat::Pretty),
        "json" => Ok(LogFormat::Json),
        _ => Err("expected `pretty` or `json`".into()),
    }
}

pub(super) fn parse_database_url(raw: &str) -> Result<String, String> {
    let known = ["postgres://", "postgresql://", "sqlite:"];
    if known.iter().any(|scheme| raw.starts_with(scheme)) {
        Ok(raw.to_owned())
    } else {
        Err("expected a postgres://… or sqlite:… URL".into())
    }
}

pub(super) fn parse_redis_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("redis://") || raw.starts_with("rediss://") {
        Ok(raw.to_owned())
    } else {
        Err("expected a redis://… URL".into())
    }
}

pub(super) fn parse_http_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("http://") || raw.starts_with("https://") {
        Ok(raw.to_owned())
    } else {
        Err("expected an http://… or https://… URL".into())
    }
}

pub(super) fn parse_secret(raw: &str) -> Result<String, String> {
    if raw.len() >= 32 {
        Ok(raw.to_owned())
    } else {
        Err("must be at least 32 characters".into())
    }
}

pub(super) fn parse_smtp_url(raw: &str) -> Result<String, String> {
    if raw.starts_with("smtp://") || raw.starts_with("smtps://") {
        Ok(raw.to_owned())
    } else {
        Err("expected an smtp://… or smtps://… URL".into())
    }
}

pub(super) fn parse_public_url(raw: &str) -> Result<String, String> {
    parse_http_url(raw).map(|url| url.trim_end_matches('/').to_owned())
}

pub(super) fn parse_mailbox(raw: &str) -> Result<String, String> {
    raw.parse::<lettre::message::Mailbox>()
        .map(|_| raw.to_owned())
        .map_err(|e| format!("expected `Name <address>` or an address: {e}"))
}
