//! Staff accounts and signing in (SC-1): the first administrator, and a sign-in that checks
//! the password and opens a session.

use crate::App;
use crate::secrets::{
    digest, dummy_hash, hash_password, new_password, random_hex, verify_password,
};
use hotro_core::{Role, StaffMember};
use hotro_store::{NewStaff, StoreError};
use jiff::{SignedDuration, Timestamp};

/// A session just opened: who, the secret for the cookie (shown once), and when it ends.
pub struct Session {
    pub staff: StaffMember,
    pub secret: String,
    pub expires: Timestamp,
}

impl App {
    /// On first start with no staff at all, creates an administrator and returns its e-mail
    /// and password, to be printed once.
    pub async fn ensure_first_admin(&self) -> Result<Option<(String, String)>, StoreError> {
        if self.store.staff_count().await? > 0 {
            return Ok(None);
        }
        let email = "admin@hotro.local".to_owned();
        let password = new_password();
        let password_hash = hash_password(&password).map_err(StoreError::Corrupt)?;
        self.store
            .add_staff(
                NewStaff {
                    email: email.clone(),
                    name: "Quản trị viên".into(),
                    department: "other".into(),
                    role: Role::Admin,
                    password_hash,
                },
                self.now(),
            )
            .await?;
        Ok(Some((email, password)))
    }

    /// Signs a member of staff in for `hours`: checks the password off the async workers (an
    /// unknown e-mail costs as long as a wrong password, against a dummy hash) and opens a
    /// session. `None` when the e-mail or the password is wrong, without saying which.
    pub async fn sign_in(
        &self,
        email: &str,
        password: String,
        hours: i64,
    ) -> Result<Option<Session>, StoreError> {
        let found = self.store.staff_for_login(email.trim()).await?;
        let (staff, hash) = match found {
            Some((staff, hash)) => (Some(staff), Some(hash)),
            None => (None, None),
        };
        let ok = tokio::task::spawn_blocking(move || {
            let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
            verify_password(&password, &hash)
        })
        .await
        .unwrap_or(false);
        let Some(staff) = staff.filter(|_| ok) else {
            return Ok(None);
        };
        let secret = random_hex(32);
        let now = self.now();
        let expires = now + SignedDuration::from_hours(hours);
        self.store
            .add_session(digest(&secret), staff.id, now, expires)
            .await?;
        Ok(Some(Session {
            staff,
            secret,
            expires,
        }))
    }

    /// Ends the session whose cookie holds `secret` (signing out); an unknown one is no error.
    pub async fn sign_out(&self, secret: &str) -> Result<(), StoreError> {
        self.store.end_session(digest(secret)).await
    }
}
