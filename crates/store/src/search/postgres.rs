//! How PostgreSQL finds a search's newest matching messages: in widening windows of the
//! newest messages, read newest first, because its GIN index yields every match of a word
//! before the newest can be picked.

use super::{AnyQuery, CANDIDATES, Candidate, SearchRequest, bind, candidate, ticket_filters};
use crate::error::{Result, StoreError};
use sqlx::{AnyPool, AssertSqlSafe, Row};

/// How many of the newest message ids are searched first, then next, before all of them, and
/// how many of those windows are read newest first through a b-tree (see `candidates`).
struct Windows {
    sizes: &'static [i64],
    walked: usize,
}

/// Through the primary key, where a window's lower bound stops the walk.
const WINDOWS: Windows = Windows {
    sizes: &[5_000, 50_000, 500_000, i64::MAX],
    walked: 2,
};

/// Through `(department, message_id)` (`by_the_index_alone`): its lower bound is a row
/// comparison, and PostgreSQL stops a backward scan only where the department changes, so a
/// window that does not fill walks the rest of the department's entries anyway (38 ms for
/// the sales department of a million tickets). A small first window would pay that walk and
/// then the next window's: one walked window, the size of the second above.
const DEPARTMENT_WINDOWS: Windows = Windows {
    sizes: &[50_000, 500_000, i64::MAX],
    walked: 1,
};

/// The newest matching messages of tickets that pass the filters, newest first.
pub(super) async fn candidates(
    pool: &AnyPool,
    request: &SearchRequest,
    department: Option<&str>,
) -> Result<Vec<Candidate>> {
    let f = &request.filter;
    let mut texts: Vec<&str> = Vec::new();
    let mut windows = WINDOWS;
    let sql = if f.status.is_none() && f.kind.is_none() && f.from.is_none() && f.until.is_none() {
        texts.extend(department);
        if department.is_some() {
            windows = DEPARTMENT_WINDOWS;
        }
        by_the_index_alone(department.is_some())
    } else {
        let mut sql = String::from(
            "SELECT m.id AS message_id, m.ticket_id
             FROM search_index f
             JOIN messages m ON m.id = f.message_id
             JOIN tickets t ON t.id = m.ticket_id
             WHERE f.words @@ to_tsquery('simple', $1)",
        );
        let n = ticket_filters(&mut sql, &mut texts, department, f);
        if department.is_some() {
            // The index's own copy, so PostgreSQL can read one department's rows.
            sql.push_str(" AND f.department = $2");
        }
        sql.push_str(&format!(
            " AND f.message_id > ${} ORDER BY f.message_id DESC LIMIT {CANDIDATES}",
            n + 1
        ));
        sql
    };
    let query_text = request.query.to_tsquery();

    let mut tx = pool.begin().await?;
    // A query is bounded in time by the server itself.
    sqlx::query("SET LOCAL statement_timeout = 3000")
        .execute(&mut *tx)
        .await?;
    // Within one department the windows start at its newest message: a quiet department's
    // matches lie behind every newer message of the busy ones.
    let newest = match department {
        Some(d) => sqlx::query(
            "SELECT COALESCE(MAX(message_id), 0) AS n FROM search_index WHERE department = $1",
        )
        .bind(d.to_owned()),
        None => sqlx::query("SELECT COALESCE(MAX(message_id), 0) AS n FROM search_index"),
    };
    let newest = newest
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::bounded)?;
    let newest: i64 = newest.try_get("n")?;
    let mut rows = Vec::new();
    for (i, window) in windows.sizes.iter().enumerate() {
        let after = newest.saturating_sub(*window);
        // A small window is read newest first through a b-tree, each row's words checked,
        // stopping at the limit: PostgreSQL underestimates how often words occur together
        // ("khieu" & "nai") and would read their whole GIN posting lists instead, which at
        // a million tickets costs more than the window. Past the small windows, where a rare
        // word's posting list is the cheap way, the planner chooses.
        if i == 0 || i == windows.walked {
            let on = if i == 0 { "off" } else { "on" };
            for setting in ["enable_bitmapscan", "enable_seqscan"] {
                sqlx::query(AssertSqlSafe(format!("SET LOCAL {setting} = {on}")))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let query: AnyQuery<'_> = sqlx::query(AssertSqlSafe(sql.clone()));
        rows = bind(query, query_text.clone(), &texts, f)
            .bind(after)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::bounded)?;
        if rows.len() as i64 >= CANDIDATES || after <= 0 {
            break;
        }
    }
    tx.commit().await?;
    rows.iter().map(candidate).collect()
}

/// A search that filters on nothing but the department reads the index alone for its
/// window, then joins the few rows found to their tickets. Joined from the start, the
/// planner walks every department's rows or starts from the tickets; fenced off (the CTE is
/// materialised) and asked for the department's rows in `(department, message_id)` order, it
/// walks the department's own index backwards: 15 ms against 52-56 ms on a store of 40,000
/// tickets (docs/BENCHMARKS.md). The limit inside is exact: every row of the index carries
/// its ticket's department, kept by the same transaction as a transfer (`reindex_ticket`);
/// the ticket's own department is still checked outside, as the rule (RT-4).
///
/// Parameters: `$1` the words, then the department if any, then the window's start.
fn by_the_index_alone(one_department: bool) -> String {
    let (window, order, rule) = if one_department {
        (
            // Equal to `department = $2 AND message_id > $3`, spelt so the index is read
            // in its own order.
            "f.department <= $2 AND (f.department, f.message_id) > ($2, $3)",
            "f.department DESC, f.message_id DESC",
            "JOIN tickets t ON t.id = m.ticket_id AND t.department = $2",
        )
    } else {
        // Every message has its ticket: nothing to check, so no join.
        ("f.message_id > $2", "f.message_id DESC", "")
    };
    format!(
        "WITH found AS MATERIALIZED (
             SELECT f.message_id FROM search_index f
             WHERE f.words @@ to_tsquery('simple', $1) AND {window}
             ORDER BY {order} LIMIT {CANDIDATES})
         SELECT m.id AS message_id, m.ticket_id
         FROM found JOIN messages m ON m.id = found.message_id
         {rule}
         ORDER BY m.id DESC"
    )
}
