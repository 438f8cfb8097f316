//! Administrators managing staff over the API and the workspace (issues 14 and 16): list
//! everyone, add a member of staff, change a role, a department or whether a person is active,
//! reset a password, read the record of these changes (each written by the store in the
//! change's own transaction, naming the administrator). Only an administrator may
//! (`Forbidden` for anyone else); the last active administrator cannot be demoted or disabled,
//! nor can an administrator demote or disable themselves.

use crate::credentials::last_admin_as;
use crate::secrets::{WeakPassword, check_password};
use crate::secrets::{hash_password, new_password};
use crate::{App, AppError};
use hotro_core::contact::Email;
use hotro_core::text::limits;
use hotro_core::{FieldError, Rejection, Role, StaffMember};
use hotro_store::{AuditEntry, NewStaff, StaffAccount, StaffUpdate, StoreError};

/// A member of staff to add, as submitted.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: Role,
    /// `None`: one is generated and returned once.
    pub password: Option<String>,
}

/// What to change about a member of staff; `None` leaves it.
#[derive(Debug, Clone, Default)]
pub struct MemberChange {
    pub role: Option<Role>,
    pub department: Option<String>,
    pub active: Option<bool>,
}

fn admin_only(by: &StaffMember) -> Result<(), AppError> {
    if by.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

impl App {
    /// Every member of staff, active or not; for administrators.
    pub async fn staff_list(&self, by: &StaffMember) -> Result<Vec<StaffAccount>, AppError> {
        admin_only(by)?;
        self.staff_accounts().await
    }

    /// Adds a member of staff, every mistake named at once; returns them and the generated
    /// password (`None` when one was given), to be shown once.
    pub async fn add_staff_member(
        &self,
        by: &StaffMember,
        new: NewMember,
    ) -> Result<(StaffAccount, Option<String>), AppError> {
        admin_only(by)?;
        let mut errors = Vec::new();
        let email = if new.email.trim().is_empty() {
            errors.push(FieldError::new("email", "required"));
            None
        } else {
            Email::parse("email", &new.email)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let name = new.name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError::new("name", "required"));
        } else if name.chars().count() > limits::NAME {
            errors.push(FieldError::new("name", "max_length"));
        }
        if new.department.trim().is_empty() {
            errors.push(FieldError::new("department", "required"));
        } else if self.policy.department(&new.department).is_none() {
            errors.push(FieldError::new("department", "one_of"));
        }
        if let Some(p) = &new.password
            && let Err(WeakPassword(reason)) = check_password(p, &[new.email.as_str(), &name])
        {
            errors.push(FieldError::new("password", reason));
        }
        if let Some(email) = &email
            && self.store.staff_account(email.as_str()).await?.is_some()
        {
            errors.push(FieldError::new("email", "staff.email_taken"));
        }
        let Some(email) = email.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let generated = new.password.is_none();
        let password = new.password.unwrap_or_else(new_password);
        let for_hash = password.clone();
        // argon2id is CPU work; keep it off the async workers.
        let password_hash = tokio::task::spawn_blocking(move || hash_password(&for_hash))
            .await
            .map_err(|e| StoreError::Corrupt(format!("password hashing failed: {e}")))?
            .map_err(StoreError::Corrupt)?;
        let member = self
            .store
            .add_staff_by(
                NewStaff {
                    email: email.as_str().to_owned(),
                    name,
                    department: new.department,
                    role: new.role,
                    password_hash,
                },
                self.now(),
                Some(by.id),
            )
            .await
            .map_err(|e| match e {
                // Added by someone else a moment ago.
                StoreError::Duplicate(_) => {
                    AppError::Invalid(vec![FieldError::new("email", "staff.email_taken")])
                }
                other => other.into(),
            })?;
        let account = StaffAccount {
            member,
            active: true,
            last_sign_in_at: None,
        };
        Ok((account, generated.then_some(password)))
    }

    /// Changes a member of staff by id. Disabling ends their sessions and tokens at once; a
    /// change leaving no active administrator is refused on the field that would do it.
    pub async fn change_staff_member(
        &self,
        by: &StaffMember,
        id: i64,
        change: MemberChange,
    ) -> Result<StaffAccount, AppError> {
        admin_only(by)?;
        // An administrator cannot lock themselves out by mistake: another one must do it.
        if by.id == id {
            let mut errors = Vec::new();
            if change.role.is_some_and(|r| r != Role::Admin) {
                errors.push(FieldError::new("role", "staff.self"));
            }
            if change.active == Some(false) {
                errors.push(FieldError::new("active", "staff.self"));
            }
            if !errors.is_empty() {
                return Err(AppError::Invalid(errors));
            }
        }
        if let Some(department) = &change.department
            && self.policy.department(department).is_none()
        {
            return Err(AppError::Invalid(vec![FieldError::new(
                "department",
                "one_of",
            )]));
        }
        let field = if change.active == Some(false) {
            "active"
        } else {
            "role"
        };
        let update = StaffUpdate {
            role: change.role,
            department: change.department,
            active: change.active,
        };
        self.store
            .update_staff_by(id, update, self.now(), Some(by.id))
            .await
            .map_err(|e| match e {
                StoreError::NotFound => AppError::Rejected(Rejection::NotFound),
                other => last_admin_as(other, field),
            })
    }
}

impl App {
    /// One member of staff by id, for administrators; `NotFound` when none has it.
    pub async fn staff_member(&self, by: &StaffMember, id: i64) -> Result<StaffAccount, AppError> {
        admin_only(by)?;
        self.store
            .staff_account_by_id(id)
            .await?
            .ok_or(AppError::Rejected(Rejection::NotFound))
    }

    /// An administrator gives member of staff `id` a new password — the one given, or a
    /// generated one, returned to be shown once and stored nowhere in the clear. Their open
    /// sessions end; a weak password is refused on `password`.
    pub async fn reset_staff_password(
        &self,
        by: &StaffMember,
        id: i64,
        password: Option<String>,
    ) -> Result<(StaffAccount, String), AppError> {
        let account = self.staff_member(by, id).await?;
        let password = self.set_new_password(&account, password, Some(by)).await?;
        Ok((account, password))
    }

    /// The newest changes to staff and tokens, newest first (at most [`AUDIT_PAGE`]), for
    /// administrators.
    pub async fn staff_audit(&self, by: &StaffMember) -> Result<Vec<AuditEntry>, AppError> {
        admin_only(by)?;
        Ok(self.store.staff_audit(AUDIT_PAGE).await?)
    }
}

/// How many recorded changes the audit page and `GET /api/v1/staff/audit` show.
pub const AUDIT_PAGE: i64 = 500;
