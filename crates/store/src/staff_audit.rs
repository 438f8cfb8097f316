//! The record of changes to staff and tokens (issue 16, SC-1): who did what to whom, and when.
//! Each row is written by the store method making the change, inside its transaction, so a
//! change and its record are committed together or not at all. Rows hold values only (a
//! role, a department, a token's label) — never a password or a token's secret.

use crate::error::{Result, StoreError};
use crate::tx::{RunIn, Tx};
use crate::{Store, from_millis, millis};
use jiff::Timestamp;
use sqlx::Row;

/// What was done, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A member of staff was added (detail: `role, department`).
    Added,
    /// Their role changed (detail: `old → new`).
    Role,
    /// Their department changed (detail: `old → new`).
    Department,
    /// Disabled: sessions ended, tokens revoked.
    Disabled,
    Enabled,
    /// A new password was set; the password itself is nowhere.
    PasswordReset,
    /// A token was made for them (detail: `scope: label`).
    TokenCreated,
    /// One of their tokens was revoked (detail: its label).
    TokenRevoked,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = &[
        AuditAction::Added,
        AuditAction::Role,
        AuditAction::Department,
        AuditAction::Disabled,
        AuditAction::Enabled,
        AuditAction::PasswordReset,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Added => "staff.added",
            AuditAction::Role => "staff.role",
            AuditAction::Department => "staff.department",
            AuditAction::Disabled => "staff.disabled",
            AuditAction::Enabled => "staff.enabled",
            AuditAction::PasswordReset => "staff.password_reset",
            AuditAction::TokenCreated => "token.created",
            AuditAction::TokenRevoked => "token.revoked",
        }
    }

    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == text)
    }
}

/// One recorded change, with the people named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: Timestamp,
    /// Who made the change: `None` for the operator at the command line.
    pub actor: Option<AuditPerson>,
    pub action: AuditAction,
    /// The member of staff changed, or the owner of the token.
    pub target: AuditPerson,
    pub token_id: Option<i64>,
    pub detail: String,
}

/// A member of staff as the record names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPerson {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// One change to record, inside the transaction making it.
pub(crate) struct Note<'a> {
    pub at: Timestamp,
    /// `None`: the operator at the command line.
    pub by: Option<i64>,
    pub action: AuditAction,
    pub target: i64,
    pub token: Option<i64>,
    pub detail: &'a str,
}

/// Writes `note` on the change's own connection.
pub(crate) async fn record(c: &mut Tx, note: Note<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff_audit (at, actor_id, action, target_id, token_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(millis(note.at))
    .bind(note.by)
    .bind(note.action.as_str())
    .bind(note.target)
    .bind(note.token)
    .bind(note.detail.to_owned())
    .execute_in(c)
    .await?;
    Ok(())
}

impl Store {
    /// The newest `limit` recorded changes to staff and tokens, newest first.
    pub async fn staff_audit(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.action, a.token_id, a.detail,
                    a.actor_id, b.email AS actor_email, b.name AS actor_name,
                    a.target_id, s.email AS target_email, s.name AS target_name
             FROM staff_audit a
             JOIN staff s ON s.id = a.target_id
             LEFT JOIN staff b ON b.id = a.actor_id
             ORDER BY a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let action: String = r.try_get("action")?;
                let actor_id: Option<i64> = r.try_get("actor_id")?;
                let actor = match actor_id {
                    Some(id) => Some(AuditPerson {
                        id,
                        email: r.try_get("actor_email")?,
                        name: r.try_get("actor_name")?,
                    }),
                    None => None,
                };
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: from_millis(r.try_get("at")?)?,
                    actor,
                    action: AuditAction::parse(&action).ok_or_else(|| {
                        StoreError::Corrupt(format!("staff audit action {action:?}"))
                    })?,
                    target: AuditPerson {
                        id: r.try_get("target_id")?,
                        email: r.try_get("target_email")?,
                        name: r.try_get("target_name")?,
                    },
                    token_id: r.try_get("token_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
