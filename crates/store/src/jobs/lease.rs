//! Leased claims, shared by the background queues (the outbox, the SLA timers): due rows are
//! reserved until a lease ends, so a worker that dies mid-job only delays its rows, and on
//! PostgreSQL several nodes skip each other's rows instead of waiting on them.

use crate::error::Result;
use crate::tx::{Row, RunIn, Tx};
use sqlx::AssertSqlSafe;

/// A queue table and what makes one of its rows due.
pub(crate) struct Claim {
    pub table: &'static str,
    /// SQL condition for a row waiting to be done; `$2` is now (Unix milliseconds).
    pub due: &'static str,
    /// The order rows are taken in.
    pub order: &'static str,
    /// The columns returned for each claimed row.
    pub columns: &'static str,
}

/// Reserves up to `limit` due rows of `claim.table` until `until` (Unix milliseconds) and
/// returns them in `claim.order`; rows under another lease that has not ended are skipped.
pub(crate) async fn claim(
    c: &mut Tx,
    claim: &Claim,
    now: i64,
    until: i64,
    limit: i64,
) -> Result<Vec<Row>> {
    let lock = if c.is_postgres() {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let Claim {
        table,
        due,
        order,
        columns,
    } = claim;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {table} SET lease_until = $1
         WHERE id IN (SELECT id FROM {table}
                      WHERE {due} AND (lease_until IS NULL OR lease_until <= $2)
                      ORDER BY {order} LIMIT $3{lock})
         RETURNING {columns}"
    )))
    .bind(until)
    .bind(now)
    .bind(limit)
    .fetch_all_in(c)
    .await?;
    Ok(rows)
}
