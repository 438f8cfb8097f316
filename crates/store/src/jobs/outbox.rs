//! The durable outbox (TR-3): mail to send is a row written in the same transaction as the
//! event that causes it, claimed by a worker with a lease, retried with backoff, and marked
//! sent or failed for an agent to see. Nothing here speaks SMTP; the mail crate does.

use crate::error::Result;
use crate::jobs::lease::{Claim, claim};
use crate::tx::{Columns, RunIn};
use crate::{Store, from_millis, millis};
use jiff::{SignedDuration, Timestamp};
use sqlx::{AssertSqlSafe, Row};

/// Mail waiting to be sent: neither sent nor given up, and due.
const DUE_MAIL: Claim = Claim {
    table: "outbox",
    due: "sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2",
    order: "id",
    columns: COLUMNS,
};

/// A queued mail as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub key: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// Earlier message ids of the thread, oldest first.
    pub references: Vec<String>,
    pub automatic: bool,
    pub attempts: i64,
    pub sent_at: Option<Timestamp>,
    pub failed_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

/// How often and how patiently a mail is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// After this many failed attempts the mail is marked failed.
    pub max_attempts: i64,
    /// The wait after the first failure; it doubles after each further one.
    pub first_backoff: SignedDuration,
    /// The longest wait between two attempts.
    pub max_backoff: SignedDuration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            first_backoff: SignedDuration::from_secs(30),
            max_backoff: SignedDuration::from_hours(1),
        }
    }
}

/// A mail marked failed, as agents see it (TR-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedMail {
    pub id: i64,
    /// The ticket it belongs to, when it belongs to one.
    pub code: Option<String>,
    pub department: Option<String>,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub attempts: i64,
    pub failed_at: Timestamp,
    pub last_error: Option<String>,
}

/// A mail still waiting in the outbox, as agents see it (TR-3): not yet sent, not given up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingMail {
    pub code: Option<String>,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub queued_at: Timestamp,
    /// Attempts made so far; after a temporary failure, its error and the next attempt.
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
}

/// Whose failed mail a member of staff sees (RT-4): one department's, or every one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailScope {
    Department(String),
    All,
}

impl MailScope {
    /// RT-4: what `staff` may see.
    pub fn of(staff: &hotro_core::StaffMember) -> MailScope {
        if staff.role.sees_all_departments() {
            MailScope::All
        } else {
            MailScope::Department(staff.department.clone())
        }
    }
}

const COLUMNS: &str = "id, idempotency_key, kind, recipient, subject, body, message_id, \
     in_reply_to, refs, automatic, attempts, sent_at, failed_at, last_error";

fn row_to_outbox(row: &impl Columns) -> Result<OutboxRow> {
    let refs: Option<String> = row.column("refs")?;
    let at = |name: &str| -> Result<Option<Timestamp>> {
        let v: Option<i64> = row.column(name)?;
        v.map(from_millis).transpose()
    };
    Ok(OutboxRow {
        id: row.column("id")?,
        key: row.column("idempotency_key")?,
        kind: row.column("kind")?,
        recipient: row.column("recipient")?,
        subject: row.column("subject")?,
        body: row.column("body")?,
        message_id: row.column("message_id")?,
        in_reply_to: row.column("in_reply_to")?,
        references: refs
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        automatic: row.column::<i64>("automatic")? != 0,
        attempts: row.column("attempts")?,
        sent_at: at("sent_at")?,
        failed_at: at("failed_at")?,
        last_error: row.column("last_error")?,
    })
}

impl Store {
    /// TR-3: mails given up on (a permanent refusal or the retry limit), newest first, of the
    /// tickets `scope` may see; mail of no ticket only for those who see every department.
    pub async fn failed_mail(&self, scope: &MailScope) -> Result<Vec<FailedMail>> {
        let filter = match scope {
            MailScope::Department(_) => "AND t.department = $1",
            MailScope::All => "",
        };
        let sql = format!(
            "SELECT o.id, t.code, t.department, o.kind, o.recipient, o.subject, o.attempts,
                    o.failed_at, o.last_error
             FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id
             WHERE o.failed_at IS NOT NULL AND o.sent_at IS NULL {filter}
             ORDER BY o.failed_at DESC, o.id DESC LIMIT 500"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let MailScope::Department(d) = scope {
            query = query.bind(d.clone());
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(FailedMail {
                    id: row.try_get("id")?,
                    code: row.try_get("code")?,
                    department: row.try_get("department")?,
                    kind: row.try_get("kind")?,
                    recipient: row.try_get("recipient")?,
                    subject: row.try_get("subject")?,
                    attempts: row.try_get("attempts")?,
                    failed_at: from_millis(row.try_get("failed_at")?)?,
                    last_error: row.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// TR-3: mails not yet sent nor given up, oldest first, of the tickets `scope` may see —
    /// so an agent can tell "on its way" from "lost" while the mail server is slow or down.
    pub async fn waiting_mail(&self, scope: &MailScope) -> Result<Vec<WaitingMail>> {
        let filter = match scope {
            MailScope::Department(_) => "AND t.department = $1",
            MailScope::All => "",
        };
        let sql = format!(
            "SELECT t.code, o.kind, o.recipient, o.subject, o.created_at, o.attempts,
                    o.next_attempt_at, o.last_error
             FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id
             WHERE o.sent_at IS NULL AND o.failed_at IS NULL {filter}
             ORDER BY o.id LIMIT 500"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let MailScope::Department(d) = scope {
            query = query.bind(d.clone());
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(WaitingMail {
                    code: row.try_get("code")?,
                    kind: row.try_get("kind")?,
                    recipient: row.try_get("recipient")?,
                    subject: row.try_get("subject")?,
                    queued_at: from_millis(row.try_get("created_at")?)?,
                    attempts: row.try_get("attempts")?,
                    next_attempt_at: from_millis(row.try_get("next_attempt_at")?)?,
                    last_error: row.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// TR-3: an agent sends a failed mail again: it is due at once, with the whole retry
    /// allowance. `NotFound` unless it is a failed mail `scope` may see, so a mail of another
    /// department is not disclosed (RT-4).
    pub async fn send_mail_again(&self, id: i64, scope: MailScope, now: Timestamp) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let filter = match &scope {
                        MailScope::Department(_) => {
                            "AND ticket_id IN (SELECT id FROM tickets WHERE department = $3)"
                        }
                        MailScope::All => "",
                    };
                    let sql = format!(
                        "UPDATE outbox SET failed_at = NULL, attempts = 0, lease_until = NULL,
                             next_attempt_at = $1
                         WHERE id = $2 AND failed_at IS NOT NULL AND sent_at IS NULL {filter}"
                    );
                    let mut query = sqlx::query(AssertSqlSafe(sql)).bind(millis(now)).bind(id);
                    if let MailScope::Department(d) = &scope {
                        query = query.bind(d.clone());
                    }
                    if query.execute_in(c).await?.rows_affected() == 0 {
                        return Err(crate::error::StoreError::NotFound);
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Every queued mail, oldest first, for agents and tests.
    pub async fn outbox(&self) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row_to_outbox).collect()
    }

    /// Claims up to `limit` mails due at `now` for `lease`: no other worker takes them until
    /// the lease ends, so a worker that dies mid-send only delays its mails.
    pub async fn claim_outbox(
        &self,
        now: Timestamp,
        lease: SignedDuration,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        let until = millis(now) + lease.as_millis() as i64;
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let rows = claim(c, &DUE_MAIL, millis(now), until, limit).await?;
                    let mut claimed = rows.iter().map(row_to_outbox).collect::<Result<Vec<_>>>()?;
                    // RETURNING gives no order; the oldest mail goes first.
                    claimed.sort_by_key(|m| m.id);
                    Ok(claimed)
                })
            })
            .await
    }

    /// The mail was accepted by the SMTP server: it is never sent again.
    pub async fn outbox_sent(&self, id: i64, now: Timestamp) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE outbox SET sent_at = $1, attempts = attempts + 1,
                             lease_until = NULL, last_error = NULL
                         WHERE id = $2",
                    )
                    .bind(millis(now))
                    .bind(id)
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// A sending attempt failed. A permanent refusal or the last allowed attempt marks the
    /// mail failed for an agent to see (TR-3); otherwise it waits, twice as long each time.
    pub async fn outbox_attempt_failed(
        &self,
        id: i64,
        error: String,
        permanent: bool,
        retry: RetryPolicy,
        now: Timestamp,
    ) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let row = sqlx::query("SELECT attempts FROM outbox WHERE id = $1")
                        .bind(id)
                        .fetch_one_in(c)
                        .await?;
                    let attempts: i64 = row.try_get::<i64>("attempts")? + 1;
                    let failed = permanent || attempts >= retry.max_attempts;
                    let shift = u32::try_from(attempts - 1).unwrap_or(u32::MAX).min(20);
                    let wait = retry
                        .first_backoff
                        .as_millis()
                        .saturating_mul(1i128 << shift)
                        .min(retry.max_backoff.as_millis()) as i64;
                    sqlx::query(
                        "UPDATE outbox SET attempts = $1, last_error = $2, lease_until = NULL,
                             next_attempt_at = $3, failed_at = $4
                         WHERE id = $5",
                    )
                    .bind(attempts)
                    .bind(&error)
                    .bind(millis(now) + wait)
                    .bind(failed.then_some(millis(now)))
                    .bind(id)
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }
}
