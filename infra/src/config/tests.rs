//! Loading settings from defaults, a file, the environment and flags.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use khub_domain::reputation::ReputationRules;

use super::{ConfigError, LogFormat, ReadCacheSettings, Settings};

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

#[test]
fn mail_goes_to_files_and_links_to_the_bound_address_unless_configured() {
    let s = load(&[], &[]).expect("valid");
    assert_eq!(s.mail.smtp_url, None);
    assert_eq!(s.public_url(), "http://127.0.0.1:8080");
    let s = load(
        &[
            ("KHUB_SMTP_URL", "smtp://127.0.0.1:1025"),
            ("KHUB_PUBLIC_URL", "https://hub.example.org/"),
        ],
        &[],
    )
    .expect("valid");
    assert_eq!(s.mail.smtp_url.as_deref(), Some("smtp://127.0.0.1:1025"));
    assert_eq!(s.public_url(), "https://hub.example.org");
    let err = load(&[("KHUB_SMTP_URL", "mail.example.org")], &[]).expect_err("refused");
    assert_eq!(err.setting, "smtp_url");
}

#[test]
fn sign_in_throttling_is_configurable() {
    let s = load(&[("KHUB_SIGNIN_FAILURES", "3")], &[]).expect("valid");
    assert_eq!(s.throttle.account_failures, 3);
    let err = load(&[("KHUB_AUTH_ATTEMPTS_PER_ADDRESS", "0")], &[]).expect_err("refused");
    assert_eq!(err.setting, "auth_attempts_per_address");
}
