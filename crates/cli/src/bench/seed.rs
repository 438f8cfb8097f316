//! `hotro bench seed`: fills a store with N generated tickets through the store's bulk path
//! (many tickets per transaction, the production projection code for each), with a progress
//! bar. Generation runs on its own thread so that it overlaps the writing.

use super::generate::Generator;
use crate::options::{StoreArgs, load_policy};
use anyhow::{Context, bail};
use clap::Args;
use hotro_core::{Policy, Role, StaffMember};
use hotro_store::{Backend, BulkReport, BulkTicket, NewStaff, Store, StoreError};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct SeedArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Số phiếu / How many tickets to write.
    #[arg(long)]
    tickets: u64,
    /// Tickets per transaction. A batch is one job of the SQLite writer, whose savepoint
    /// journal (in memory) SQLite walks at the end of each statement: hundreds, not
    /// thousands, keep that walk short.
    #[arg(long, default_value_t = 100)]
    batch: u64,
    /// Batches written at once. PostgreSQL runs them side by side (each intake's round trips
    /// overlap the others'); SQLite's one writer takes them in turn, so one is enough there.
    #[arg(long)]
    parallel: Option<usize>,
    /// Tickets are received evenly over this many days up to now.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// Varies the generated content; the same seed writes the same texts.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The policy whose departments and topics are used (the built-in one by default).
    #[arg(long, env = "HOTRO_POLICY")]
    policy: Option<PathBuf>,
}

/// At most this many tickets per run: a bound on what a typo can do to a disk.
const MAX_TICKETS: u64 = 100_000_000;

pub async fn run(args: SeedArgs) -> anyhow::Result<ExitCode> {
    if args.tickets == 0 || args.tickets > MAX_TICKETS {
        bail!("--tickets: give a number from 1 to {MAX_TICKETS}");
    }
    if args.batch == 0 || args.batch > 10_000 {
        bail!("--batch: give a number from 1 to 10000");
    }
    if args.parallel.is_some_and(|p| p == 0 || p > 64) {
        bail!("--parallel: give a number from 1 to 64");
    }
    if args.days == 0 || args.days > 3650 {
        bail!("--days: give a number from 1 to 3650");
    }
    let policy = Arc::new(load_policy(args.policy.as_ref())?);
    let store = args.store.open().await?;
    let parallel = args.parallel.unwrap_or(match store.backend() {
        Backend::Postgres => 4,
        Backend::Sqlite => 1,
    });
    let now = Timestamp::now();
    store
        .record_policy(policy.clone(), now)
        .await
        .context("cannot record the policy version")?;
    let agents = agents(&store, &policy, now).await?;

    let total = args.tickets;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<BulkTicket>>(2);
    let generator_policy = policy.clone();
    let (batch, days, seed) = (args.batch, args.days, args.seed);
    let producer = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let generator = Generator {
            policy: &generator_policy,
            agents: &agents,
            start: now
                .checked_sub(SignedDuration::from_hours(24 * i64::from(days)))
                .unwrap_or(now),
            end: now,
            total,
            customers: (total / 3).max(1),
            seed,
        };
        let mut i = 0;
        while i < total {
            let end = (i + batch).min(total);
            let tickets = (i..end)
                .map(|n| generator.ticket(n))
                .collect::<anyhow::Result<Vec<_>>>()?;
            if tx.blocking_send(tickets).is_err() {
                // The writer stopped; its error is the one to report.
                return Ok(());
            }
            i = end;
        }
        Ok(())
    });

    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} phiếu/tickets ({per_sec}, eta {eta})",
        )
        .expect("the template is valid")
        .progress_chars("=> "),
    );
    let started = Instant::now();
    let mut tally = Tally {
        next_analyze: 1,
        ..Tally::default()
    };
    let mut writing = tokio::task::JoinSet::new();
    while let Some(tickets) = rx.recv().await {
        if writing.len() >= parallel
            && let Some(done) = writing.join_next().await
        {
            tally.add(&store, &bar, done).await?;
        }
        let (store, policy) = (store.clone(), policy.clone());
        writing.spawn(async move {
            let n = tickets.len() as u64;
            let report = store
                .receive_many(tickets, policy.ticket_code_prefix.clone(), policy)
                .await;
            (n, report)
        });
    }
    while let Some(done) = writing.join_next().await {
        tally.add(&store, &bar, done).await?;
    }
    producer.await.context("the generator stopped")??;
    store.analyze().await.context("cannot refresh statistics")?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "hotro: {total} phiếu / tickets, {} commands ({} refused by the rules) \
         in {secs:.1} s — {:.0} tickets/s",
        tally.commands,
        tally.refused,
        total as f64 / secs
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// What the written batches add up to.
#[derive(Default)]
struct Tally {
    commands: u64,
    refused: u64,
    written: u64,
    next_analyze: u64,
}

impl Tally {
    async fn add(
        &mut self,
        store: &Store,
        bar: &ProgressBar,
        done: Result<(u64, hotro_store::Result<BulkReport>), tokio::task::JoinError>,
    ) -> anyhow::Result<()> {
        let (n, report) = done.context("a batch's writer stopped")?;
        let report = report.context("cannot write a batch of tickets")?;
        self.commands += report.commands;
        self.refused += report.refused;
        self.written += n;
        bar.inc(n);
        // Planner statistics as the store grows by tenfold steps: lookups the production
        // code makes per ticket stay on the right index all along.
        if self.written >= self.next_analyze {
            store.analyze().await.context("cannot refresh statistics")?;
            self.next_analyze = self.written.saturating_mul(10);
        }
        Ok(())
    }
}

/// One agent per department, created on the first run and found again on the next. They get
/// a random password nobody knows: they exist to sign the generated work.
async fn agents(
    store: &Store,
    policy: &Policy,
    now: Timestamp,
) -> anyhow::Result<HashMap<String, StaffMember>> {
    let mut agents = HashMap::new();
    for d in &policy.departments {
        let email = format!("bench.{}@hotro.test", d.id);
        let member = match store.staff_by_email(&email).await? {
            Some(m) => m,
            None => {
                let password_hash =
                    hotro_app::secrets::hash_password(&hotro_app::secrets::new_password())
                        .map_err(|e| anyhow::anyhow!(e))?;
                let new = NewStaff {
                    email: email.clone(),
                    name: format!("Nhân viên thử tải {}", d.name),
                    department: d.id.clone(),
                    role: Role::Agent,
                    password_hash,
                };
                match store.add_staff(new, now).await {
                    Ok(m) => m,
                    Err(StoreError::Duplicate(_)) => {
                        bail!("{email} exists but is inactive; seed into another store")
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        agents.insert(d.id.clone(), member);
    }
    Ok(agents)
}
