//! The sweep of stored files no ticket refers to (CH-6, issue 14): a file stored by a path
//! that did not end in a ticket (an older version's refused form, a mail whose commit failed)
//! is removed once its grace period has passed, so an upload still on its way to its ticket is
//! never lost.

use crate::error::Result;
use crate::tx::RunIn;
use crate::{Store, millis};
use jiff::Timestamp;
use sqlx::Row;

impl Store {
    /// Removes the files stored before `stored_before` that no ticket refers to. Returns how
    /// many were removed.
    pub async fn sweep_unreferenced_files(&self, stored_before: Timestamp) -> Result<u64> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query(
                        "DELETE FROM attachments
                         WHERE created_at < $1
                           AND NOT EXISTS (SELECT 1 FROM ticket_attachments t
                                           WHERE t.sha256 = attachments.sha256)",
                    )
                    .bind(millis(stored_before))
                    .execute_in(c)
                    .await?;
                    Ok(done.rows_affected())
                })
            })
            .await
    }

    /// How many files are stored, and their bytes: what the sweep and the budget watch.
    pub async fn stored_files(&self) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes FROM attachments",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("n")?, row.try_get("bytes")?))
    }
}
