//! SL-6 as people see it: each member of staff's notifications (the warnings and breaches
//! that named them, written by `jobs::timers`), the leads' escalation list, and the count of
//! breaches per department for reports.

use crate::error::{Result, StoreError};
use crate::tx::RunIn;
use crate::{Store, from_millis, millis};
use hotro_core::StaffMember;
use hotro_core::sla::SlaClock;
use jiff::Timestamp;
use sqlx::Row;

/// One notification of a member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    /// `warning` or `breach`.
    pub kind: String,
    pub clock: SlaClock,
    pub due_at: Timestamp,
    pub code: String,
    pub subject: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// One alert on a lead's list, with its ticket as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub id: i64,
    /// `warning` or `breach`.
    pub kind: String,
    pub clock: SlaClock,
    pub due_at: Timestamp,
    pub at: Timestamp,
    pub code: String,
    pub subject: String,
    /// The ticket's department now.
    pub department: String,
    pub status: String,
    pub open: bool,
    pub assignee: Option<i64>,
    pub assignee_name: Option<String>,
}

fn clock_of(text: &str) -> Result<SlaClock> {
    SlaClock::parse(text).ok_or_else(|| StoreError::Corrupt(format!("SLA clock {text:?}")))
}

impl Store {
    /// `staff_id`'s notifications, newest first, at most `limit`.
    pub async fn notifications(&self, staff_id: i64, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query(
            "SELECT n.id, n.created_at, n.read_at, a.kind, a.clock, a.due_at, t.code, t.subject
             FROM notifications n
             JOIN sla_alerts a ON a.id = n.alert_id
             JOIN tickets t ON t.id = a.ticket_id
             WHERE n.staff_id = $1
             ORDER BY n.id DESC
             LIMIT $2",
        )
        .bind(staff_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    clock: clock_of(&r.try_get::<String, _>("clock")?)?,
                    due_at: from_millis(r.try_get("due_at")?)?,
                    code: r.try_get("code")?,
                    subject: r.try_get("subject")?,
                    created_at: from_millis(r.try_get("created_at")?)?,
                    read_at: r
                        .try_get::<Option<i64>, _>("read_at")?
                        .map(from_millis)
                        .transpose()?,
                })
            })
            .collect()
    }

    /// How many of `staff_id`'s notifications are unread (the workspace's count).
    pub async fn unread_notifications(&self, staff_id: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM notifications WHERE staff_id = $1 AND read_at IS NULL",
        )
        .bind(staff_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Marks notification `id` of `staff_id` read (once: a second time changes nothing).
    /// `NotFound` when it is not theirs, so nobody learns of another person's.
    pub async fn mark_notification_read(
        &self,
        staff_id: i64,
        id: i64,
        now: Timestamp,
    ) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let found = sqlx::query(
                        "SELECT read_at FROM notifications WHERE id = $1 AND staff_id = $2",
                    )
                    .bind(id)
                    .bind(staff_id)
                    .fetch_optional_in(c)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                    if found.try_get::<Option<i64>>("read_at")?.is_none() {
                        sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2")
                            .bind(millis(now))
                            .bind(id)
                            .execute_in(c)
                            .await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// SL-6: the warnings and breaches a lead must act on — of tickets now in their
    /// department (RT-4), every department's for an administrator — newest first.
    pub async fn escalations(&self, viewer: &StaffMember, limit: i64) -> Result<Vec<Escalation>> {
        let everything = i64::from(viewer.role.sees_all_departments());
        let rows = sqlx::query(
            "SELECT a.id, a.kind, a.clock, a.due_at, a.at, t.code, t.subject, t.department,
                    t.status, t.is_open, t.assignee_id, s.name AS assignee_name
             FROM sla_alerts a
             JOIN tickets t ON t.id = a.ticket_id
             LEFT JOIN staff s ON s.id = t.assignee_id
             WHERE ($1 = 1 OR t.department = $2)
             ORDER BY a.at DESC, a.id DESC
             LIMIT $3",
        )
        .bind(everything)
        .bind(&viewer.department)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Escalation {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    clock: clock_of(&r.try_get::<String, _>("clock")?)?,
                    due_at: from_millis(r.try_get("due_at")?)?,
                    at: from_millis(r.try_get("at")?)?,
                    code: r.try_get("code")?,
                    subject: r.try_get("subject")?,
                    department: r.try_get("department")?,
                    status: r.try_get("status")?,
                    open: r.try_get::<i64, _>("is_open")? != 0,
                    assignee: r.try_get("assignee_id")?,
                    assignee_name: r.try_get("assignee_name")?,
                })
            })
            .collect()
    }

    /// SL-6 for reports: breaches recorded between `from` and `to`, per department (where
    /// the ticket was when its deadline passed), by department name.
    pub async fn breaches_by_department(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT department, COUNT(*) AS n FROM sla_alerts
             WHERE kind = 'breach' AND at >= $1 AND at < $2
             GROUP BY department ORDER BY department",
        )
        .bind(millis(from))
        .bind(millis(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("department")?, r.try_get("n")?)))
            .collect()
    }
}
