//! Knowledge Hub adapters: the outside world behind the domain's ports.
//!
//! Each port has two adapters so the hub runs anywhere: the embedded default (a SQLite file,
//! in-process sessions and event bus) and production (PostgreSQL, Redis shared by every
//! instance). [`Backends::connect`] picks them from [`Settings`].
//!
//! Layout: [`config`] (settings from defaults, a TOML file, the environment and flags),
//! [`db`] (sea-orm connection, migrations, repositories), [`sessions`] and [`events`] (memory and
//! Redis adapters), [`secrets`] (the JWT signing secret), [`telemetry`] (tracing and OTLP).

pub mod backends;
pub mod config;
pub mod db;
pub mod events;
pub mod mail;
pub mod secrets;
pub mod security;
pub mod sessions;
pub mod telemetry;
pub mod webhooks;

mod error;
mod redis_health;

pub use backends::Backends;
pub use config::{ConfigError, LogFormat, SessionSettings, Settings};
