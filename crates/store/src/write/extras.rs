//! What arrives with a change besides its events — the inbound mail it came from, the
//! addresses whose later mail may join the ticket, a confirmation to send — and how the commit
//! records it. MIME stays in the mail crate: this only stores ids and texts it is given.

use crate::error::{Result, StoreError};
use crate::millis;
use crate::tx::{RunIn, Tx};
use crate::write::queue::OutMail;
use hotro_core::attachment::Attachment;
use hotro_core::contact::email_key;
use hotro_core::{Actor, Event, EventRecord};
use jiff::Timestamp;

/// What [`StoreError::Duplicate`] says when an inbound message's `Message-ID` was stored by
/// another copy while this one was being written; nothing of this one was kept.
pub const DUPLICATE_MESSAGE: &str = "message id already stored";

/// The inbound mail a ticket or a message came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboundMail {
    /// SHA-256 of the raw message (its key in `raw_mail`).
    pub raw_sha256: String,
    /// Its `Message-ID`, when it had one: later replies to it thread here.
    pub message_id: Option<String>,
    /// How it was taken in: `new`, `threaded` or `refused`.
    pub outcome: String,
    /// Its `Message-ID` was already used by another, different message: it is stored under
    /// that id for the record, but replies keep threading to the first message's ticket.
    pub reused_id: bool,
}

/// What else is written in the transaction that records a ticket or a customer's message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// The mail it came from.
    pub inbound: Option<InboundMail>,
    /// Internal notes by the system that flag the ticket for an agent (an unreadable sender,
    /// a refused message, files kept out of the ticket).
    pub notes: Vec<String>,
    /// A notice to send the customer, such as the confirmation with the code (TR-1).
    pub notice: Option<OutMail>,
    /// Addresses whose later mail may join the ticket (those in Cc of the first mail),
    /// lower case.
    pub contacts: Vec<String>,
    /// Files that came with it (CH-6), already judged by their content: stored in the commit
    /// of the change that names them, so a form the rules refuse stores nothing.
    pub files: Vec<NewFile>,
}

/// A file to store with a change: its record and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub attachment: Attachment,
    pub content: Vec<u8>,
}

/// Stores the change's files, once by their digest. A file stored before keeps its content
/// and gets a new date, so the sweep of unreferenced files (`jobs::files`) counts its grace
/// period from this use.
pub(crate) async fn store_files(c: &mut Tx, files: Vec<NewFile>, now: Timestamp) -> Result<()> {
    for file in files {
        sqlx::query(
            "INSERT INTO attachments (sha256, content_type, size, content, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (sha256) DO UPDATE SET created_at = excluded.created_at",
        )
        .bind(&file.attachment.sha256)
        .bind(&file.attachment.content_type)
        .bind(file.content.len() as i64)
        .bind(file.content)
        .bind(millis(now))
        .execute_in(c)
        .await?;
    }
    Ok(())
}

/// The system's notes that flag a ticket for an agent, as records of the same commit.
pub(crate) fn system_notes(notes: &[String], now: Timestamp) -> Vec<EventRecord> {
    notes
        .iter()
        .map(|body| EventRecord {
            at: now,
            actor: Actor::System,
            event: Event::NoteAdded { body: body.clone() },
        })
        .collect()
}

/// Records the inbound mail a change came from (its message id, for threading, and its raw
/// message's outcome) and the addresses whose later mail may join the ticket, on the
/// caller's transaction.
pub(crate) async fn record_inbound(
    c: &mut Tx,
    ticket_id: i64,
    inbound: Option<InboundMail>,
    contacts: &[String],
    now: Timestamp,
) -> Result<()> {
    if let Some(mail) = inbound {
        if let Some(id) = mail.message_id.as_ref().filter(|_| !mail.reused_id) {
            let claimed = sqlx::query(
                "INSERT INTO mail_messages (message_id, ticket_id, direction, created_at)
                 VALUES ($1, $2, 'in', $3) ON CONFLICT (message_id) DO NOTHING",
            )
            .bind(id)
            .bind(ticket_id)
            .bind(millis(now))
            .execute_in(c)
            .await?
            .rows_affected();
            // Another copy of the message was stored meanwhile (two nodes or two tasks took
            // it in at once; PostgreSQL made this insert wait for that one's commit): undo
            // this one, so the message is stored once (issue 4).
            if claimed == 0 {
                return Err(StoreError::Duplicate(DUPLICATE_MESSAGE));
            }
        }
        sqlx::query(
            "UPDATE raw_mail SET ticket_id = $1, outcome = $2, message_id = $3 WHERE sha256 = $4",
        )
        .bind(ticket_id)
        .bind(&mail.outcome)
        .bind(mail.message_id.as_deref())
        .bind(&mail.raw_sha256)
        .execute_in(c)
        .await?;
    }
    for email in contacts {
        insert_contact(c, ticket_id, email, "mail", now).await?;
    }
    Ok(())
}

pub(crate) async fn insert_contact(
    c: &mut Tx,
    ticket_id: i64,
    email: &str,
    added_by: &str,
    now: Timestamp,
) -> Result<bool> {
    let added = sqlx::query(
        "INSERT INTO ticket_contacts (ticket_id, email, added_by, added_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id, email) DO NOTHING",
    )
    .bind(ticket_id)
    .bind(email_key(email))
    .bind(added_by)
    .bind(millis(now))
    .execute_in(c)
    .await?
    .rows_affected();
    Ok(added > 0)
}
