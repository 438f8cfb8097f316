//! E-mail writes: raw messages kept before parsing (CH-7), an inbound mail added to its ticket
//! as the customer's message (TR-2), and contacts an agent adds (CH-1).

use crate::error::{Result, StoreError};
use crate::tx::RunIn;
use crate::write::commit::{Commit, lock_ticket};
use crate::write::extras::{Extras, insert_contact, system_notes};
use crate::{Change, Store, millis};
use hotro_core::ticket::CustomerCommand;
use hotro_core::{Actor, EventRecord, StaffMember, Ticket};
use jiff::Timestamp;

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

    /// Flags a raw message that nothing could be read from (empty, no header): it stays
    /// stored (CH-7) on no ticket, for an administrator to look at (issue 14).
    pub async fn mark_raw_mail_unreadable(&self, sha256: String) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE raw_mail SET outcome = 'unreadable'
                         WHERE sha256 = $1 AND ticket_id IS NULL",
                    )
                    .bind(&sha256)
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await
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
            notified: Vec::new(),
        });
        Ok(())
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
