//! Full-text search over tickets and their messages (SE-1), in the database itself: SQLite
//! FTS5 or PostgreSQL's tsvector with a GIN index. Both index the words folded by
//! `hotro_core::search`, one row per message, written in the message's own transaction.
//!
//! A query takes the newest [`CANDIDATES`] matching messages the searcher may see (RT-4 and
//! the filters are part of the SQL, not applied afterwards), ranks their tickets with
//! `hotro_core::search::rank` (the headline holding the words, in order, and how many
//! messages matched) and returns one page with a snippet each. Reading the index newest
//! first and stopping at the cap keeps a query's cost the same at a thousand tickets or a
//! million, however common its words; a rare word still reaches the oldest tickets.
//!
//! One file on purpose: the index writes and the query share the folded words and the
//! candidate cap; PostgreSQL's windowed reading is its own file, `search/postgres.rs`.

use crate::error::{Result, StoreError};
use crate::tx::{Columns, RunIn, Tx};
use crate::{Store, from_millis, millis};
use hotro_core::search::{
    SearchQuery, SnippetPart, department_term, index_text, rank, searchable_text, snippet,
};
use hotro_core::{Event, StaffMember};
use jiff::Timestamp;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

mod postgres;

/// How many matching messages one query ranks at most.
const CANDIDATES: i64 = 500;
/// How many words a snippet shows.
const SNIPPET_WORDS: usize = 24;
/// Messages read and indexed per transaction by [`Store::reindex`].
const REINDEX_BATCH: i64 = 2000;
/// The counters row that says every message before the write path indexed them was indexed.
const READY: &str = "search:ready";

/// What to search and which tickets may answer.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: SearchQuery,
    pub filter: SearchFilter,
    /// Tickets per page (1–100).
    pub limit: usize,
    /// Tickets to skip: the page's start.
    pub offset: usize,
}

/// Narrowing a search; `None` takes every value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// A department; staff who see one department may only name their own.
    pub department: Option<String>,
    /// Received at or after.
    pub from: Option<Timestamp>,
    /// Received before.
    pub until: Option<Timestamp>,
}

/// One ticket found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub code: String,
    pub kind: String,
    pub status: String,
    pub department: String,
    pub subject: String,
    pub customer_name: String,
    pub received_at: Timestamp,
    /// Higher is better; comparable within one answer only.
    pub score: f64,
    /// The best-matching message's text around the words asked for.
    pub snippet: Vec<SnippetPart>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Whether more tickets matched than this page shows.
    pub more: bool,
}

/// Adds one message's words to the index, inside the caller's transaction, with its ticket's
/// department, which an agent's search asks the index for, so the index itself skips other
/// departments' matches: on SQLite a term among the words (`department_term`), on PostgreSQL a
/// column with its own index, which also anchors the newest-first windows (`candidates`).
pub(crate) async fn index_message(
    c: &mut Tx,
    message_id: i64,
    text: &str,
    department: &str,
) -> Result<()> {
    let row = if c.is_postgres() {
        // A node rebuilding the index beside another (two starting after an upgrade) meets
        // rows the other wrote: the same words, so keeping either is right.
        sqlx::query(
            "INSERT INTO search_index (message_id, words, department)
             VALUES ($1, to_tsvector('simple', $2), $3)
             ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(message_id)
        .bind(index_text(text))
        .bind(department.to_owned())
    } else {
        sqlx::query("INSERT INTO search_index (rowid, words) VALUES ($1, $2)")
            .bind(message_id)
            .bind(format!(
                "{} {}",
                index_text(text),
                department_term(department)
            ))
    };
    // The same transaction as the message, after the batch's jobs on SQLite (Tx::at_commit).
    c.at_commit(row).await?;
    Ok(())
}

/// After a transfer, a ticket's messages are indexed again under its new department.
/// Queued behind the batch's other index rows, so a message indexed earlier in the same batch
/// is replaced, not duplicated.
pub(crate) async fn reindex_ticket(c: &mut Tx, ticket_id: i64, department: &str) -> Result<()> {
    let forget = if c.is_postgres() {
        "DELETE FROM search_index WHERE message_id = $1"
    } else {
        "DELETE FROM search_index WHERE rowid = $1"
    };
    let rows = sqlx::query(
        "SELECT m.id, e.payload FROM messages m
         JOIN events e ON e.ticket_id = m.ticket_id AND e.seq = m.event_seq
         WHERE m.ticket_id = $1",
    )
    .bind(ticket_id)
    .fetch_all_in(c)
    .await?;
    for r in &rows {
        if let Some((id, text)) = message_text(r)? {
            c.at_commit(sqlx::query(forget).bind(id)).await?;
            index_message(c, id, &text, department).await?;
        }
    }
    Ok(())
}

/// A message row's id and the words its event makes searchable (`id`, `payload` columns).
fn message_text(row: &impl Columns) -> Result<Option<(i64, String)>> {
    let id: i64 = row.column("id")?;
    let payload: String = row.column("payload")?;
    let event = Event::from_json(&payload)
        .map_err(|e| StoreError::Corrupt(format!("message {id}: {e}")))?;
    Ok(searchable_text(&event).map(|text| (id, text)))
}

/// A matching message and its ticket.
struct Candidate {
    message_id: i64,
    ticket_id: i64,
}

/// A ticket among the candidates: its newest matching message and how many matched.
struct Found {
    ticket_id: i64,
    message_id: i64,
    matching: usize,
    score: f64,
}

/// What a result shows of its ticket.
struct TicketLine {
    code: String,
    kind: String,
    status: String,
    department: String,
    subject: String,
    customer_name: String,
    received_at: Timestamp,
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds the query text, the filters' texts and the filters' instants, in that order.
fn bind<'q>(
    query: AnyQuery<'q>,
    words: String,
    texts: &[&str],
    filter: &SearchFilter,
) -> AnyQuery<'q> {
    let mut query = query.bind(words);
    for t in texts {
        query = query.bind(t.to_string());
    }
    for instant in [filter.from, filter.until].into_iter().flatten() {
        query = query.bind(millis(instant));
    }
    query
}

/// Appends the filters on the ticket `t` as `AND` clauses: RT-4's department (always `$2`
/// when there is one), status and kind, whose texts go to `texts`, then the dates, numbered
/// on. Returns the last parameter number used, `$1` being the query's words (see `bind`).
fn ticket_filters<'a>(
    sql: &mut String,
    texts: &mut Vec<&'a str>,
    department: Option<&'a str>,
    f: &'a SearchFilter,
) -> usize {
    for (column, value) in [
        ("department", department),
        ("status", f.status.as_deref()),
        ("kind", f.kind.as_deref()),
    ] {
        if let Some(v) = value {
            texts.push(v);
            sql.push_str(&format!(" AND t.{column} = ${}", texts.len() + 1));
        }
    }
    let mut n = texts.len() + 1;
    for (instant, test) in [(f.from, ">="), (f.until, "<")] {
        if instant.is_some() {
            n += 1;
            sql.push_str(&format!(" AND t.received_at {test} ${n}"));
        }
    }
    n
}

fn candidate(r: &sqlx::any::AnyRow) -> Result<Candidate> {
    Ok(Candidate {
        message_id: r.try_get("message_id")?,
        ticket_id: r.try_get("ticket_id")?,
    })
}

/// `1,2,3` for an `IN (…)`: ids are integers from the database, safe to spell into SQL.
fn id_list(ids: impl Iterator<Item = i64>) -> Option<String> {
    let list = ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",");
    (!list.is_empty()).then_some(list)
}

impl Store {
    /// Tickets matching every word of the query that `viewer` may see (RT-4), best first.
    pub async fn search(
        &self,
        viewer: &StaffMember,
        request: &SearchRequest,
    ) -> Result<SearchPage> {
        let department =
            crate::read::views::department_in_view(viewer, request.filter.department.as_deref())?;
        let candidates = self.candidates(request, department.as_deref()).await?;

        // Candidates come newest first, so a ticket's first one is its newest match.
        let mut found: Vec<Found> = Vec::new();
        let mut at: HashMap<i64, usize> = HashMap::new();
        for c in candidates {
            match at.get(&c.ticket_id) {
                Some(&i) => found[i].matching += 1,
                None => {
                    at.insert(c.ticket_id, found.len());
                    found.push(Found {
                        ticket_id: c.ticket_id,
                        message_id: c.message_id,
                        matching: 1,
                        score: 0.0,
                    });
                }
            }
        }
        let mut tickets = self.ticket_rows(found.iter().map(|f| f.ticket_id)).await?;
        for f in &mut found {
            if let Some(t) = tickets.get(&f.ticket_id) {
                let headline = format!("{} {} {}", t.code, t.subject, t.customer_name);
                f.score = rank(&request.query, &headline, f.matching);
            }
        }
        // Best first; the sort is stable, so equal scores keep newest first.
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        let more = found.len() > request.offset + request.limit;
        let page: Vec<Found> = found
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .collect();
        let mut bodies = self.bodies(page.iter().map(|f| f.message_id)).await?;
        let mut hits = Vec::with_capacity(page.len());
        for f in &page {
            let Some(t) = tickets.remove(&f.ticket_id) else {
                continue;
            };
            let body = bodies.remove(&f.message_id).unwrap_or_default();
            // The words may be in the body, or only in what the first message adds to it.
            let snippet = [&body, &t.subject, &t.customer_name, &t.code]
                .into_iter()
                .map(|text| snippet(text, &request.query, SNIPPET_WORDS))
                .find(|parts| parts.iter().any(|p| p.hit))
                .unwrap_or_else(|| snippet(&body, &request.query, SNIPPET_WORDS));
            hits.push(SearchHit {
                code: t.code,
                kind: t.kind,
                status: t.status,
                department: t.department,
                subject: t.subject,
                customer_name: t.customer_name,
                received_at: t.received_at,
                score: f.score,
                snippet,
            });
        }
        Ok(SearchPage { hits, more })
    }

    /// The newest matching messages of tickets that pass the filters, newest first.
    async fn candidates(
        &self,
        request: &SearchRequest,
        department: Option<&str>,
    ) -> Result<Vec<Candidate>> {
        if self.backend == crate::Backend::Postgres {
            return postgres::candidates(&self.pool, request, department).await;
        }
        let mut sql = String::from(
            "SELECT m.id AS message_id, m.ticket_id
             FROM search_index f
             JOIN messages m ON m.id = f.rowid
             JOIN tickets t ON t.id = m.ticket_id
             WHERE search_index MATCH $1",
        );
        let query_text = match department {
            // The index keeps to the department itself (index_message); the SQL filter below
            // stays as the rule, this only spares reading the rest.
            Some(d) => format!("{} AND \"{}\"", request.query.to_fts5(), department_term(d)),
            None => request.query.to_fts5(),
        };
        let f = &request.filter;
        let mut texts: Vec<&str> = Vec::new();
        ticket_filters(&mut sql, &mut texts, department, f);
        // FTS5 reads its matches in rowid order, so the newest come first and it stops at
        // the limit.
        sql.push_str(&format!(" ORDER BY f.rowid DESC LIMIT {CANDIDATES}"));
        let rows = bind(sqlx::query(AssertSqlSafe(sql)), query_text, &texts, f)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(candidate).collect()
    }

    /// The listed columns of these tickets, by id.
    async fn ticket_rows(
        &self,
        ids: impl Iterator<Item = i64>,
    ) -> Result<HashMap<i64, TicketLine>> {
        let Some(list) = id_list(ids) else {
            return Ok(HashMap::new());
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, code, kind, status, department, subject, customer_name, received_at
             FROM tickets WHERE id IN ({list})"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    TicketLine {
                        code: r.try_get("code")?,
                        kind: r.try_get("kind")?,
                        status: r.try_get("status")?,
                        department: r.try_get("department")?,
                        subject: r.try_get("subject")?,
                        customer_name: r.try_get("customer_name")?,
                        received_at: from_millis(r.try_get("received_at")?)?,
                    },
                ))
            })
            .collect()
    }

    /// The texts of these messages, by id.
    async fn bodies(&self, ids: impl Iterator<Item = i64>) -> Result<HashMap<i64, String>> {
        let Some(list) = id_list(ids) else {
            return Ok(HashMap::new());
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, body FROM messages WHERE id IN ({list})"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("body")?)))
            .collect()
    }

    /// Whether the index covers every message (false after an upgrade until a reindex).
    pub async fn search_ready(&self) -> Result<bool> {
        let row = sqlx::query("SELECT value FROM counters WHERE name = $1")
            .bind(READY)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Rebuilds the search index from the event log: every message's event is read again
    /// and its words indexed with today's folding. `progress(done, total)` is called after
    /// each batch. Messages stored while it runs are indexed by their own writes.
    pub async fn reindex(&self, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<u64> {
        let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS last FROM messages")
            .fetch_one(&self.pool)
            .await?;
        let total: i64 = row.try_get("n")?;
        let last: i64 = row.try_get("last")?;
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let sql = if c.is_postgres() {
                        "DELETE FROM search_index WHERE message_id <= $1"
                    } else {
                        "DELETE FROM search_index WHERE rowid <= $1"
                    };
                    sqlx::query(sql).bind(last).execute_in(c).await?;
                    Ok(())
                })
            })
            .await?;
        let mut done: i64 = 0;
        let mut after: i64 = 0;
        progress(0, total as u64);
        while after < last {
            let rows = sqlx::query(
                "SELECT m.id, e.payload, t.department FROM messages m
                 JOIN events e ON e.ticket_id = m.ticket_id AND e.seq = m.event_seq
                 JOIN tickets t ON t.id = m.ticket_id
                 WHERE m.id > $1 AND m.id <= $2 ORDER BY m.id LIMIT $3",
            )
            .bind(after)
            .bind(last)
            .bind(REINDEX_BATCH)
            .fetch_all(&self.pool)
            .await?;
            let Some(tail) = rows.last() else { break };
            after = tail.try_get("id")?;
            let mut batch: Vec<(i64, String, String)> = Vec::with_capacity(rows.len());
            for r in &rows {
                if let Some((id, text)) = message_text(r)? {
                    batch.push((id, text, r.try_get("department")?));
                }
            }
            done += rows.len() as i64;
            self.writer
                .write(move |c| {
                    Box::pin(async move {
                        for (id, text, department) in &batch {
                            index_message(c, *id, text, department).await?;
                        }
                        Ok(())
                    })
                })
                .await?;
            progress(done as u64, total as u64);
        }
        self.writer
            .write(|c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO counters (name, value) VALUES ($1, 1)
                         ON CONFLICT (name) DO NOTHING",
                    )
                    .bind(READY)
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await?;
        Ok(done as u64)
    }
}
