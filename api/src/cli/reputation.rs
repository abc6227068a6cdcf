//! `khub reputation rebuild`: recomputes every total from the ledger.

use khub_domain::ports::RebuildReport;
use khub_infra::{Backends, Settings};

/// Rebuilds the totals and prints what it found.
pub async fn rebuild(settings: Settings) -> anyhow::Result<()> {
    let report = rebuild_totals(&settings).await?;
    let verdict = match report.matched {
        true => "the maintained totals already matched",
        false => "the maintained totals differed and were replaced",
    };
    println!(
        "rebuilt {} totals from {} ledger lines: {verdict}",
        report.totals, report.entries
    );
    Ok(())
}

/// Rebuilds the totals of the configured database.
pub async fn rebuild_totals(settings: &Settings) -> anyhow::Result<RebuildReport> {
    let backends = Backends::connect(settings).await?;
    backends.database.migrate_up(None).await?;
    let report = backends.reputation.rebuild().await?;
    backends.close_after_writing().await?;
    Ok(report)
}
