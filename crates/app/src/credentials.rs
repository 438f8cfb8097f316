//! Credentials that can be cut off (issue 14, SC-1): staff accounts enabled and disabled,
//! passwords reset, API tokens created with a scope and an expiry, listed and revoked, and the
//! lookup every door does to learn who a token speaks for.
//!
//! `by: None` is the operator at the command line, who may do everything; a member of staff
//! over the API sees and revokes their own tokens, an administrator anyone's.

use crate::secrets::{
    WeakPassword, check_password, digest, hash_password, new_api_token, new_password,
};
use crate::{App, AppError};
use hotro_core::text::limits;
use hotro_core::{FieldError, Rejection, Role, StaffMember, TokenScope};
use hotro_store::{NewToken, StaffAccount, StoreError, TokenHolder, TokenRow};
use jiff::{SignedDuration, Timestamp};

/// A token's last use is written at most once per this span: a busy integration would
/// otherwise write on every call.
pub const TOUCH_QUIET: SignedDuration = SignedDuration::from_secs(60);

/// The longest a token may be made to last, in days (ten years).
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// A token to create for a member of staff.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub email: String,
    pub label: String,
    pub scope: TokenScope,
    /// Days until it expires; `None` never.
    pub expires_in_days: Option<i64>,
}

/// A token just created: its secret is shown this once.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub id: i64,
    pub secret: String,
    pub owner: StaffMember,
    pub expires_at: Option<Timestamp>,
}

fn invalid(field: &str, rule: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, rule)])
}

/// The store's refusal to leave no active administrator, as an error on the field the door
/// named the change with (`--email` on the command line, `active` or `role` over the API).
pub(crate) fn last_admin_as(e: StoreError, field: &str) -> AppError {
    match e {
        StoreError::Rejected(Rejection::Conflict {
            rule: rule @ "staff.last_admin",
        }) => invalid(field, rule),
        other => other.into(),
    }
}

impl App {
    /// Who the token `secret` speaks for: `None` for a token unknown, revoked, expired or of a
    /// disabled person, all alike. Its last use is recorded at most once a minute.
    pub async fn token_holder(&self, secret: &str) -> Result<Option<TokenHolder>, StoreError> {
        let now = self.now();
        let Some(mut holder) = self.store.token_holder(&digest(secret), now).await? else {
            return Ok(None);
        };
        holder.staff = self.on_duty(holder.staff);
        if holder.last_used_at.is_none_or(|at| now - TOUCH_QUIET >= at) {
            self.store
                .touch_token(holder.token_id, now, TOUCH_QUIET)
                .await?;
        }
        Ok(Some(holder))
    }

    /// Every member of staff, active or disabled.
    pub async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, AppError> {
        Ok(self.store.staff_accounts().await?)
    }

    async fn account(&self, email: &str) -> Result<StaffAccount, AppError> {
        self.store
            .staff_account(email.trim())
            .await?
            .ok_or_else(|| invalid("email", "staff.unknown"))
    }

    /// Enables or disables the member of staff with this e-mail. Disabling ends their sessions
    /// and revokes their tokens at once; the last active administrator cannot be disabled.
    pub async fn set_staff_active(
        &self,
        email: &str,
        active: bool,
    ) -> Result<StaffAccount, AppError> {
        let account = self.account(email).await?;
        self.store
            .set_staff_active(account.member.id, active, self.now())
            .await
            .map_err(|e| last_admin_as(e, "email"))
    }

    /// Gives the member of staff a new password — the one given, or a generated one — and
    /// returns it (to be shown once); their open sessions end. Done by the operator.
    pub async fn reset_password(
        &self,
        email: &str,
        password: Option<String>,
    ) -> Result<String, AppError> {
        let account = self.account(email).await?;
        self.set_new_password(&account, password, None).await
    }

    /// Sets `password` (or a generated one, returned to be shown once) for `account`, recorded
    /// as done by `by` (`None`: the operator). A weak password is refused on `password`.
    pub(crate) async fn set_new_password(
        &self,
        account: &StaffAccount,
        password: Option<String>,
        by: Option<&StaffMember>,
    ) -> Result<String, AppError> {
        if let Some(p) = &password {
            let guesses = [account.member.email.as_str(), account.member.name.as_str()];
            if let Err(WeakPassword(reason)) = check_password(p, &guesses) {
                return Err(invalid("password", reason));
            }
        }
        let password = password.unwrap_or_else(new_password);
        let for_hash = password.clone();
        // argon2id is CPU work; keep it off the async workers.
        let hash = tokio::task::spawn_blocking(move || hash_password(&for_hash))
            .await
            .map_err(|e| StoreError::Corrupt(format!("password hashing failed: {e}")))?
            .map_err(StoreError::Corrupt)?;
        self.store
            .set_password(account.member.id, hash, self.now(), by.map(|s| s.id))
            .await?;
        Ok(password)
    }

    /// Creates a token for an active member of staff; its secret is returned once. Done by
    /// the operator.
    pub async fn create_token(&self, request: TokenRequest) -> Result<CreatedToken, AppError> {
        self.create_token_as(None, request).await
    }

    /// Creates a token for an active member of staff, as `by` (`None`: the operator; else an
    /// administrator — anyone else is `Forbidden`); its secret is returned once, and the record
    /// of the change names its label and scope, never the secret.
    pub async fn create_token_as(
        &self,
        by: Option<&StaffMember>,
        request: TokenRequest,
    ) -> Result<CreatedToken, AppError> {
        if by.is_some_and(|s| s.role != Role::Admin) {
            return Err(AppError::Forbidden);
        }
        let mut errors = Vec::new();
        let label = request.label.trim().to_owned();
        if label.is_empty() {
            errors.push(FieldError::new("label", "required"));
        } else if label.chars().count() > limits::NAME {
            errors.push(FieldError::new("label", "max_length"));
        }
        if let Some(days) = request.expires_in_days
            && !(1..=MAX_TOKEN_DAYS).contains(&days)
        {
            errors.push(FieldError::new("expires_in", "token.expires_in"));
        }
        // A disabled person gets no new token: that would undo the disabling.
        let owner = match self.store.staff_account(request.email.trim()).await? {
            Some(account) if account.active => Some(account),
            Some(_) => {
                errors.push(FieldError::new("email", "staff.disabled"));
                None
            }
            None => {
                errors.push(FieldError::new("email", "staff.unknown"));
                None
            }
        };
        let (Some(owner), true) = (owner, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = self.now();
        let expires_at = request
            .expires_in_days
            .map(|days| now + SignedDuration::from_hours(days * 24));
        let (secret, hash) = new_api_token();
        let id = self
            .store
            .add_token_by(
                NewToken {
                    staff_id: owner.member.id,
                    token_hash: hash,
                    label,
                    scope: request.scope,
                    expires_at,
                },
                now,
                by.map(|s| s.id),
            )
            .await?;
        Ok(CreatedToken {
            id,
            secret,
            owner: owner.member,
            expires_at,
        })
    }

    /// Tokens as `by` may see them: the operator (`None`) and administrators every one (or one
    /// person's, by e-mail), anyone else only their own.
    pub async fn tokens(
        &self,
        by: Option<&StaffMember>,
        owner_email: Option<&str>,
    ) -> Result<Vec<TokenRow>, AppError> {
        let owner = match (by, owner_email) {
            (Some(staff), _) if staff.role != Role::Admin => Some(staff.id),
            (_, Some(email)) => Some(self.account(email).await?.member.id),
            (_, None) => None,
        };
        Ok(self.store.tokens(owner).await?)
    }

    /// Revokes token `id`: from now on it answers as an unknown token. A token `by` may not
    /// see is not found, as one that does not exist.
    pub async fn revoke_token(&self, by: Option<&StaffMember>, id: i64) -> Result<(), AppError> {
        let token = self
            .store
            .token(id)
            .await?
            .ok_or(AppError::Rejected(Rejection::NotFound))?;
        if let Some(staff) = by
            && staff.role != Role::Admin
            && staff.id != token.staff_id
        {
            return Err(AppError::Rejected(Rejection::NotFound));
        }
        self.store
            .revoke_token_by(id, self.now(), by.map(|s| s.id))
            .await?;
        Ok(())
    }
}
