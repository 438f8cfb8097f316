//! A ticket's clocks as its read row stores them, and the timers that will fire its warnings
//! and escalations (SL-2..SL-6, QF-3): planned by the core rules from the history, written in
//! the same commit as the events that changed them.

use crate::error::Result;
use crate::tx::{RunIn, Tx};
use crate::{Store, millis};
use hotro_core::sla;
use hotro_core::{Event, EventRecord, Policy};
use jiff::Timestamp;

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
    /// No due times, for a row whose clocks a later commit plans (the bulk path).
    pub fn none() -> Clocks {
        Clocks {
            ack_due_at: None,
            resolve_due_at: None,
            start_by_at: None,
            paused: false,
            time_barred: false,
            alerts: Vec::new(),
        }
    }

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

impl Store {
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
