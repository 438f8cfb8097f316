//! E-mail in the store: raw messages kept before parsing (CH-7), the message ids that thread a
//! mail into its ticket (CH-1), and what an inbound mail writes beside its ticket's events.
//!
//! MIME stays in the mail crate: this module only stores bytes, ids and texts it is given.

use crate::commit::Commit;
use crate::error::{Result, StoreError};
use crate::outbox::OutMail;
use crate::sla::lock_ticket;
use crate::tx::{RunIn, Tx};
use crate::{Change, Store, millis};
use hotro_core::contact::email_key;
use hotro_core::ticket::CustomerCommand;
use hotro_core::{Actor, Event, EventRecord, StaffMember, Ticket};
use jiff::Timestamp;
use sqlx::Row;

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
}

/// A ticket an inbound mail may belong to, with who its customer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailThread {
    pub code: String,
    /// The customer's e-mail address on record, if any.
    pub customer_email: Option<String>,
}

impl Store {
    /// Stores a raw message by the SHA-256 of its bytes, before anything else is done with it
    /// (CH-7). Returns the code of its ticket when the very same bytes were already taken in.
    pub async fn put_raw_mail(
        &self,
        sha256: String,
        content: Vec<u8>,
        now: Timestamp,
    ) -> Result<Option<String>> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let new = sqlx::query(
                        "INSERT INTO raw_mail (sha256, size, content, received_at)
                         VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING",
                    )
                    .bind(&sha256)
                    .bind(content.len() as i64)
                    .bind(content)
                    .bind(millis(now))
                    .execute_in(c)
                    .await?
                    .rows_affected()
                        > 0;
                    // New bytes belong to no ticket yet; only a copy seen before may.
                    if new {
                        return Ok(None);
                    }
                    let row = sqlx::query(
                        "SELECT t.code FROM raw_mail r JOIN tickets t ON t.id = r.ticket_id
                         WHERE r.sha256 = $1",
                    )
                    .bind(&sha256)
                    .fetch_optional_in(c)
                    .await?;
                    Ok(match row {
                        Some(row) => Some(row.try_get("code")?),
                        None => None,
                    })
                })
            })
            .await
    }

    /// The raw bytes of a stored message.
    pub async fn raw_mail(&self, sha256: &str) -> Result<Vec<u8>> {
        let row = sqlx::query("SELECT content FROM raw_mail WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get("content")?)
    }

    /// How a stored raw message was taken in: its ticket's code and the outcome, or `None`
    /// while it waits to be processed.
    pub async fn raw_mail_outcome(&self, sha256: &str) -> Result<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT t.code, r.outcome FROM raw_mail r JOIN tickets t ON t.id = r.ticket_id
             WHERE r.sha256 = $1",
        )
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some((row.try_get("code")?, row.try_get("outcome")?)),
            None => None,
        })
    }

    /// Records that a raw message turned out to be one already taken in under another copy
    /// (the same `Message-ID`), so it is not processed again.
    pub async fn mark_raw_mail_duplicate(&self, sha256: String, code: String) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE raw_mail SET outcome = 'duplicate',
                             ticket_id = (SELECT id FROM tickets WHERE code = $1)
                         WHERE sha256 = $2 AND ticket_id IS NULL",
                    )
                    .bind(&code)
                    .bind(&sha256)
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// The ticket an inbound message with this `Message-ID` was already stored on.
    pub async fn ticket_of_inbound_message(&self, message_id: &str) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT t.code FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id
             WHERE m.message_id = $1 AND m.direction = 'in'",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(row.try_get("code")?),
            None => None,
        })
    }

    /// The ticket a message id of its mail (either way) belongs to, with its customer.
    pub async fn thread_by_message_id(&self, message_id: &str) -> Result<Option<MailThread>> {
        let row = sqlx::query(
            "SELECT t.code, c.email FROM mail_messages m
             JOIN tickets t ON t.id = m.ticket_id
             LEFT JOIN customers c ON c.id = t.customer_id
             WHERE m.message_id = $1",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?;
        thread_from(row)
    }

    /// The ticket with this code, with its customer.
    pub async fn thread_by_code(&self, code: &str) -> Result<Option<MailThread>> {
        let row = sqlx::query(
            "SELECT t.code, c.email FROM tickets t
             LEFT JOIN customers c ON c.id = t.customer_id
             WHERE t.code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        thread_from(row)
    }

    /// Adds an inbound mail to its ticket as the customer's message (TR-2), with its message id
    /// and any notes, in one transaction. Refused (`Rejected`) when the ticket is closed; the
    /// caller then opens a new ticket.
    pub async fn add_mail_to_ticket(
        &self,
        code: &str,
        command: CustomerCommand,
        extras: Extras,
        now: Timestamp,
    ) -> Result<()> {
        let code = code.to_owned();
        let changed = code.clone();
        let store = self.clone();
        let department = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    let (_, records, mut head) = lock_ticket(c, &code, store.backend).await?;
                    let mut ticket = Ticket::from_history(&records)
                        .ok_or_else(|| StoreError::Corrupt(format!("{code}: no intake event")))?;
                    let mut new: Vec<EventRecord> = ticket
                        .decide_customer(&command)?
                        .into_iter()
                        .map(|event| EventRecord {
                            at: now,
                            actor: Actor::Customer,
                            event,
                        })
                        .collect();
                    new.extend(system_notes(&extras.notes, now));
                    for record in &new {
                        ticket.apply(&record.event);
                    }
                    let from = records.len();
                    let mut all = records;
                    all.extend(new);
                    let mut commit = Commit::new(&all, from, &ticket);
                    commit.extras = extras;
                    store.commit(c, &mut head, commit, now).await?;
                    let department = ticket.department.clone();
                    Ok(department)
                })
            })
            .await?;
        self.publish(Change {
            code: changed,
            departments: vec![department],
        });
        Ok(())
    }
}

impl Store {
    /// Whether `email` is a known contact of the ticket `code`, whose mail may join it.
    pub async fn is_contact(&self, code: &str, email: &str) -> Result<bool> {
        let row = sqlx::query(
            "SELECT 1 AS found FROM ticket_contacts k JOIN tickets t ON t.id = k.ticket_id
             WHERE t.code = $1 AND k.email = $2",
        )
        .bind(code)
        .bind(email_key(email))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// The known contacts of a ticket, in the order they were added (by address at one instant).
    pub async fn contacts(&self, code: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT k.email FROM ticket_contacts k JOIN tickets t ON t.id = k.ticket_id
             WHERE t.code = $1 ORDER BY k.added_at, k.email",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("email")?)).collect()
    }

    /// An agent names another address whose mail may join the ticket (a colleague of the
    /// customer, their accountant). `NotFound` for a ticket `staff` may not handle (RT-4).
    /// Returns false when the address was a contact already.
    pub async fn add_contact(
        &self,
        staff: &StaffMember,
        code: &str,
        email: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let code = code.to_owned();
        let email = email.to_owned();
        let staff = staff.clone();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let row = sqlx::query("SELECT id, department FROM tickets WHERE code = $1")
                        .bind(&code)
                        .fetch_optional_in(c)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    let department: String = row.try_get("department")?;
                    if !staff.may_handle(&department) {
                        return Err(StoreError::NotFound);
                    }
                    let by = Actor::Staff { id: staff.id }.to_column();
                    insert_contact(c, row.try_get("id")?, &email, &by, now).await
                })
            })
            .await
    }
}

fn thread_from(row: Option<sqlx::any::AnyRow>) -> Result<Option<MailThread>> {
    Ok(match row {
        Some(row) => Some(MailThread {
            code: row.try_get("code")?,
            customer_email: row.try_get("email")?,
        }),
        None => None,
    })
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
        if let Some(id) = &mail.message_id {
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

async fn insert_contact(
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
