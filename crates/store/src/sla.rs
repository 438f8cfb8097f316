//! The policy engine's storage: policy versions (PL-2), SLA due times on the ticket read row
//! and the timers that fire warnings and escalations (SL-2..SL-6), and the QF-3 start-by
//! hand-off.
//!
//! Every rule is in `hotro_core::sla`; this module only stores what the rules computed, in the
//! same transaction as the events that changed them.

use crate::commit::{Commit, Head};
use crate::error::{Result, StoreError};
use crate::rows::load_events_in;
use crate::tx::{RunIn, Tx};
use crate::{Backend, Store, millis};
use hotro_core::sla::{self, SlaStatus};
use hotro_core::{Actor, Event, EventRecord, Policy, Ticket};
use jiff::Timestamp;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Parsed policy versions by version string, shared by the store's clones.
#[derive(Clone, Default)]
pub(crate) struct PolicyBook(Arc<RwLock<HashMap<String, Arc<Policy>>>>);

impl PolicyBook {
    fn cached(&self, version: &str) -> Option<Arc<Policy>> {
        self.0.read().ok()?.get(version).cloned()
    }

    fn remember(&self, policy: Arc<Policy>) {
        if let Ok(mut map) = self.0.write() {
            map.entry(policy.version.clone()).or_insert(policy);
        }
    }
}

/// A stored policy version, for the policy page (PL-1, PL-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    pub version: String,
    pub published: Option<String>,
    pub first_used_at: Timestamp,
}

/// The SLA columns of a ticket's read row (what the queue and reports read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTimes {
    pub ack_due_at: Option<Timestamp>,
    pub resolve_due_at: Option<Timestamp>,
    pub start_by_at: Option<Timestamp>,
    pub paused: bool,
    pub time_barred: bool,
}

/// SL-6 counts for reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlaCounts {
    pub warnings: i64,
    pub escalations: i64,
}

impl Store {
    /// Records `policy` as a version in force (PL-2); a version already recorded keeps its
    /// first text and date. `serve` calls this at start with the policy it enforces.
    pub async fn record_policy(&self, policy: Arc<Policy>, now: Timestamp) -> Result<()> {
        let book = self.book.clone();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    insert_policy(c, &policy, now).await?;
                    book.remember(policy);
                    Ok(())
                })
            })
            .await
    }

    /// The stored due times of a ticket (NULL once met or while paused).
    pub async fn due_times(&self, code: &str) -> Result<DueTimes> {
        let row = sqlx::query(
            "SELECT ack_due_at, resolve_due_at, start_by_at, sla_paused, time_barred
             FROM tickets WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        due_times_of(&row)
    }

    /// Every recorded policy version, oldest first.
    pub async fn policy_versions(&self) -> Result<Vec<PolicyVersion>> {
        let rows = sqlx::query(
            "SELECT version, published, first_used_at FROM policy_versions
             ORDER BY first_used_at, version",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PolicyVersion {
                    version: r.try_get("version")?,
                    published: r.try_get("published")?,
                    first_used_at: crate::from_millis(r.try_get("first_used_at")?)?,
                })
            })
            .collect()
    }

    /// The SLA clocks of a ticket at `now`, under the policy version it was received with.
    pub async fn sla_status(&self, records: &[EventRecord], now: Timestamp) -> Result<SlaStatus> {
        let Some(Event::Received(r)) = records.first().map(|r| &r.event) else {
            return Ok(SlaStatus::default());
        };
        let policy = self.policy_of_read(&r.policy_version).await?;
        Ok(sla::status(records, &policy, now))
    }

    /// Warnings and escalations recorded between `from` and `to` (SL-6, for reports).
    pub async fn sla_counts(&self, from: Timestamp, to: Timestamp) -> Result<SlaCounts> {
        let row = sqlx::query(
            "SELECT
                 COALESCE(SUM(CASE WHEN kind = 'sla_warned' THEN 1 ELSE 0 END), 0) AS warnings,
                 COALESCE(SUM(CASE WHEN kind = 'sla_escalated' THEN 1 ELSE 0 END), 0) AS escalations
             FROM events WHERE at >= $1 AND at < $2",
        )
        .bind(millis(from))
        .bind(millis(to))
        .fetch_one(&self.pool)
        .await?;
        Ok(SlaCounts {
            warnings: row.try_get("warnings")?,
            escalations: row.try_get("escalations")?,
        })
    }

    /// The parsed policy of `version`: cached, else recorded in the store, else the built-in
    /// one when it has that version.
    pub(crate) async fn policy_of(&self, c: &mut Tx, version: &str) -> Result<Arc<Policy>> {
        if let Some(p) = self.book.cached(version) {
            return Ok(p);
        }
        let row = sqlx::query(POLICY_SOURCE)
            .bind(version)
            .fetch_optional_in(c)
            .await?;
        let source = row.map(|r| r.try_get("source")).transpose()?;
        self.remember_policy(version, source)
    }

    /// [`Store::policy_of`] outside a write.
    async fn policy_of_read(&self, version: &str) -> Result<Arc<Policy>> {
        if let Some(p) = self.book.cached(version) {
            return Ok(p);
        }
        let row = sqlx::query(POLICY_SOURCE)
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
        let source = row.map(|r| r.try_get("source")).transpose()?;
        self.remember_policy(version, source)
    }

    /// Parses a recorded policy (or takes the built-in one) and caches it.
    fn remember_policy(&self, version: &str, source: Option<String>) -> Result<Arc<Policy>> {
        let policy = match source {
            Some(source) => Policy::from_toml(&source)
                .map_err(|e| StoreError::Corrupt(format!("policy {version}: {e}")))?,
            None => {
                let builtin = Policy::builtin();
                if builtin.version != version {
                    return Err(StoreError::Corrupt(format!(
                        "policy version {version} is not recorded"
                    )));
                }
                builtin
            }
        };
        let policy = Arc::new(policy);
        self.book.remember(policy.clone());
        Ok(policy)
    }

    /// Makes the policy a command runs under known to the store (PL-2), once per version.
    pub(crate) async fn note_policy(
        &self,
        c: &mut Tx,
        policy: &Arc<Policy>,
        now: Timestamp,
    ) -> Result<()> {
        if self.book.cached(&policy.version).is_none() {
            insert_policy(c, policy, now).await?;
            self.book.remember(policy.clone());
        }
        Ok(())
    }

    /// Folds `history` and `new` into the ticket and commits `new` after `head`: for the
    /// records the system adds on its own (alerts, the QF-3 hand-off).
    pub(crate) async fn commit_system(
        &self,
        c: &mut Tx,
        mut head: Head,
        history: Vec<EventRecord>,
        new: Vec<EventRecord>,
        now: Timestamp,
    ) -> Result<()> {
        let from = history.len();
        let mut all = history;
        all.extend(new);
        let ticket = Ticket::from_history(&all)
            .ok_or_else(|| StoreError::Corrupt(format!("{}: no intake event", head.code)))?;
        self.commit(c, &mut head, Commit::new(&all, from, &ticket), now)
            .await
    }

    /// Plans a ticket's clocks from its whole history and stores them, when its commits
    /// deferred them (the bulk path).
    pub(crate) async fn refresh_clocks(
        &self,
        c: &mut Tx,
        ticket_id: i64,
        history: &[EventRecord],
        policy: &Policy,
        now: Timestamp,
    ) -> Result<()> {
        let clocks = Clocks::plan(history, policy, now);
        sqlx::query(
            "UPDATE tickets SET ack_due_at = $1, resolve_due_at = $2, sla_paused = $3,
                    time_barred = $4, start_by_at = $5
             WHERE id = $6",
        )
        .bind(clocks.ack_due_at)
        .bind(clocks.resolve_due_at)
        .bind(i64::from(clocks.paused))
        .bind(i64::from(clocks.time_barred))
        .bind(clocks.start_by_at)
        .bind(ticket_id)
        .execute_in(c)
        .await?;
        plan_timers(c, ticket_id, &clocks).await
    }

    /// QF-3: when a customer's issue is done, their oldest waiting issue must be taken up
    /// within the policy's hours; it gets a start-by event of its own.
    pub(crate) async fn hand_off_next_issue(
        &self,
        c: &mut Tx,
        done: &Ticket,
        done_id: i64,
        policy: &Policy,
        now: Timestamp,
    ) -> Result<()> {
        // `+t.is_open`: a customer has few tickets, so read them by customer and sort them;
        // without it SQLite may prefer the queue index for the order and walk every open
        // ticket of every customer on each resolve.
        let row = sqlx::query(
            "SELECT t.id, t.code FROM tickets t
             WHERE t.customer_id = (SELECT customer_id FROM tickets WHERE id = $1)
               AND t.id <> $1 AND +t.is_open = 1 AND t.assignee_id IS NULL
               AND t.status IN ('new', 'reopened') AND t.start_by_at IS NULL
             ORDER BY t.priority_rank, t.received_at, t.id LIMIT 1",
        )
        .bind(done_id)
        .fetch_optional_in(c)
        .await?;
        let Some(row) = row else { return Ok(()) };
        let next_code: String = row.try_get("code")?;
        let (_, records, head) = lock_ticket(c, &next_code, self.backend).await?;
        let record = EventRecord {
            at: now,
            actor: Actor::System,
            event: sla::start_next_issue(done, policy, now),
        };
        self.commit_system(c, head, records, vec![record], now)
            .await
    }

    /// SL-6: claims due timers with a lease and fires each one in its own transaction. Returns
    /// the events recorded. Safe to run on several nodes at once and to repeat: a timer whose
    /// alert is already in the ticket's history records nothing.
    pub async fn run_due_jobs(&self, now: Timestamp) -> Result<Vec<(String, Event)>> {
        let backend = self.backend;
        let claimed: Vec<(i64, i64)> = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    // PostgreSQL: nodes skip each other's rows instead of waiting on them.
                    let lock = if backend == Backend::Postgres {
                        " FOR UPDATE SKIP LOCKED"
                    } else {
                        ""
                    };
                    let rows = sqlx::query(AssertSqlSafe(format!(
                        "UPDATE timers SET lease_until = $1
                         WHERE id IN (SELECT id FROM timers
                                      WHERE done_at IS NULL AND due_at <= $2
                                        AND (lease_until IS NULL OR lease_until < $2)
                                      ORDER BY due_at, id LIMIT 100{lock})
                         RETURNING id, ticket_id"
                    )))
                    .bind(millis(now) + LEASE_MS)
                    .bind(millis(now))
                    .fetch_all_in(c)
                    .await?;
                    rows.iter()
                        .map(|r| Ok((r.try_get("id")?, r.try_get("ticket_id")?)))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .await?;
        let mut fired = Vec::new();
        for (timer_id, ticket_id) in claimed {
            let store = self.clone();
            let events = self
                .writer
                .write(move |c| {
                    Box::pin(async move { store.fire(c, timer_id, ticket_id, now).await })
                })
                .await?;
            fired.extend(events);
        }
        Ok(fired)
    }

    async fn fire(
        &self,
        c: &mut Tx,
        timer_id: i64,
        ticket_id: i64,
        now: Timestamp,
    ) -> Result<Vec<(String, Event)>> {
        let code: String = sqlx::query("SELECT code FROM tickets WHERE id = $1")
            .bind(ticket_id)
            .fetch_one_in(c)
            .await?
            .try_get("code")?;
        let (_, records, head) = lock_ticket(c, &code, self.backend).await?;
        sqlx::query("UPDATE timers SET done_at = $1 WHERE id = $2")
            .bind(millis(now))
            .bind(timer_id)
            .execute_in(c)
            .await?;
        let Some(Event::Received(r)) = records.first().map(|r| &r.event) else {
            return Ok(Vec::new());
        };
        let policy = self.policy_of(c, &r.policy_version).await?;
        let ticket = Ticket::from_history(&records)
            .ok_or_else(|| StoreError::Corrupt(format!("{code}: no intake event")))?;
        let lead = sqlx::query(
            "SELECT id FROM staff WHERE department = $1 AND role = 'lead' AND active = 1
             ORDER BY id LIMIT 1",
        )
        .bind(&ticket.department)
        .fetch_optional_in(c)
        .await?
        .map(|r| r.try_get::<i64>("id"))
        .transpose()?;
        let events = sla::fire_due_alerts(&records, &policy, lead, now);
        let new: Vec<EventRecord> = events
            .iter()
            .map(|e| EventRecord {
                at: now,
                actor: Actor::System,
                event: e.clone(),
            })
            .collect();
        // Even with nothing to record the timers are re-planned: the alert may have moved.
        self.commit_system(c, head, records, new, now).await?;
        Ok(events.into_iter().map(|e| (code.clone(), e)).collect())
    }
}

/// The SLA columns of a ticket row.
pub(crate) fn due_times_of(row: &sqlx::any::AnyRow) -> Result<DueTimes> {
    let at = |column: &str| -> Result<Option<Timestamp>> {
        row.try_get::<Option<i64>, _>(column)?
            .map(crate::from_millis)
            .transpose()
    };
    Ok(DueTimes {
        ack_due_at: at("ack_due_at")?,
        resolve_due_at: at("resolve_due_at")?,
        start_by_at: at("start_by_at")?,
        paused: row.try_get::<i64, _>("sla_paused")? != 0,
        time_barred: row.try_get::<i64, _>("time_barred")? != 0,
    })
}

const POLICY_SOURCE: &str = "SELECT source FROM policy_versions WHERE version = $1";

/// How long a claimed timer is reserved for the node that claimed it.
const LEASE_MS: i64 = 60_000;

/// Locks a ticket's row (PostgreSQL) and loads its history and log head.
pub(crate) async fn lock_ticket(
    c: &mut Tx,
    code: &str,
    backend: Backend,
) -> Result<(i64, Vec<EventRecord>, Head)> {
    let lock = if backend == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT id, head_hash FROM tickets WHERE code = $1{lock}"
    )))
    .bind(code)
    .fetch_optional_in(c)
    .await?
    .ok_or(StoreError::NotFound)?;
    let id: i64 = row.try_get("id")?;
    let history = load_events_in(c, id).await?;
    let head = Head {
        ticket_id: id,
        code: code.to_owned(),
        seq: history.last().map_or(0, |e| e.seq),
        hash: row.try_get("head_hash")?,
    };
    Ok((id, history.into_iter().map(|e| e.record).collect(), head))
}

async fn insert_policy(c: &mut Tx, policy: &Policy, now: Timestamp) -> Result<()> {
    // PL-2: a version names one text forever. Reusing a version for a changed file would
    // silently change the deadlines of tickets received under it, so it is refused.
    let recorded = sqlx::query("SELECT source FROM policy_versions WHERE version = $1")
        .bind(&policy.version)
        .fetch_optional_in(c)
        .await?;
    if let Some(row) = recorded {
        let source: String = row.try_get("source")?;
        if source != policy.source && !policy.source.is_empty() {
            return Err(StoreError::Duplicate(
                "policy version with a different text (give the changed policy a new version)",
            ));
        }
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO policy_versions (version, source, published, first_used_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING",
    )
    .bind(&policy.version)
    .bind(&policy.source)
    .bind(policy.published.map(|d| d.to_string()))
    .bind(millis(now))
    .execute_in(c)
    .await?;
    Ok(())
}

/// A ticket's clocks as the read row stores them (SL-2..SL-6, QF-3), with the alerts still
/// to fire.
pub(crate) struct Clocks {
    pub ack_due_at: Option<i64>,
    pub resolve_due_at: Option<i64>,
    pub start_by_at: Option<i64>,
    pub paused: bool,
    pub time_barred: bool,
    alerts: Vec<sla::Alert>,
}

impl Clocks {
    /// What the core rules say of `history` under its `policy` at `now`.
    pub fn plan(history: &[EventRecord], policy: &Policy, now: Timestamp) -> Clocks {
        let status = sla::status(history, policy, now);
        let due = |clock: &Option<sla::ClockStatus>| {
            clock
                .as_ref()
                .filter(|c| c.met_at.is_none())
                .and_then(|c| c.due_at)
                .map(millis)
        };
        let time_barred = matches!(
            history.first().map(|r| &r.event),
            Some(Event::Received(r)) if r.time_barred.is_some()
        );
        Clocks {
            ack_due_at: due(&status.acknowledge),
            resolve_due_at: due(&status.resolve),
            start_by_at: due(&status.start),
            paused: status.clocks().any(|c| c.paused),
            time_barred,
            alerts: sla::pending_alerts(history, policy, now),
        }
    }
}

/// Re-plans a ticket's unfired timers; fired ones stay as they are.
pub(crate) async fn plan_timers(c: &mut Tx, ticket_id: i64, clocks: &Clocks) -> Result<()> {
    sqlx::query("DELETE FROM timers WHERE ticket_id = $1 AND done_at IS NULL")
        .bind(ticket_id)
        .execute_in(c)
        .await?;
    for alert in &clocks.alerts {
        sqlx::query(
            "INSERT INTO timers (ticket_id, clock, escalation, due_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (ticket_id, clock, escalation)
             DO UPDATE SET due_at = excluded.due_at, done_at = NULL, lease_until = NULL",
        )
        .bind(ticket_id)
        .bind(alert.clock.as_str())
        .bind(i64::from(alert.escalation))
        .bind(millis(alert.at))
        .execute_in(c)
        .await?;
    }
    Ok(())
}
