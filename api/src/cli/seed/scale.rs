//! `khub seed --scale N`: the benchmark data set, with a progress bar.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use khub_domain::ports::PasswordHasher;
use khub_infra::db::scale::{self, Progress, ScalePlan};
use khub_infra::security::Argon2Passwords;
use khub_infra::{Backends, Settings};

use super::DEMO_PASSWORD;

/// Loads the scale data set unless it is there already.
pub async fn run(settings: Settings, scale: f64) -> anyhow::Result<()> {
    if !(scale > 0.0 && scale <= 100.0) {
        anyhow::bail!("--scale: expected a number above 0 and at most 100");
    }
    let plan = ScalePlan::at(scale);
    let started = Instant::now();
    let loaded = load(&settings, plan, &mut Bar::default()).await?;
    match loaded {
        true => println!(
            "scale {scale} data set loaded in {:.1} s: {plan:?}; everyone signs in with `{DEMO_PASSWORD}`",
            started.elapsed().as_secs_f64()
        ),
        false => println!("a scale data set is already loaded; reusing it"),
    }
    Ok(())
}

/// Loads `plan` into the configured database; false if a scale data set was already there.
pub async fn load(
    settings: &Settings,
    plan: ScalePlan,
    progress: &mut dyn Progress,
) -> anyhow::Result<bool> {
    let backends = Backends::connect(settings).await?;
    backends.database.migrate_up(None).await?;
    let password_hash = Argon2Passwords::new()?.hash(DEMO_PASSWORD).await?;
    let loaded = scale::seed(
        backends.database.connection(),
        plan,
        &password_hash,
        progress,
    )
    .await?;
    backends.close_after_writing().await?;
    Ok(loaded)
}

/// A progress bar per stage.
#[derive(Default)]
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn stage(&mut self, name: &'static str, total: u64) {
        if let Some(done) = self.0.take() {
            done.finish();
        }
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template("{msg:20} [{bar:30}] {pos}/{len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name);
        self.0 = Some(bar);
    }

    fn advance(&mut self, n: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(n);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish();
        }
    }
}
