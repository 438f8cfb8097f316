//! Attachment content, stored once by its SHA-256, and who may read it.

use crate::error::{Result, StoreError};
use crate::tx::RunIn;
use crate::{Store, millis};
use hotro_core::StaffMember;
use hotro_core::attachment::{Attachment, sha256_hex};
use jiff::Timestamp;
use sqlx::Row;

/// A stored file with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub attachment: Attachment,
    pub content: Vec<u8>,
}

impl Store {
    /// Stores a file (once, whoever sends it again) and returns its record under `name`.
    /// The content type must already have been judged from the content.
    pub async fn put_attachment(
        &self,
        name: String,
        content_type: String,
        content: Vec<u8>,
        now: Timestamp,
    ) -> Result<Attachment> {
        let sha256 = sha256_hex(&content);
        let attachment = Attachment {
            sha256: sha256.clone(),
            name,
            content_type: content_type.clone(),
            size: content.len() as u64,
        };
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO attachments (sha256, content_type, size, content, created_at)
                         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
                    )
                    .bind(&sha256)
                    .bind(&content_type)
                    .bind(content.len() as i64)
                    .bind(content)
                    .bind(millis(now))
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await?;
        Ok(attachment)
    }

    /// A file of a ticket for a member of staff who may see the ticket (RT-4).
    pub async fn attachment_for_staff(
        &self,
        viewer: &StaffMember,
        code: &str,
        sha256: &str,
    ) -> Result<StoredFile> {
        let ((department, priority), file) = self.ticket_file(code, sha256).await?;
        let priority = hotro_core::Priority::parse(&priority)
            .ok_or_else(|| StoreError::Corrupt(format!("priority {priority:?}")))?;
        if viewer.may_handle_ticket(&department, priority) {
            Ok(file)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// A file of a ticket for its customer, who proves themselves by the tracking secret.
    pub async fn attachment_for_customer(
        &self,
        code: &str,
        tracking_hash: &str,
        sha256: &str,
    ) -> Result<StoredFile> {
        self.tracked_ticket(code, tracking_hash).await?;
        Ok(self.ticket_file(code, sha256).await?.1)
    }

    /// A ticket's file, with the ticket's department and priority (for RT-4 and duty).
    async fn ticket_file(
        &self,
        code: &str,
        sha256: &str,
    ) -> Result<((String, String), StoredFile)> {
        let row = sqlx::query(
            "SELECT t.department, t.priority, ta.name, a.content_type, a.size, a.content
             FROM ticket_attachments ta
             JOIN tickets t ON t.id = ta.ticket_id
             JOIN attachments a ON a.sha256 = ta.sha256
             WHERE t.code = $1 AND ta.sha256 = $2
             ORDER BY ta.event_seq LIMIT 1",
        )
        .bind(code)
        .bind(sha256)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let size: i64 = row.try_get("size")?;
        Ok((
            (row.try_get("department")?, row.try_get("priority")?),
            StoredFile {
                attachment: Attachment {
                    sha256: sha256.to_owned(),
                    name: row.try_get("name")?,
                    content_type: row.try_get("content_type")?,
                    size: size as u64,
                },
                content: row.try_get("content")?,
            },
        ))
    }
}
