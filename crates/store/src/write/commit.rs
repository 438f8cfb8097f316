//! The one way a change to a ticket is written (DESIGN.md: "Tickets are event-sourced,
//! lightly"): its new events appended to the chained log once, their messages and files
//! projected, the read row and the clocks rewritten once, what arrived with it recorded, and
//! the mails it causes queued — all in the caller's transaction.
//!
//! Which mails a change causes is decided by `core::to_customer`; this module only queues them.

use crate::error::{Result, StoreError};
use crate::millis;
use crate::rows::load_events_in;
use crate::tx::{RunIn, Tx};
use crate::write::clocks::{self, Clocks};
use crate::write::extras::{Extras, record_inbound, store_files};
use crate::write::queue::enqueue;
use crate::{Backend, Store};
use hotro_core::chain::Link;
use hotro_core::search::searchable_text;
use hotro_core::{Event, EventRecord, Ticket, to_customer};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;

/// Where a ticket's log ends: the next event links to `hash`.
pub(crate) struct Head {
    pub ticket_id: i64,
    pub code: String,
    pub seq: i64,
    pub hash: String,
}

/// One change to one ticket: the whole log after it, of which `history[from..]` is new, and
/// the ticket folded from that log.
pub(crate) struct Commit<'a> {
    pub history: &'a [EventRecord],
    pub from: usize,
    pub ticket: &'a Ticket,
    /// What arrived with the change: the inbound mail, known contacts, a confirmation.
    pub extras: Extras,
    /// Whether the clocks are planned now. Only the bulk path defers them to its last step.
    pub plan_clocks: bool,
    /// For a ticket's first commit: the row is inserted with these, not updated.
    pub new_row: Option<NewRow>,
}

/// What only a new ticket's row carries besides its state: who its customer is and the
/// digest of their tracking secret.
pub(crate) struct NewRow {
    pub customer_id: i64,
    pub tracking_hash: String,
}

impl<'a> Commit<'a> {
    /// The records of `history` from `from` on, new on a ticket folded over all of them.
    pub fn new(history: &'a [EventRecord], from: usize, ticket: &'a Ticket) -> Commit<'a> {
        Commit {
            history,
            from,
            ticket,
            extras: Extras::default(),
            plan_clocks: true,
            new_row: None,
        }
    }
}

impl Store {
    /// Writes `commit` after `head` on the caller's transaction; `now` is when it happens.
    pub(crate) async fn commit(
        &self,
        c: &mut Tx,
        head: &mut Head,
        commit: Commit<'_>,
        now: Timestamp,
    ) -> Result<()> {
        let Commit {
            history,
            from,
            ticket,
            extras,
            plan_clocks,
            new_row,
        } = commit;
        let policy = self.policy_of(c, &ticket.policy_version).await?;
        let first_seq = head.seq + 1;
        let new = &history[from..];
        // The chain is computed first, so the row is written once with its head.
        let links: Vec<Linked> = new.iter().map(|record| link(head, record)).collect();
        let updated_at = new.last().map_or(millis(now), |r| millis(r.at));
        let clocks = plan_clocks.then(|| Clocks::plan(history, &policy, now));
        match new_row {
            Some(row) => {
                head.ticket_id = insert_row(c, head, ticket, &row, clocks.as_ref()).await?;
            }
            None => write_row(c, head, ticket, updated_at, clocks.as_ref()).await?,
        }
        // Before the events: the files they name are referred to by the ticket's file list.
        store_files(c, extras.files, now).await?;
        for (record, linked) in new.iter().zip(&links) {
            append_event(c, head, record, linked, &ticket.department).await?;
        }
        // RT-4 in the search index: a transferred ticket's messages move with it.
        if new
            .iter()
            .any(|r| matches!(r.event, Event::Transferred { .. }))
        {
            crate::search::reindex_ticket(c, head.ticket_id, &ticket.department).await?;
        }
        if let Some(clocks) = &clocks {
            clocks::plan_timers(c, head.ticket_id, clocks).await?;
        }
        // The mail it came from is recorded before anything is queued, so an answer threads
        // to it (In-Reply-To).
        record_inbound(c, head.ticket_id, extras.inbound, &extras.contacts, now).await?;
        if let Some(mail) = extras.notice {
            enqueue(c, Some(head.ticket_id), &head.code, mail, now).await?;
        }
        for (i, mail) in to_customer::after_events(ticket, first_seq, new, &policy) {
            enqueue(c, Some(head.ticket_id), &head.code, mail, new[i].at).await?;
        }
        Ok(())
    }
}

/// One record's place in the chained log.
struct Linked {
    seq: i64,
    actor: String,
    payload: String,
    at: i64,
    prev_hash: String,
    hash: String,
}

/// Links `record` after `head` (SC-3) and moves the head past it.
fn link(head: &mut Head, record: &EventRecord) -> Linked {
    head.seq += 1;
    let payload = record.event.to_json();
    let actor = record.actor.to_column();
    let at = millis(record.at);
    let hash = Link {
        prev_hash: &head.hash,
        ticket_code: &head.code,
        seq: head.seq,
        at_ms: at,
        actor: &actor,
        payload: &payload,
    }
    .hash();
    let prev_hash = std::mem::replace(&mut head.hash, hash.clone());
    Linked {
        seq: head.seq,
        actor,
        payload,
        at,
        prev_hash,
        hash,
    }
}

/// Writes one linked record to the log and projects what it carries.
async fn append_event(
    c: &mut Tx,
    head: &Head,
    record: &EventRecord,
    linked: &Linked,
    department: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO events (ticket_id, seq, at, actor, kind, payload, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(head.ticket_id)
    .bind(linked.seq)
    .bind(linked.at)
    .bind(&linked.actor)
    .bind(record.event.type_name())
    .bind(&linked.payload)
    .bind(&linked.prev_hash)
    .bind(&linked.hash)
    .execute_in(c)
    .await?;
    project_message(c, head.ticket_id, linked, record, department).await?;
    project_attachments(c, head.ticket_id, linked.seq, &record.event).await
}

/// A new ticket's read row, complete: its state, its log's head and its clocks. Returns its id.
async fn insert_row(
    c: &mut Tx,
    head: &Head,
    ticket: &Ticket,
    row: &NewRow,
    clocks: Option<&Clocks>,
) -> Result<i64> {
    let none = Clocks::none();
    let clocks = clocks.unwrap_or(&none);
    let inserted = sqlx::query(
        "INSERT INTO tickets (code, kind, channel, department, topic, priority,
             priority_rank, status, is_open, assignee_id, customer_id, customer_name, subject,
             complaint_round, received_at, updated_at, policy_version, tracking_hash,
             event_count, head_hash, ack_due_at, resolve_due_at, sla_paused, time_barred,
             start_by_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18, $19, $20, $21, $22, $23, $24, $25)
         RETURNING id",
    )
    .bind(&head.code)
    .bind(ticket.kind.as_str())
    .bind(ticket.channel.as_str())
    .bind(&ticket.department)
    .bind(ticket.topic.as_deref())
    .bind(ticket.priority.as_str())
    .bind(ticket.priority.rank())
    .bind(ticket.status.as_str())
    .bind(i64::from(ticket.status.is_open()))
    .bind(ticket.assignee)
    .bind(row.customer_id)
    .bind(&ticket.customer.name)
    .bind(&ticket.subject)
    .bind(i64::from(ticket.round))
    .bind(millis(ticket.received_at))
    .bind(millis(ticket.received_at))
    .bind(&ticket.policy_version)
    .bind(&row.tracking_hash)
    .bind(head.seq)
    .bind(&head.hash)
    .bind(clocks.ack_due_at)
    .bind(clocks.resolve_due_at)
    .bind(i64::from(clocks.paused))
    .bind(i64::from(ticket.time_barred.is_some()))
    .bind(clocks.start_by_at)
    .fetch_one_in(c)
    .await?;
    Ok(inserted.try_get("id")?)
}

/// The ticket's read row, from its state after the change, with its clocks when they were
/// planned: one write of the row per change.
async fn write_row(
    c: &mut Tx,
    head: &Head,
    ticket: &Ticket,
    updated_at: i64,
    clocks: Option<&Clocks>,
) -> Result<()> {
    let clock_columns = if clocks.is_some() {
        ", ack_due_at = $14, resolve_due_at = $15, sla_paused = $16, time_barred = $17,
           start_by_at = $18"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE tickets SET department = $1, topic = $2, priority = $3, priority_rank = $4,
                status = $5, is_open = $6, assignee_id = $7, complaint_round = $8,
                updated_at = $9, event_count = $10, head_hash = $11, kind = $13{clock_columns}
         WHERE id = $12"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ticket.department.clone())
        .bind(ticket.topic.clone())
        .bind(ticket.priority.as_str())
        .bind(ticket.priority.rank())
        .bind(ticket.status.as_str())
        .bind(i64::from(ticket.status.is_open()))
        .bind(ticket.assignee)
        .bind(i64::from(ticket.round))
        .bind(updated_at)
        .bind(head.seq)
        .bind(head.hash.clone())
        .bind(head.ticket_id)
        // RT-3: an agent's reclassification changes the kind the queue filters on.
        .bind(ticket.kind.as_str());
    if let Some(clocks) = clocks {
        query = query
            .bind(clocks.ack_due_at)
            .bind(clocks.resolve_due_at)
            .bind(i64::from(clocks.paused))
            .bind(i64::from(ticket.time_barred.is_some()))
            .bind(clocks.start_by_at);
    }
    query.execute_in(c).await?;
    Ok(())
}

/// Files named by an event become readable through its ticket.
async fn project_attachments(c: &mut Tx, ticket_id: i64, seq: i64, event: &Event) -> Result<()> {
    let files = match event {
        Event::Received(r) => &r.attachments,
        Event::CustomerWrote { attachments, .. } => attachments,
        _ => return Ok(()),
    };
    for f in files {
        sqlx::query(
            "INSERT INTO ticket_attachments (ticket_id, sha256, name, event_seq)
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(ticket_id)
        .bind(&f.sha256)
        .bind(&f.name)
        .bind(seq)
        .execute_in(c)
        .await?;
    }
    Ok(())
}

/// Messages get their own read rows: the customer's first contact, replies and notes.
async fn project_message(
    c: &mut Tx,
    ticket_id: i64,
    linked: &Linked,
    record: &EventRecord,
    department: &str,
) -> Result<()> {
    let (kind, channel, body) = match &record.event {
        Event::Received(r) => ("inbound", r.channel.as_str(), r.description.as_str()),
        Event::Replied { channel, body } => ("reply", channel.as_str(), body.as_str()),
        Event::CustomerWrote { channel, body, .. } => ("inbound", channel.as_str(), body.as_str()),
        // Notes go to no one, so they have no channel.
        Event::NoteAdded { body } => ("note", "internal", body.as_str()),
        _ => return Ok(()),
    };
    let row = sqlx::query(
        "INSERT INTO messages (ticket_id, event_seq, kind, channel, author, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id",
    )
    .bind(ticket_id)
    .bind(linked.seq)
    .bind(kind)
    .bind(channel)
    .bind(&linked.actor)
    .bind(body)
    .bind(linked.at)
    .fetch_one_in(c)
    .await?;
    // SE-1: the message is searchable from the same commit that stores it.
    if let Some(text) = searchable_text(&record.event) {
        crate::search::index_message(c, row.try_get("id")?, &text, department).await?;
    }
    Ok(())
}

impl Store {
    /// Folds `history` and `new` into the ticket and commits `new` after `head`: for the
    /// records the system adds on its own (alerts, the QF-3 hand-off).
    pub(crate) async fn commit_system(
        &self,
        c: &mut Tx,
        mut head: Head,
        history: Vec<EventRecord>,
        new: Vec<EventRecord>,
        now: Timestamp,
    ) -> Result<()> {
        let from = history.len();
        let mut all = history;
        all.extend(new);
        let ticket = Ticket::from_history(&all)
            .ok_or_else(|| StoreError::Corrupt(format!("{}: no intake event", head.code)))?;
        self.commit(c, &mut head, Commit::new(&all, from, &ticket), now)
            .await
    }
}

/// Locks a ticket's row (PostgreSQL) and loads its history and log head.
pub(crate) async fn lock_ticket(
    c: &mut Tx,
    code: &str,
    backend: Backend,
) -> Result<(i64, Vec<EventRecord>, Head)> {
    let lock = if backend == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT id, head_hash FROM tickets WHERE code = $1{lock}"
    )))
    .bind(code)
    .fetch_optional_in(c)
    .await?
    .ok_or(StoreError::NotFound)?;
    let id: i64 = row.try_get("id")?;
    let history = load_events_in(c, id).await?;
    let head = Head {
        ticket_id: id,
        code: code.to_owned(),
        seq: history.last().map_or(0, |e| e.seq),
        hash: row.try_get("head_hash")?,
    };
    Ok((id, history.into_iter().map(|e| e.record).collect(), head))
}
