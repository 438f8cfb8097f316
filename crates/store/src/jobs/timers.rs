//! The SLA timers (SL-6): due warnings and escalations are claimed with a lease and each
//! fired in its own transaction, so several nodes on one PostgreSQL share the work without
//! doubling it, and a repeat records nothing twice. In the same transaction each alert is
//! listed for the leads (`sla_alerts`) and everyone it names is notified: a row in the
//! workspace and a mail, held until the department's next working opening.

use crate::error::{Result, StoreError};
use crate::jobs::lease::{self, Claim};
use crate::tx::{RunIn, Tx};
use crate::write::commit::lock_ticket;
use crate::write::queue::enqueue_for_staff;
use crate::{Change, Store, millis};
use hotro_core::sla::{self, notice::AlertWords};
use hotro_core::{Actor, Event, EventRecord, Ticket};
use jiff::Timestamp;
use std::sync::Arc;

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
    /// alert is already in the ticket's history records nothing. The staff it names are
    /// notified, their mails written in `words`.
    pub async fn run_due_jobs(
        &self,
        now: Timestamp,
        words: Arc<AlertWords>,
    ) -> Result<Vec<(String, Event)>> {
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
            let words = words.clone();
            let (events, change) = self
                .writer
                .write(move |c| {
                    Box::pin(async move { store.fire(c, timer_id, ticket_id, &words, now).await })
                })
                .await?;
            if let Some(change) = change {
                self.publish(change);
            }
            fired.extend(events);
        }
        Ok(fired)
    }

    async fn fire(
        &self,
        c: &mut Tx,
        timer_id: i64,
        ticket_id: i64,
        words: &AlertWords,
        now: Timestamp,
    ) -> Result<(Vec<(String, Event)>, Option<Change>)> {
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
            return Ok((Vec::new(), None));
        };
        let policy = self.policy_of(c, &r.policy_version).await?;
        let ticket = Ticket::from_history(&records)
            .ok_or_else(|| StoreError::Corrupt(format!("{code}: no intake event")))?;
        // Every active lead is warned; the first (oldest account) is handed a breach.
        let leads = sqlx::query(
            "SELECT id FROM staff WHERE department = $1 AND role = 'lead' AND active = 1
             ORDER BY id",
        )
        .bind(&ticket.department)
        .fetch_all_in(c)
        .await?
        .iter()
        .map(|r| r.try_get::<i64>("id"))
        .collect::<std::result::Result<Vec<_>, _>>()?;
        let events = sla::fire_due_alerts(&records, &policy, &leads, now);
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
        // Mails wait for the department's working hours; warnings already fire only then.
        let send_from = policy
            .calendar(&ticket.department)
            .next_opening(now)
            .unwrap_or(now);
        let mut notified = Vec::new();
        for event in &events {
            let (kind, clock, due_at, department) = match event {
                Event::SlaWarned { clock, due_at, .. } => {
                    ("warning", clock, due_at, &ticket.department)
                }
                Event::SlaEscalated {
                    clock,
                    due_at,
                    department,
                    ..
                } => ("breach", clock, due_at, department),
                _ => continue,
            };
            let alert_id: i64 = sqlx::query(
                "INSERT INTO sla_alerts (ticket_id, kind, clock, due_at, department, at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(ticket_id)
            .bind(kind)
            .bind(clock.as_str())
            .bind(millis(*due_at))
            .bind(department)
            .bind(millis(now))
            .fetch_one_in(c)
            .await?
            .try_get("id")?;
            for person in sla::alert_recipients(event, ticket.assignee) {
                let Some(row) = sqlx::query("SELECT email FROM staff WHERE id = $1 AND active = 1")
                    .bind(person)
                    .fetch_optional_in(c)
                    .await?
                else {
                    continue;
                };
                sqlx::query(
                    "INSERT INTO notifications (staff_id, alert_id, created_at)
                     VALUES ($1, $2, $3)",
                )
                .bind(person)
                .bind(alert_id)
                .bind(millis(now))
                .execute_in(c)
                .await?;
                let email: String = row.try_get("email")?;
                let mail =
                    sla::notice::alert_mail(words, &email, person, &code, &ticket.subject, event);
                if let Some(mail) = mail {
                    enqueue_for_staff(c, ticket_id, mail, now, send_from).await?;
                }
                if !notified.contains(&person) {
                    notified.push(person);
                }
            }
        }
        let change = (!events.is_empty()).then(|| Change {
            code: code.clone(),
            departments: vec![ticket.department.clone()],
            notified,
        });
        Ok((
            events.into_iter().map(|e| (code.clone(), e)).collect(),
            change,
        ))
    }
}
