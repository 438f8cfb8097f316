//! Appending events to a ticket's chained log and updating the read tables in the same
//! transaction (DESIGN.md: "Tickets are event-sourced, lightly").

use crate::error::Result;
use crate::millis;
use crate::tx::{RunIn, Tx};
use hotro_core::chain::Link;
use hotro_core::search::searchable_text;
use hotro_core::{Event, EventRecord, Policy, Ticket};

/// Where a ticket's log ends: the next event links to `hash`.
pub(crate) struct Head {
    pub ticket_id: i64,
    pub code: String,
    pub seq: i64,
    pub hash: String,
}

/// Appends `records` after `head`, projects their messages, queues the mail they cause (the
/// ticket's `policy` words the notices), and rewrites the ticket's read row from `ticket` (the
/// state after the records).
pub(crate) async fn append(
    c: &mut Tx,
    head: &mut Head,
    records: &[EventRecord],
    ticket: &Ticket,
    policy: &Policy,
) -> Result<()> {
    // TR-1: one command, at most one notice: the last announced status change it made,
    // and none when it answered by e-mail (the answer tells the customer already).
    let notice_at = crate::outbox::notice_index(records, policy);
    for (i, record) in records.iter().enumerate() {
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
        sqlx::query(
            "INSERT INTO events (ticket_id, seq, at, actor, kind, payload, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(head.ticket_id)
        .bind(head.seq)
        .bind(at)
        .bind(&actor)
        .bind(record.event.type_name())
        .bind(&payload)
        .bind(&head.hash)
        .bind(&hash)
        .execute_in(c)
        .await?;
        head.hash = hash;
        project_message(c, head, record, &actor, at, &ticket.department).await?;
        project_attachments(c, head, &record.event).await?;
        crate::outbox::on_event(c, head, record, ticket).await?;
        if notice_at == Some(i) {
            crate::outbox::status_notice(c, head, record, ticket, policy).await?;
        }
    }
    // RT-4 in the search index: a transferred ticket's messages move with it.
    if records
        .iter()
        .any(|r| matches!(r.event, Event::Transferred { .. }))
    {
        crate::search::reindex_ticket(c, head.ticket_id, &ticket.department).await?;
    }
    let updated_at = records.last().map(|r| millis(r.at)).unwrap_or_default();
    sqlx::query(
        "UPDATE tickets SET department = $1, topic = $2, priority = $3, priority_rank = $4,
                status = $5, is_open = $6, assignee_id = $7, complaint_round = $8,
                updated_at = $9, event_count = $10, head_hash = $11
         WHERE id = $12",
    )
    .bind(&ticket.department)
    .bind(ticket.topic.as_deref())
    .bind(ticket.priority.as_str())
    .bind(ticket.priority.rank())
    .bind(ticket.status.as_str())
    .bind(i64::from(ticket.status.is_open()))
    .bind(ticket.assignee)
    .bind(i64::from(ticket.round))
    .bind(updated_at)
    .bind(head.seq)
    .bind(&head.hash)
    .bind(head.ticket_id)
    .execute_in(c)
    .await?;
    Ok(())
}

/// Files named by an event become readable through its ticket.
async fn project_attachments(c: &mut Tx, head: &Head, event: &Event) -> Result<()> {
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
        .bind(head.ticket_id)
        .bind(&f.sha256)
        .bind(&f.name)
        .bind(head.seq)
        .execute_in(c)
        .await?;
    }
    Ok(())
}

/// Messages get their own read rows: the customer's first contact, replies and notes.
async fn project_message(
    c: &mut Tx,
    head: &Head,
    record: &EventRecord,
    actor: &str,
    at: i64,
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
    .bind(head.ticket_id)
    .bind(head.seq)
    .bind(kind)
    .bind(channel)
    .bind(actor)
    .bind(body)
    .bind(at)
    .fetch_one_in(c)
    .await?;
    // SE-1: the message is searchable from the same commit that stores it.
    if let Some(text) = searchable_text(&record.event) {
        crate::search::index_message(c, row.try_get("id")?, &text, department).await?;
    }
    Ok(())
}
