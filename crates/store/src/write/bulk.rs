//! Writing many tickets per transaction (`hotro bench seed`, imports): each ticket goes
//! through the same intake and command code as one received over HTTP, so its hash chain,
//! read row, messages, clocks and timers are exactly what production would have written.
//!
//! Only the transaction boundary differs: one commit (one fsync) for a whole batch instead
//! of one per request, which is what makes a million tickets a matter of minutes.

use crate::error::{Result, StoreError};
use crate::tx::{RunIn, Tx};
use crate::write::commands::Caller;
use crate::write::commit::Commit;
use crate::{Backend, Store, millis};
use hotro_core::intake::Intake;
use hotro_core::ticket::CustomerCommand;
use hotro_core::{Actor, Command, EventRecord, Policy, StaffMember};
use jiff::Timestamp;
use std::sync::Arc;

/// One ticket to write: its intake and what happened to it afterwards, in order.
#[derive(Debug, Clone)]
pub struct BulkTicket {
    pub intake: Intake,
    pub actor: Actor,
    /// SHA-256 of the customer's tracking secret, as for [`Store::receive`].
    pub tracking_hash: String,
    pub received_at: Timestamp,
    pub steps: Vec<BulkStep>,
}

/// A later command on the ticket, by staff or by its customer, at an instant.
#[derive(Debug, Clone)]
pub enum BulkStep {
    Staff {
        staff: StaffMember,
        /// Boxed: a command is several times a customer's in size.
        command: Box<Command>,
        at: Timestamp,
    },
    Customer {
        command: CustomerCommand,
        at: Timestamp,
    },
}

/// What a batch wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkReport {
    pub tickets: u64,
    /// Commands carried out after intake.
    pub commands: u64,
    /// Commands the core rules refused (nothing of them was written); a generator that
    /// asks for an illegal move simply leaves the ticket where it was.
    pub refused: u64,
}

impl Store {
    /// Writes `tickets` in one transaction: intake through the code of [`Store::receive`],
    /// then each step decided by the core rules and appended as its own command, exactly as
    /// [`Store::execute`] would (one notice per command at most, TR-1). The ticket is still
    /// in hand, so its history is not read back between steps, and its clocks and timers are
    /// planned once, after its last step, from the whole history (what the last command's
    /// refresh would have left). A refused step is counted and skipped; any other failure
    /// rolls the whole batch back. On SQLite a batch is one job of the writer, in one
    /// savepoint whose journal SQLite walks after every statement: keep batches to hundreds
    /// of tickets (a 1,000-ticket batch seeded about 40 % slower than 100-ticket ones).
    pub async fn receive_many(
        &self,
        tickets: Vec<BulkTicket>,
        code_prefix: String,
        policy: Arc<Policy>,
    ) -> Result<BulkReport> {
        let mut years: Vec<i16> = tickets
            .iter()
            .map(|t| crate::write::intake::code_year(t.received_at))
            .collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            self.prepare_codes(&code_prefix, year).await?;
        }
        let store = self.clone();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let mut report = BulkReport::default();
                    for t in tickets {
                        store
                            .receive_one(c, t, &code_prefix, &policy, &mut report)
                            .await?;
                    }
                    Ok(report)
                })
            })
            .await
    }

    async fn receive_one(
        &self,
        c: &mut Tx,
        t: BulkTicket,
        code_prefix: &str,
        policy: &Arc<Policy>,
        report: &mut BulkReport,
    ) -> Result<()> {
        let received = crate::write::intake::Received {
            intake: t.intake,
            actor: t.actor,
            code_prefix: code_prefix.to_owned(),
            tracking_hash: t.tracking_hash.clone(),
            extras: Default::default(),
        };
        let (created, mut head, mut history, mut ticket) =
            self.receive_in(c, received, t.received_at).await?;
        report.tickets += 1;
        let first_records = history.len();
        let mut last_at = t.received_at;
        let mut settled_at = None;
        for step in t.steps {
            let (caller, at) = match step {
                BulkStep::Staff { staff, command, at } => (Caller::Staff(staff, *command), at),
                BulkStep::Customer { command, at } => {
                    (Caller::Customer(t.tracking_hash.clone(), command), at)
                }
            };
            // A history runs forward, whatever the generator says.
            let at = if millis(at) < millis(last_at) {
                last_at
            } else {
                at
            };
            let (events, actor) = match caller.decide(&ticket, policy, None, at) {
                Ok(decided) => decided,
                // The rules decide before anything is written: a refusal leaves no trace.
                Err(StoreError::Rejected(_)) => {
                    report.refused += 1;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let was_open = ticket.status.is_open();
            for e in &events {
                ticket.apply(e);
            }
            if was_open && !ticket.status.is_open() && settled_at.is_none() {
                settled_at = Some(at);
            }
            let from = history.len();
            history.extend(
                events
                    .into_iter()
                    .map(|event| EventRecord { at, actor, event }),
            );
            let mut commit = Commit::new(&history, from, &ticket);
            commit.plan_clocks = false;
            self.commit(c, &mut head, commit, at).await?;
            last_at = at;
            report.commands += 1;
        }
        if history.len() > first_records {
            let version = self.policy_of(c, &ticket.policy_version).await?;
            self.refresh_clocks(c, created.id, &history, &version, last_at)
                .await?;
        }
        // QF-3: the customer's next issue gets its start-by deadline from the moment this one
        // was settled.
        if let Some(at) = settled_at {
            self.hand_off_next_issue(c, &ticket, created.id, policy, at)
                .await?;
        }
        Ok(())
    }
}

impl Store {
    /// Refreshes the query planner's statistics after a bulk load. Without them SQLite picks
    /// an index by its shape alone, and some lookups (QF-3's search for a customer's next
    /// issue) walk the whole open queue instead of the customer's few tickets.
    pub async fn analyze(&self) -> Result<()> {
        // A sample per index is enough to rank them and keeps this quick at a million rows.
        let sample: &[&str] = match self.backend {
            Backend::Sqlite => &["PRAGMA analysis_limit = 1000"],
            Backend::Postgres => &[],
        };
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    for &sql in sample {
                        sqlx::query(sql).execute_in(c).await?;
                    }
                    sqlx::query("ANALYZE").execute_in(c).await?;
                    Ok(())
                })
            })
            .await
    }
}
