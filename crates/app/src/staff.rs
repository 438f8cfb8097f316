//! Staff accounts and signing in (SC-1): the first administrator, and a sign-in that checks
//! the password and opens a session, throttled per e-mail address (`core::sign_in`).

use crate::App;
use crate::secrets::{
    digest, dummy_hash, hash_password, new_password, random_hex, verify_password,
};
use crate::texts;
use hotro_core::sign_in::{NoticeWords, Refusal, Throttle, lock_notice};
use hotro_core::{Role, StaffMember};
use hotro_store::{NewStaff, StoreError};
use jiff::{SignedDuration, Timestamp};

/// How a sign-in ended.
pub enum SignIn {
    /// The password was right: a session is open.
    Opened(Session),
    /// Wrong e-mail or password, or a locked account: one answer, so none is told apart.
    Refused,
    /// Too soon after the last failed attempts for this e-mail; try again after this long.
    TooSoon(SignedDuration),
}

/// The notice to the owner of a locked account, in the words of `locales/`.
fn lock_notice_for(to: &str, until: Timestamp) -> hotro_store::OutMail {
    let (vi_subject, vi_body) = (
        texts::vi("sign_in.locked.subject", &[]),
        texts::vi("sign_in.locked.body", &[]),
    );
    let (en_subject, en_body) = (
        texts::en("sign_in.locked.subject", &[]),
        texts::en("sign_in.locked.body", &[]),
    );
    lock_notice(
        to,
        until,
        NoticeWords {
            subject: &vi_subject,
            body: &vi_body,
        },
        NoticeWords {
            subject: &en_subject,
            body: &en_body,
        },
    )
}

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

    /// Signs a member of staff in for `hours` (SC-1). The attempt is first admitted by the
    /// e-mail's throttle (`core::sign_in`): too soon after the last failures it is refused
    /// unchecked (`TooSoon`); on a locked account the password is still checked, for the
    /// time it costs, and the answer is `Refused` whatever it was, as for a wrong one. The
    /// password is checked off the async workers, and an unknown e-mail costs as long as a
    /// wrong password, against a dummy hash, and is throttled alike. The failure that locks
    /// a member of staff's account queues the notice to its owner.
    pub async fn sign_in(
        &self,
        email: &str,
        password: String,
        hours: i64,
    ) -> Result<SignIn, StoreError> {
        let email = email.trim();
        let key = email.to_lowercase();
        let now = self.now();
        let admitted = match self
            .store
            .admit_sign_in(key.clone(), Throttle::STANDARD, now)
            .await?
        {
            Ok(_) => true,
            Err(Refusal::Wait(wait)) => return Ok(SignIn::TooSoon(wait)),
            Err(Refusal::Locked(_)) => false,
        };
        let found = self.store.staff_for_login(email).await?;
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
        if !admitted {
            return Ok(SignIn::Refused);
        }
        let staff = match staff {
            Some(staff) if ok => staff,
            other => {
                // Only a member of staff is mailed; an unknown address is throttled alike.
                let until = now + Throttle::STANDARD.lock_for;
                let notice = other.map(|s| lock_notice_for(&s.email, until));
                self.store
                    .sign_in_failed(key, Throttle::STANDARD, now, notice)
                    .await?;
                return Ok(SignIn::Refused);
            }
        };
        self.store.clear_sign_in(key).await?;
        let secret = random_hex(32);
        let expires = now + SignedDuration::from_hours(hours);
        self.store
            .add_session(digest(&secret), staff.id, now, expires)
            .await?;
        Ok(SignIn::Opened(Session {
            staff,
            secret,
            expires,
        }))
    }

    /// Lifts the sign-in lock of `email` and forgets its failures (`hotro user unlock`).
    /// `None` when no active member of staff has the address; otherwise whether a lock was
    /// in force.
    pub async fn unlock_sign_in(&self, email: &str) -> Result<Option<bool>, StoreError> {
        let Some(staff) = self.store.staff_by_email(email.trim()).await? else {
            return Ok(None);
        };
        let was = self.store.clear_sign_in(staff.email.to_lowercase()).await?;
        Ok(Some(was.locked(self.now()).is_some()))
    }

    /// The member of staff whose session cookie holds `secret`, with what their holiday duty
    /// covers now; `None` for an unknown, ended or expired session.
    pub async fn staff_by_session(&self, secret: &str) -> Result<Option<StaffMember>, StoreError> {
        let now = self.now();
        let staff = self.store.staff_by_session(&digest(secret), now).await?;
        Ok(staff.map(|s| self.on_duty(s)))
    }

    /// `staff` with the other departments' tickets their holiday duty covers at this moment
    /// (seed 001): worked out per request, so the cover starts and ends with the day off.
    pub fn on_duty(&self, mut staff: StaffMember) -> StaffMember {
        staff.cover = self
            .policy
            .duty_cover(staff.role, &staff.department, self.now());
        staff
    }

    /// Ends the session whose cookie holds `secret` (signing out); an unknown one is no error.
    pub async fn sign_out(&self, secret: &str) -> Result<(), StoreError> {
        self.store.end_session(digest(secret)).await
    }
}
