//! Staff accounts, API tokens and sign-in sessions (SC-1). Secrets arrive here already
//! hashed: the store never sees a password or a token in the clear.

use crate::error::{Result, StoreError};
use crate::tx::RunIn;
use crate::{Store, millis};
use hotro_core::{Role, StaffMember};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A member of staff to create.
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: Role,
    /// An argon2id PHC string.
    pub password_hash: String,
}

const STAFF_COLUMNS: &str = "s.id, s.email, s.name, s.department, s.role";

fn staff_from_row(row: &AnyRow) -> Result<StaffMember> {
    let role: String = row.try_get("role")?;
    Ok(StaffMember {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        department: row.try_get("department")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
    })
}

impl Store {
    pub async fn staff_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM staff")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Adds a member of staff; `Duplicate("staff.email")` when the address is taken.
    pub async fn add_staff(&self, new: NewStaff, now: Timestamp) -> Result<StaffMember> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let row = sqlx::query(
                        "INSERT INTO staff (email, name, department, role, password_hash, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(&new.email)
                    .bind(&new.name)
                    .bind(&new.department)
                    .bind(new.role.as_str())
                    .bind(&new.password_hash)
                    .bind(millis(now))
                    .fetch_one_in(c)
                    .await
                    .map_err(|e| StoreError::unique(e, "staff.email"))?;
                    Ok(StaffMember {
                        id: row.try_get("id")?,
                        email: new.email,
                        name: new.name,
                        department: new.department,
                        role: new.role,
                    })
                })
            })
            .await
    }

    /// The member of staff with this e-mail and their password hash, if active.
    pub async fn staff_for_login(&self, email: &str) -> Result<Option<(StaffMember, String)>> {
        let sql = format!(
            "SELECT {STAFF_COLUMNS}, s.password_hash FROM staff s WHERE lower(s.email) = lower($1) AND s.active = 1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((staff_from_row(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    pub async fn staff_by_email(&self, email: &str) -> Result<Option<StaffMember>> {
        Ok(self.staff_for_login(email).await?.map(|(s, _)| s))
    }

    /// Records an API token (by its SHA-256) for a member of staff.
    pub async fn add_token(
        &self,
        staff_id: i64,
        token_hash: String,
        label: String,
        now: Timestamp,
    ) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO api_tokens (staff_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(staff_id)
                    .bind(token_hash)
                    .bind(label)
                    .bind(millis(now))
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// The active member of staff an API token belongs to.
    pub async fn staff_by_token(&self, token_hash: &str) -> Result<Option<StaffMember>> {
        let sql = format!(
            "SELECT {STAFF_COLUMNS} FROM api_tokens t JOIN staff s ON s.id = t.staff_id
             WHERE t.token_hash = $1 AND s.active = 1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(staff_from_row).transpose()
    }

    /// Opens a sign-in session (by the SHA-256 of its cookie value).
    pub async fn add_session(
        &self,
        token_hash: String,
        staff_id: i64,
        now: Timestamp,
        expires: Timestamp,
    ) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(token_hash)
                    .bind(staff_id)
                    .bind(millis(now))
                    .bind(millis(expires))
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// The member of staff behind an unexpired session.
    pub async fn staff_by_session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<StaffMember>> {
        let sql = format!(
            "SELECT {STAFF_COLUMNS} FROM sessions x JOIN staff s ON s.id = x.staff_id
             WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.active = 1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(millis(now))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(staff_from_row).transpose()
    }

    pub async fn end_session(&self, token_hash: String) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute_in(c)
                        .await?;
                    Ok(())
                })
            })
            .await
    }
}
