//! Staff accounts, API tokens and sign-in sessions (SC-1). Secrets arrive here already
//! hashed: the store never sees a password or a token in the clear. Tokens can expire and be
//! revoked, and a disabled person's sessions and tokens end at once (issue 14).
//!
//! One file on purpose: accounts, tokens and sessions are one family of tables, and its rules
//! (disabling ends the person's sessions and tokens in one transaction) read together.

use crate::error::{Result, StoreError};
use crate::staff_audit::{AuditAction, Note, record};
use crate::tx::{self, RunIn};
use crate::{Store, from_millis, millis};
use hotro_core::{Rejection, Role, StaffMember, TokenScope};
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

/// A token to record: its owner, its SHA-256, what it is for and until when.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub staff_id: i64,
    pub token_hash: String,
    pub label: String,
    pub scope: TokenScope,
    pub expires_at: Option<Timestamp>,
}

/// A token as `hotro token list` and `GET /api/v1/tokens` show it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: i64,
    pub staff_id: i64,
    pub owner: String,
    pub label: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// Who a valid token speaks for, and what it may do.
#[derive(Debug, Clone)]
pub struct TokenHolder {
    pub token_id: i64,
    pub staff: StaffMember,
    pub scope: TokenScope,
    pub last_used_at: Option<Timestamp>,
}

/// What to change about a member of staff; `None` leaves it as it is.
#[derive(Debug, Clone, Default)]
pub struct StaffUpdate {
    pub role: Option<Role>,
    pub department: Option<String>,
    pub active: Option<bool>,
}

/// A member of staff with whether they may sign in (`hotro user list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub member: StaffMember,
    pub active: bool,
    /// When they last opened a sign-in session; `None` if never.
    pub last_sign_in_at: Option<Timestamp>,
}

const ACCOUNT_COLUMNS: &str =
    "s.id, s.email, s.name, s.department, s.role, s.active, s.last_sign_in_at";

fn account_from_row(row: &impl tx::Columns) -> Result<StaffAccount> {
    let role: String = row.column("role")?;
    Ok(StaffAccount {
        member: StaffMember {
            cover: Default::default(),
            id: row.column("id")?,
            email: row.column("email")?,
            name: row.column("name")?,
            department: row.column("department")?,
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        },
        active: row.column::<i64>("active")? == 1,
        last_sign_in_at: instant(row.column("last_sign_in_at")?)?,
    })
}

const TOKEN_COLUMNS: &str = "t.id, t.staff_id, s.email AS owner, t.label, t.scope, t.created_at,
     t.last_used_at, t.expires_at, t.revoked_at";

fn scope_of(text: &str) -> Result<TokenScope> {
    TokenScope::parse(text).ok_or_else(|| StoreError::Corrupt(format!("token scope {text:?}")))
}

fn instant(ms: Option<i64>) -> Result<Option<Timestamp>> {
    ms.map(from_millis).transpose()
}

fn token_from_row(row: &AnyRow) -> Result<TokenRow> {
    let scope: String = row.try_get("scope")?;
    Ok(TokenRow {
        id: row.try_get("id")?,
        staff_id: row.try_get("staff_id")?,
        owner: row.try_get("owner")?,
        label: row.try_get("label")?,
        scope: scope_of(&scope)?,
        created_at: from_millis(row.try_get("created_at")?)?,
        last_used_at: instant(row.try_get("last_used_at")?)?,
        expires_at: instant(row.try_get("expires_at")?)?,
        revoked_at: instant(row.try_get("revoked_at")?)?,
    })
}

const STAFF_COLUMNS: &str = "s.id, s.email, s.name, s.department, s.role";

fn staff_from_row(row: &AnyRow) -> Result<StaffMember> {
    let role: String = row.try_get("role")?;
    Ok(StaffMember {
        cover: Default::default(),
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        department: row.try_get("department")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
    })
}

/// Issue 16: the *active* member of staff with this id, read inside a command's transaction
/// so an assignment sees staff as they are when it is decided.
pub(crate) async fn active_member_in(c: &mut tx::Tx, id: i64) -> Result<Option<StaffMember>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff s WHERE s.id = $1 AND s.active = 1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional_in(c)
        .await?;
    Ok(row
        .as_ref()
        .map(account_from_row)
        .transpose()?
        .map(|a| a.member))
}

impl Store {
    pub async fn staff_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM staff")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Adds a member of staff; `Duplicate("staff.email")` when the address is taken. Recorded
    /// as the operator's doing; see [`Store::add_staff_by`].
    pub async fn add_staff(&self, new: NewStaff, now: Timestamp) -> Result<StaffMember> {
        self.add_staff_by(new, now, None).await
    }

    /// Adds a member of staff, recording in the same transaction that `by` (a member of staff's
    /// id; `None` for the operator) did.
    pub async fn add_staff_by(
        &self,
        new: NewStaff,
        now: Timestamp,
        by: Option<i64>,
    ) -> Result<StaffMember> {
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
                    let id: i64 = row.try_get("id")?;
                    let detail = format!("{}, {}", new.role.as_str(), new.department);
                    record(
                        c,
                        Note {
                            at: now,
                            by,
                            action: AuditAction::Added,
                            target: id,
                            token: None,
                            detail: &detail,
                        },
                    )
                    .await?;
                    Ok(StaffMember {
                        cover: Default::default(),
                        id,
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

    /// Records a staff API token (by its SHA-256) that never expires.
    pub async fn add_token(
        &self,
        staff_id: i64,
        token_hash: String,
        label: String,
        now: Timestamp,
    ) -> Result<()> {
        self.add_token_with(
            NewToken {
                staff_id,
                token_hash,
                label,
                scope: TokenScope::Staff,
                expires_at: None,
            },
            now,
        )
        .await
        .map(|_| ())
    }

    /// Records an API token (by its SHA-256) with its scope and expiry; returns its id.
    /// Recorded as the operator's doing; see [`Store::add_token_by`].
    pub async fn add_token_with(&self, new: NewToken, now: Timestamp) -> Result<i64> {
        self.add_token_by(new, now, None).await
    }

    /// Records an API token, and in the same transaction that `by` (`None`: the operator)
    /// made it — its label and scope, never its secret.
    pub async fn add_token_by(
        &self,
        new: NewToken,
        now: Timestamp,
        by: Option<i64>,
    ) -> Result<i64> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let row = sqlx::query(
                        "INSERT INTO api_tokens (staff_id, token_hash, label, created_at, scope, expires_at)
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(new.staff_id)
                    .bind(new.token_hash)
                    .bind(new.label.clone())
                    .bind(millis(now))
                    .bind(new.scope.as_str())
                    .bind(new.expires_at.map(millis))
                    .fetch_one_in(c)
                    .await?;
                    let id: i64 = row.try_get("id")?;
                    let detail = format!("{}: {}", new.scope.as_str(), new.label);
                    record(
                        c,
                        Note {
                            at: now,
                            by,
                            action: AuditAction::TokenCreated,
                            target: new.staff_id,
                            token: Some(id),
                            detail: &detail,
                        },
                    )
                    .await?;
                    Ok(id)
                })
            })
            .await
    }

    /// Who a token speaks for: only a token neither revoked nor expired at `now`, of an active
    /// member of staff. Anything else is `None`, one answer for every reason.
    pub async fn token_holder(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<TokenHolder>> {
        let sql = format!(
            "SELECT {STAFF_COLUMNS}, t.id AS token_id, t.scope, t.last_used_at
             FROM api_tokens t JOIN staff s ON s.id = t.staff_id
             WHERE t.token_hash = $1 AND s.active = 1 AND t.revoked_at IS NULL
               AND (t.expires_at IS NULL OR t.expires_at > $2)"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(millis(now))
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let scope: String = row.try_get("scope")?;
        Ok(Some(TokenHolder {
            token_id: row.try_get("token_id")?,
            staff: staff_from_row(&row)?,
            scope: scope_of(&scope)?,
            last_used_at: instant(row.try_get("last_used_at")?)?,
        }))
    }

    /// Records that a token was used at `now`, unless a use within `quiet` was recorded already
    /// (another node may have written it meanwhile): a busy integration writes about once per
    /// `quiet`, not on every call.
    pub async fn touch_token(
        &self,
        token_id: i64,
        now: Timestamp,
        quiet: jiff::SignedDuration,
    ) -> Result<()> {
        let before = millis(now) - quiet.as_millis() as i64;
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE api_tokens SET last_used_at = $1
                         WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)",
                    )
                    .bind(millis(now))
                    .bind(token_id)
                    .bind(before)
                    .execute_in(c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Tokens, oldest first: every one, or those of one member of staff.
    pub async fn tokens(&self, owner: Option<i64>) -> Result<Vec<TokenRow>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN staff s ON s.id = t.staff_id
             WHERE ($1 = 0 OR t.staff_id = $1) ORDER BY t.id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(owner.unwrap_or(0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(token_from_row).collect()
    }

    /// One token by its id.
    pub async fn token(&self, id: i64) -> Result<Option<TokenRow>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN staff s ON s.id = t.staff_id
             WHERE t.id = $1"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(token_from_row).transpose()
    }

    /// Revokes a token from `now` on; `NotFound` when no token has this id. A token revoked
    /// before keeps its first revocation time. Recorded as the operator's doing; see
    /// [`Store::revoke_token_by`].
    pub async fn revoke_token(&self, id: i64, now: Timestamp) -> Result<()> {
        self.revoke_token_by(id, now, None).await
    }

    /// Revokes a token, recording in the same transaction that `by` (`None`: the operator)
    /// did; revoking a revoked token changes and records nothing.
    pub async fn revoke_token_by(&self, id: i64, now: Timestamp, by: Option<i64>) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let found =
                        sqlx::query("SELECT staff_id, label FROM api_tokens WHERE id = $1")
                            .bind(id)
                            .fetch_optional_in(c)
                            .await?;
                    let Some(found) = found else {
                        return Err(StoreError::NotFound);
                    };
                    let done = sqlx::query(
                        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                    )
                    .bind(millis(now))
                    .bind(id)
                    .execute_in(c)
                    .await?;
                    if done.rows_affected() == 1 {
                        let label: String = found.try_get("label")?;
                        record(
                            c,
                            Note {
                                at: now,
                                by,
                                action: AuditAction::TokenRevoked,
                                target: found.try_get("staff_id")?,
                                token: Some(id),
                                detail: &label,
                            },
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Every member of staff, active or not, by e-mail.
    pub async fn staff_accounts(&self) -> Result<Vec<StaffAccount>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff s ORDER BY lower(s.email)");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(account_from_row).collect()
    }

    /// The member of staff with this id, active or not.
    pub async fn staff_account_by_id(&self, id: i64) -> Result<Option<StaffAccount>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff s WHERE s.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// The member of staff with this e-mail, active or not.
    pub async fn staff_account(&self, email: &str) -> Result<Option<StaffAccount>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff s WHERE lower(s.email) = lower($1)");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account_from_row).transpose()
    }

    /// Enables or disables a member of staff; see [`Store::update_staff`].
    pub async fn set_staff_active(
        &self,
        staff_id: i64,
        active: bool,
        now: Timestamp,
    ) -> Result<StaffAccount> {
        let update = StaffUpdate {
            active: Some(active),
            ..StaffUpdate::default()
        };
        self.update_staff(staff_id, update, now).await
    }

    /// Changes a member of staff's role, department or whether they are active, in one
    /// transaction. Recorded as the operator's doing; see [`Store::update_staff_by`].
    pub async fn update_staff(
        &self,
        staff_id: i64,
        update: StaffUpdate,
        now: Timestamp,
    ) -> Result<StaffAccount> {
        self.update_staff_by(staff_id, update, now, None).await
    }

    /// Changes a member of staff's role, department or whether they are active, in one
    /// transaction. Disabling ends their sessions and revokes their tokens in the same
    /// transaction. A change that would leave no active administrator is refused
    /// (`Conflict { rule: "staff.last_admin" }`, nothing changed): nobody could then manage
    /// staff. `NotFound` when no member of staff has this id. Each value that changes is
    /// recorded in the same transaction as done by `by` (`None`: the operator), and so is each
    /// token the disabling revokes; a value set to what it was records nothing.
    pub async fn update_staff_by(
        &self,
        staff_id: i64,
        update: StaffUpdate,
        now: Timestamp,
        by: Option<i64>,
    ) -> Result<StaffAccount> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    // On PostgreSQL the active admins are locked first, so two admins disabling
                    // or demoting each other at once cannot both pass the check below.
                    let lock = if c.is_postgres() { " FOR UPDATE" } else { "" };
                    let sql =
                        format!("SELECT id FROM staff WHERE role = 'admin' AND active = 1{lock}");
                    let before = sqlx::query(AssertSqlSafe(sql)).fetch_all_in(c).await?.len();
                    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff s WHERE s.id = $1");
                    let Some(was) = sqlx::query(AssertSqlSafe(sql))
                        .bind(staff_id)
                        .fetch_optional_in(c)
                        .await?
                    else {
                        return Err(StoreError::NotFound);
                    };
                    let was = account_from_row(&was)?;
                    sqlx::query(
                        "UPDATE staff SET role = COALESCE($1, role),
                             department = COALESCE($2, department), active = COALESCE($3, active)
                         WHERE id = $4",
                    )
                    .bind(update.role.map(|r| r.as_str().to_owned()))
                    .bind(update.department.clone())
                    .bind(update.active.map(i64::from))
                    .bind(staff_id)
                    .execute_in(c)
                    .await?;
                    let admins: i64 = sqlx::query(
                        "SELECT COUNT(*) AS n FROM staff WHERE role = 'admin' AND active = 1",
                    )
                    .fetch_one_in(c)
                    .await?
                    .try_get("n")?;
                    // Only a change that takes the last one away is refused: an installation
                    // that never had an administrator can still manage its other staff.
                    if admins == 0 && before > 0 {
                        return Err(StoreError::Rejected(Rejection::Conflict {
                            rule: "staff.last_admin",
                        }));
                    }
                    let mut notes: Vec<(AuditAction, Option<i64>, String)> = Vec::new();
                    if let Some(role) = update.role.filter(|r| *r != was.member.role) {
                        let detail = format!("{} → {}", was.member.role.as_str(), role.as_str());
                        notes.push((AuditAction::Role, None, detail));
                    }
                    if let Some(department) = update
                        .department
                        .as_ref()
                        .filter(|d| **d != was.member.department)
                    {
                        let detail = format!("{} → {department}", was.member.department);
                        notes.push((AuditAction::Department, None, detail));
                    }
                    match update.active {
                        Some(true) if !was.active => {
                            notes.push((AuditAction::Enabled, None, String::new()));
                        }
                        Some(false) if was.active => {
                            notes.push((AuditAction::Disabled, None, String::new()));
                        }
                        _ => {}
                    }
                    if update.active == Some(false) {
                        sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                            .bind(staff_id)
                            .execute_in(c)
                            .await?;
                        let live = sqlx::query(
                            "SELECT id, label FROM api_tokens
                             WHERE staff_id = $1 AND revoked_at IS NULL ORDER BY id",
                        )
                        .bind(staff_id)
                        .fetch_all_in(c)
                        .await?;
                        for token in &live {
                            notes.push((
                                AuditAction::TokenRevoked,
                                Some(token.try_get("id")?),
                                token.try_get("label")?,
                            ));
                        }
                        sqlx::query(
                            "UPDATE api_tokens SET revoked_at = $1
                             WHERE staff_id = $2 AND revoked_at IS NULL",
                        )
                        .bind(millis(now))
                        .bind(staff_id)
                        .execute_in(c)
                        .await?;
                    }
                    for (action, token, detail) in &notes {
                        record(
                            c,
                            Note {
                                at: now,
                                by,
                                action: *action,
                                target: staff_id,
                                token: *token,
                                detail,
                            },
                        )
                        .await?;
                    }
                    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff s WHERE s.id = $1");
                    let row = sqlx::query(AssertSqlSafe(sql))
                        .bind(staff_id)
                        .fetch_one_in(c)
                        .await?;
                    account_from_row(&row)
                })
            })
            .await
    }

    /// Sets a new password (an argon2id PHC string) and ends the person's open sessions: a
    /// reset after a leak must shut out whoever knew the old one. Recorded in the same
    /// transaction as done by `by` (`None`: the operator) — that it was reset, nothing more.
    pub async fn set_password(
        &self,
        staff_id: i64,
        password_hash: String,
        now: Timestamp,
        by: Option<i64>,
    ) -> Result<()> {
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let done = sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
                        .bind(password_hash)
                        .bind(staff_id)
                        .execute_in(c)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                        .bind(staff_id)
                        .execute_in(c)
                        .await?;
                    record(
                        c,
                        Note {
                            at: now,
                            by,
                            action: AuditAction::PasswordReset,
                            target: staff_id,
                            token: None,
                            detail: "",
                        },
                    )
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Opens a sign-in session (by the SHA-256 of its cookie value) and notes the sign-in's
    /// time on the member of staff.
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
                    // The staff page shows when each person last signed in.
                    sqlx::query("UPDATE staff SET last_sign_in_at = $1 WHERE id = $2")
                        .bind(millis(now))
                        .bind(staff_id)
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
