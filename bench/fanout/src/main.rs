//! The live fan-out benchmark client: opens many graphql-transport-ws subscriptions, spread over
//! one or more hub instances, to one thread (S1, S2) or to each subscriber's own notifications
//! (N1, every subscriber a watcher of the thread), posts replies and measures how many
//! subscribers hear of each one and how long after it was sent the last of them did. It also
//! reads the servers' resident memory before and after subscribing. Prints one JSON report.

mod probe;
mod stats;
mod subscriber;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use futures_util::{StreamExt, stream};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use subscriber::{Arrival, Listen, Subscriber};

#[derive(Parser, Debug)]
struct Args {
    /// A hub's websocket endpoint; subscribers are spread evenly over all given.
    #[arg(long, required = true)]
    ws: Vec<String>,
    /// Where replies are posted (GraphQL over HTTP).
    #[arg(long)]
    http: String,
    /// Each hub's Prometheus endpoint, to wait until every subscription is live.
    #[arg(long, required = true)]
    metrics: Vec<String>,
    /// Each hub's process id, for its resident memory.
    #[arg(long)]
    pid: Vec<u32>,
    /// The thread's global id.
    #[arg(long)]
    thread: String,
    /// A bearer token of a member who may reply in the thread.
    #[arg(long)]
    token: String,
    /// A file of API tokens, one per line: subscriber i listens to the notifications of the
    /// i-th token's owner instead of to the thread.
    #[arg(long)]
    notified: Option<std::path::PathBuf>,
    #[arg(long, default_value_t = 10_000)]
    subscribers: usize,
    #[arg(long, default_value_t = 20)]
    replies: usize,
    /// Connections opened at once (10,000 clients do not all arrive in the same millisecond).
    #[arg(long, default_value_t = 50)]
    concurrency: usize,
}

/// How long one reply may take to reach every subscriber before it counts as undelivered.
const DELIVERY_DEADLINE: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let http = reqwest::Client::new();
    let rss_before = total_rss(&args.pid)?;
    let started = Instant::now();
    let (arrivals, mut received) = mpsc::unbounded_channel();
    subscribe_all(&args, arrivals).await?;
    let expected = args.subscribers as u64;
    probe::wait_for_subscribers(&http, &args.metrics, expected, Duration::from_secs(60)).await?;
    let connect_seconds = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = total_rss(&args.pid)?;

    let mut seen: HashMap<String, Vec<Instant>> = HashMap::new();
    let mut all = Vec::new();
    let mut last = Vec::new();
    let mut delivered = 0usize;
    for n in 0..args.replies {
        let sent = Instant::now();
        let id = post_reply(&http, &args, n).await?;
        let deadline = tokio::time::Instant::from_std(sent + DELIVERY_DEADLINE);
        while seen.get(&id).map_or(0, Vec::len) < args.subscribers {
            match tokio::time::timeout_at(deadline, received.recv()).await {
                Ok(Some(Arrival { post_id, at })) => seen.entry(post_id).or_default().push(at),
                _ => break,
            }
        }
        let times = seen.remove(&id).unwrap_or_default();
        delivered += times.len();
        let latencies: Vec<Duration> = times.iter().map(|at| *at - sent).collect();
        last.extend(latencies.iter().max().copied());
        all.extend(latencies);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let each_ms: Vec<u64> = last.iter().map(|d| d.as_millis() as u64).collect();
    let report = json!({
        "subscribers": args.subscribers,
        "instances": args.ws.len(),
        "connect_seconds": connect_seconds,
        "rss_before_kib": rss_before,
        "rss_idle_kib": rss_idle,
        "kib_per_subscription": (rss_idle as f64 - rss_before as f64) / args.subscribers as f64,
        "replies": args.replies,
        "delivered": delivered,
        "expected": args.subscribers * args.replies,
        "delivery_p50_ms": stats::percentile_ms(&mut all, 50.0),
        "delivery_p99_ms": stats::percentile_ms(&mut all, 99.0),
        "last_subscriber_p50_ms": stats::percentile_ms(&mut last, 50.0),
        "last_subscriber_p99_ms": stats::percentile_ms(&mut last, 99.0),
        "last_subscriber_max_ms": stats::percentile_ms(&mut last, 100.0),
        "last_subscriber_each_ms": each_ms,
    });
    println!("{report}");
    Ok(())
}

/// Opens every subscription (a bounded number at a time) and leaves each listening.
async fn subscribe_all(args: &Args, arrivals: mpsc::UnboundedSender<Arrival>) -> Result<()> {
    let listens = listens(args)?;
    let urls = (0..args.subscribers).map(|i| args.ws[i % args.ws.len()].clone());
    let mut connecting = stream::iter(urls.zip(listens))
        .map(|(url, listen)| async move { Subscriber::connect(&url, &listen).await })
        .buffer_unordered(args.concurrency);
    while let Some(subscriber) = connecting.next().await {
        let subscriber = subscriber.context("open a subscription")?;
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            if let Err(error) = subscriber.listen(arrivals).await {
                eprintln!("subscriber stopped: {error:#}");
            }
        });
    }
    Ok(())
}

/// What each subscriber listens to: the thread, or its own notifications.
fn listens(args: &Args) -> Result<Vec<Listen>> {
    let Some(path) = &args.notified else {
        return Ok((0..args.subscribers)
            .map(|_| Listen::Thread(args.thread.clone()))
            .collect());
    };
    let text = std::fs::read_to_string(path).with_context(|| format!("read {path:?}"))?;
    let tokens: Vec<Listen> = text
        .lines()
        .take(args.subscribers)
        .map(|token| Listen::Notifications(token.to_owned()))
        .collect();
    if tokens.len() < args.subscribers {
        bail!(
            "{path:?} holds {} tokens, not {}",
            tokens.len(),
            args.subscribers
        );
    }
    Ok(tokens)
}

async fn post_reply(http: &reqwest::Client, args: &Args, n: usize) -> Result<String> {
    let body = json!({
        "query": "mutation Reply($input: PostReplyInput!) { postReply(input: $input) { post { id } userErrors { message } } }",
        "variables": { "input": { "threadId": args.thread, "body": format!("Fan-out reply {n}") } },
    });
    let response: Value = http
        .post(&args.http)
        .bearer_auth(&args.token)
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    match response["data"]["postReply"]["post"]["id"].as_str() {
        Some(id) => Ok(id.to_owned()),
        None => bail!("postReply failed: {response}"),
    }
}

fn total_rss(pids: &[u32]) -> Result<u64> {
    pids.iter().map(|pid| probe::rss_kib(*pid)).sum()
}
