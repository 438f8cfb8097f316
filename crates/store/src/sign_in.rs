//! The counters of failed sign-ins per e-mail address (SC-1), shared by every node through the
//! database. What they mean — the delays, the lock — is `core::sign_in`'s; this module reads
//! and writes them, each change in one transaction that holds the address's row.

use crate::error::Result;
use crate::tx::{Columns, RunIn, Tx};
use crate::write::queue::{OutMail, enqueue};
use crate::{Backend, Store, millis};
use hotro_core::sign_in::{Failures, Refusal, Throttle};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;

/// How long a row outlives its newest attempt before it is pruned: far past any window or
/// lock, so pruning never forgets a failure that still counts.
const KEEP_MS: i64 = 24 * 3_600_000;

fn instant(ms: Option<i64>) -> Option<Timestamp> {
    ms.and_then(|ms| Timestamp::from_millisecond(ms).ok())
}

fn failures_from(row: &impl Columns) -> sqlx::Result<Failures> {
    let count: i64 = row.column("failures")?;
    Ok(Failures {
        count: u32::try_from(count).unwrap_or(u32::MAX),
        first_at: instant(row.column("first_at")?),
        last_at: instant(row.column("last_at")?),
        locked_until: instant(row.column("locked_until")?),
    })
}

/// The address's row, held until the end of the transaction on PostgreSQL (SQLite's single
/// writer already serialises the writes); created empty if missing, so there is a row to hold.
async fn hold(c: &mut Tx, backend: Backend, email: &str) -> Result<Failures> {
    sqlx::query(
        "INSERT INTO sign_in_failures (email, failures) VALUES ($1, 0)
         ON CONFLICT (email) DO NOTHING",
    )
    .bind(email)
    .execute_in(c)
    .await?;
    let lock = if backend == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT failures, first_at, last_at, locked_until FROM sign_in_failures
         WHERE email = $1{lock}"
    )))
    .bind(email)
    .fetch_one_in(c)
    .await?;
    Ok(failures_from(&row)?)
}

async fn put(c: &mut Tx, email: &str, f: &Failures) -> Result<()> {
    sqlx::query(
        "UPDATE sign_in_failures SET failures = $2, first_at = $3, last_at = $4, locked_until = $5
         WHERE email = $1",
    )
    .bind(email)
    .bind(i64::from(f.count))
    .bind(f.first_at.map(millis))
    .bind(f.last_at.map(millis))
    .bind(f.locked_until.map(millis))
    .execute_in(c)
    .await?;
    Ok(())
}

impl Store {
    /// Admits a sign-in attempt for `email` (lower-cased by the caller) under `rule`, counting
    /// it before its password is checked, or says why it is refused unchecked. Rows of
    /// addresses nobody has tried for a day are pruned on the way.
    pub async fn admit_sign_in(
        &self,
        email: String,
        rule: Throttle,
        now: Timestamp,
    ) -> Result<std::result::Result<Failures, Refusal>> {
        let backend = self.backend;
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "DELETE FROM sign_in_failures WHERE last_at < $1
                         AND (locked_until IS NULL OR locked_until < $2)",
                    )
                    .bind(millis(now) - KEEP_MS)
                    .bind(millis(now))
                    .execute_in(c)
                    .await?;
                    let failures = hold(c, backend, &email).await?;
                    let admitted = rule.admit(&failures, now);
                    if let Ok(next) = &admitted {
                        put(c, &email, next).await?;
                    }
                    Ok(admitted)
                })
            })
            .await
    }

    /// After an admitted attempt failed: locks the address when `rule` says this failure
    /// reached the lock, and then queues `notice` (the owner's mail, when the address is a
    /// member of staff's) in the same transaction. Returns the lock's end, if it locked.
    pub async fn sign_in_failed(
        &self,
        email: String,
        rule: Throttle,
        now: Timestamp,
        notice: Option<OutMail>,
    ) -> Result<Option<Timestamp>> {
        let backend = self.backend;
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let failures = hold(c, backend, &email).await?;
                    let Some(locked) = rule.lock(&failures, now) else {
                        return Ok(None);
                    };
                    put(c, &email, &locked).await?;
                    if let Some(mail) = notice {
                        enqueue(c, None, "", mail, now).await?;
                    }
                    Ok(locked.locked_until)
                })
            })
            .await
    }

    /// Forgets the failures of `email`: after a successful sign-in, or an administrator's
    /// unlock. Returns what was remembered.
    pub async fn clear_sign_in(&self, email: String) -> Result<Failures> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let row = sqlx::query(
                        "SELECT failures, first_at, last_at, locked_until FROM sign_in_failures
                         WHERE email = $1",
                    )
                    .bind(&email)
                    .fetch_optional_in(c)
                    .await?;
                    let Some(row) = row else {
                        return Ok(Failures::default());
                    };
                    let failures = failures_from(&row)?;
                    sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
                        .bind(&email)
                        .execute_in(c)
                        .await?;
                    Ok(failures)
                })
            })
            .await
    }
}
