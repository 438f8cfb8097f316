//! The SLA timers (SL-6): due warnings and escalations are claimed with a lease and each
//! fired in its own transaction, so several nodes on one PostgreSQL share the work without
//! doubling it, and a repeat records nothing twice.

use crate::error::{Result, StoreError};
use crate::jobs::lease::{self, Claim};
use crate::tx::{RunIn, Tx};
use crate::write::commit::lock_ticket;
use crate::{Store, millis};
use hotro_core::sla;
use hotro_core::{Actor, Event, EventRecord, Ticket};
use jiff::Timestamp;

/// How long a claimed timer is reserved for the node that claimed it.
const LEASE_MS: i64 = 60_000;

/// Timers not yet fired whose instant has come, the earliest first.
const DUE_TIMERS: Claim = Claim {
    table: "timers",
    due: "done_at IS NULL AND due_at <= $2",
    order: "due_at, id",
    columns: "id, ticket_id",
};

impl Store {
    /// SL-6: claims due timers with a lease and fires each one in its own transaction. Returns
    /// the events recorded. Safe to run on several nodes at once and to repeat: a timer whose
    /// alert is already in the ticket's history records nothing.
    pub async fn run_due_jobs(&self, now: Timestamp) -> Result<Vec<(String, Event)>> {
        let claimed: Vec<(i64, i64)> = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    let rows =
                        lease::claim(c, &DUE_TIMERS, millis(now), millis(now) + LEASE_MS, 100)
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
