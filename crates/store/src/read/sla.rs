//! The clocks as stored and as computed for reading (SL-2..SL-6): a ticket's due times from
//! its read row, its clocks at a given instant, the counts of alerts for reports.

use crate::error::{Result, StoreError};
use crate::{Store, millis};
use hotro_core::EventRecord;
use hotro_core::event::Event;
use hotro_core::sla::{self, SlaStatus};
use jiff::Timestamp;
use sqlx::Row;

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
