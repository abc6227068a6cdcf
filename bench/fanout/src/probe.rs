//! What the client reads off the servers: resident memory and live subscriber counts.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Resident memory of a process, in KiB.
pub fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("read /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .context("no VmRSS line")
}

/// The sum of `khub_live_subscribers` over every instance's metrics.
async fn live_subscribers(http: &reqwest::Client, metrics: &[String]) -> Result<u64> {
    let mut total = 0;
    for url in metrics {
        let text = http.get(url).send().await?.text().await?;
        total += text
            .lines()
            .filter(|line| line.starts_with("khub_live_subscribers"))
            .filter_map(|line| line.split_whitespace().last())
            .filter_map(|value| value.parse::<f64>().ok())
            .sum::<f64>() as u64;
    }
    Ok(total)
}

/// Waits until the servers hold `expected` live subscriptions.
pub async fn wait_for_subscribers(
    http: &reqwest::Client,
    metrics: &[String],
    expected: u64,
    within: Duration,
) -> Result<()> {
    let deadline = Instant::now() + within;
    loop {
        let live = live_subscribers(http, metrics).await?;
        if live >= expected {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("only {live} of {expected} subscriptions became live");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
