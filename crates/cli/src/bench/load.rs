//! `hotro bench load`: C concurrent clients drive a running server over loopback HTTP for D
//! seconds (and at most N requests), then the run's throughput, latency quantiles per
//! operation and the server's resident memory are printed.

use super::memory::{self, Resident};
use super::ops::{Op, Outcome, Target};
use super::report::Stats;
use super::words::Rng;
use crate::options::load_policy;
use anyhow::{Context, bail};
use clap::Args;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Queue pages read before a run for ticket codes to reply to and to open.
const START_PAGES: usize = 25;

#[derive(Args, Debug)]
pub struct LoadArgs {
    /// The server, on this machine: http://127.0.0.1:PORT.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// A staff API token (`hotro token create`); staff operations need it. A general or
    /// admin account sees every department's tickets.
    #[arg(long, env = "HOTRO_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    clients: u32,
    /// Seconds to run.
    #[arg(long, default_value_t = 10)]
    duration: u64,
    /// At most this many requests in all, whatever the duration.
    #[arg(long, default_value_t = 5_000_000)]
    max_requests: u64,
    /// Operations to mix, comma-separated: public-intake, staff-intake, reply, queue, ticket,
    /// search (all by default). Each client takes them in turn.
    #[arg(long, value_delimiter = ',')]
    ops: Vec<String>,
    /// The server's process id, for its resident memory; found by the URL's port otherwise.
    #[arg(long)]
    server_pid: Option<u32>,
    /// The policy whose reply greeting and closing replies carry (built-in by default).
    #[arg(long, env = "HOTRO_POLICY")]
    policy: Option<PathBuf>,
}

pub async fn run(args: LoadArgs) -> anyhow::Result<ExitCode> {
    let url = reqwest::Url::parse(&args.url).map_err(|e| anyhow::anyhow!("--url: {e}"))?;
    let loopback = match url.host_str() {
        Some("localhost") => true,
        Some(host) => host
            .trim_matches(['[', ']'])
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    };
    if !loopback || url.scheme() != "http" {
        bail!("--url: the load driver only drives http:// servers on this machine (loopback)");
    }
    if !(1..=1024).contains(&args.clients) {
        bail!("--clients: give a number from 1 to 1024");
    }
    if !(1..=3600).contains(&args.duration) {
        bail!("--duration: give a number of seconds from 1 to 3600");
    }
    if args.max_requests == 0 {
        bail!("--max-requests: give a number above 0");
    }
    let ops = if args.ops.is_empty() {
        Op::ALL.to_vec()
    } else {
        args.ops
            .iter()
            .map(|name| {
                Op::parse(name.trim()).with_context(|| {
                    let known: Vec<&str> = Op::ALL.iter().map(|o| o.name()).collect();
                    format!("--ops: {name:?} is not one of {}", known.join(", "))
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    if args.token.is_none() && ops.iter().any(|o| o.needs_token()) {
        bail!("--token: staff operations need a staff API token (hotro token create)");
    }
    let server_pid = match args.server_pid {
        Some(pid) => Some(pid),
        None => url
            .port_or_known_default()
            .and_then(|port| memory::pid_listening_on(port).ok()),
    };
    if let Some(pid) = server_pid {
        memory::resident(pid)?;
    }
    let policy = load_policy(args.policy.as_ref())?;
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(args.clients as usize)
        .timeout(Duration::from_secs(30))
        .build()?;
    let target = Arc::new(Target::new(
        client,
        args.url.clone(),
        args.token.clone(),
        policy.reply.greeting.clone(),
        policy.reply.closing.clone(),
    ));
    // Before any load: the server answers, and the token (when given) is accepted, so a
    // typo in --url or --token is one clear error instead of a run of failures.
    let probe = match args.token.as_deref() {
        Some(token) => target
            .client
            .get(format!("{}/api/v1/queue", target.base))
            .query(&[("limit", "1")])
            .bearer_auth(token),
        None => target.client.get(format!("{}/healthz", target.base)),
    };
    let answer = probe
        .send()
        .await
        .with_context(|| format!("--url: {} does not answer", args.url))?;
    if !answer.status().is_success() {
        match args.token {
            Some(_) => bail!(
                "--token: the server answered {} to this token",
                answer.status()
            ),
            None => bail!(
                "--url: {} answered {} to /healthz",
                args.url,
                answer.status()
            ),
        }
    }
    // Replies and ticket pages need codes: the queue's first pages give some to start with,
    // so that replies spread over many tickets instead of lengthening a few histories.
    if ops.iter().any(|o| o.needs_code()) {
        let mut rng = Rng::new(0);
        let mut after: Option<String> = None;
        for _ in 0..START_PAGES {
            let mut request = target
                .client
                .get(format!("{}/api/v1/queue", target.base))
                .query(&[("limit", "200")])
                .bearer_auth(args.token.as_deref().unwrap_or_default());
            if let Some(cursor) = &after {
                request = request.query(&[("after", cursor)]);
            }
            let page = request
                .send()
                .await
                .with_context(|| format!("--url: {} does not answer", args.url))?;
            if !page.status().is_success() {
                bail!(
                    "--token: the queue answered {} to this token",
                    page.status()
                );
            }
            let body: serde_json::Value = page.json().await?;
            target.collect_codes(&body, &mut rng, 200);
            after = body["next"].as_str().map(str::to_owned);
            if after.is_none() {
                break;
            }
        }
    }

    let before = server_pid.and_then(|pid| memory::resident(pid).ok());
    let issued = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.duration);
    let mut clients = Vec::new();
    for n in 0..args.clients {
        let (target, ops, issued) = (target.clone(), ops.clone(), issued.clone());
        let max = args.max_requests;
        clients.push(tokio::spawn(async move {
            let mut rng = Rng::new(u64::from(n) + 1);
            let mut stats = Stats::default();
            let mut turn = n as usize;
            while Instant::now() < deadline && issued.fetch_add(1, Ordering::Relaxed) < max {
                let op = ops[turn % ops.len()];
                turn += 1;
                let t0 = Instant::now();
                let outcome = target.run(op, &mut rng).await;
                stats.record(op, outcome, t0.elapsed());
                if outcome == Outcome::Skipped {
                    // Nothing known yet to reply to; let an intake find something first.
                    tokio::task::yield_now().await;
                }
            }
            stats
        }));
    }
    // The peak resident memory while loaded, sampled twice a second.
    let sampler = server_pid.map(|pid| {
        tokio::spawn(async move {
            let mut peak = 0;
            while Instant::now() < deadline {
                if let Ok(r) = memory::resident(pid) {
                    peak = peak.max(r.rss_kib);
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            peak
        })
    });
    let mut total = Stats::default();
    for c in clients {
        total.merge(c.await.context("a client stopped")?);
    }
    let elapsed = started.elapsed();
    let peak = match sampler {
        Some(s) => s.await.unwrap_or(0),
        None => 0,
    };
    let after = server_pid.and_then(|pid| memory::resident(pid).ok());

    println!(
        "hotro bench load: {} clients, {:.1} s, {} ({} ticket codes known)",
        args.clients,
        elapsed.as_secs_f64(),
        args.url,
        target.known_codes()
    );
    print!("{}", total.render(elapsed));
    if let (Some(pid), Some(after)) = (server_pid, after) {
        let mib = |kib: u64| kib as f64 / 1024.0;
        let Resident { rss_kib, hwm_kib } = after;
        println!(
            "server pid {pid}: resident {:.1} MiB before, {:.1} MiB peak sampled, {:.1} MiB \
             after; VmHWM {:.1} MiB",
            mib(before.map_or(0, |b| b.rss_kib)),
            mib(peak),
            mib(rss_kib),
            mib(hwm_kib)
        );
    }
    Ok(ExitCode::SUCCESS)
}
