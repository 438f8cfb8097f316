//! E-mail as read back: raw messages and how they were taken in (CH-7), the tickets a
//! message id or a code threads to, and a ticket's known contacts (CH-1).

use crate::Store;
use crate::error::{Result, StoreError};
use hotro_core::contact::email_key;
use sqlx::Row;

/// A ticket an inbound mail may belong to, with who its customer is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailThread {
    pub code: String,
    /// The customer's e-mail address on record, if any.
    pub customer_email: Option<String>,
}

impl Store {
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

    /// The raw messages flagged unreadable (empty, no header) and on no ticket, oldest first,
    /// by SHA-256.
    pub async fn unreadable_mail(&self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT sha256 FROM raw_mail WHERE outcome = 'unreadable' AND ticket_id IS NULL
             ORDER BY received_at, sha256",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("sha256")?)).collect()
    }

    /// The messages already stored under this `Message-ID` (not counting copies found to be
    /// duplicates), oldest first, with their tickets' codes: a message that reuses the id is
    /// compared with each to tell a copy from a different message (CH-7).
    pub async fn inbound_mail_with_id(&self, message_id: &str) -> Result<Vec<(String, Vec<u8>)>> {
        // Bounded: an id reused more often than this is noise; beyond it, new copies compare
        // with the first ones only.
        let rows = sqlx::query(
            "SELECT t.code, r.content FROM raw_mail r JOIN tickets t ON t.id = r.ticket_id
             WHERE r.message_id = $1 AND r.outcome <> 'duplicate'
             ORDER BY r.received_at, r.sha256 LIMIT 20",
        )
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("content")?)))
            .collect()
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
