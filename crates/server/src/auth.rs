//! Who is calling (SC-1): argon2id passwords, API tokens for integrations, session cookies
//! for people. Tokens and session ids are stored only as SHA-256 digests.

use crate::AppState;
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use hotro_core::{Role, StaffMember};
use hotro_store::{NewStaff, Store, StoreError};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hotro_session";

/// Hashes a password with argon2id and a fresh salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// A hash to verify against when a sign-in names an unknown e-mail, so that it takes as
/// long as a wrong password and does not reveal which addresses exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account").unwrap_or_default())
}

/// Whether `password` matches the stored PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// `n` random bytes as lower-case hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    hex::encode(bytes)
}

/// The SHA-256 of a secret, as stored.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new API token: what the user keeps, and what the store keeps.
pub fn new_api_token() -> (String, String) {
    let token = format!("hotro_{}", random_hex(32));
    let hash = digest(&token);
    (token, hash)
}

/// A password people can read aloud and type: 4 groups of 5 characters without look-alikes.
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// On first start with no staff at all, creates an administrator and returns its e-mail
/// and password, to be printed once.
pub async fn ensure_first_admin(
    store: &Store,
    now: Timestamp,
) -> Result<Option<(String, String)>, StoreError> {
    if store.staff_count().await? > 0 {
        return Ok(None);
    }
    let email = "admin@hotro.local".to_owned();
    let password = new_password();
    let password_hash = hash_password(&password).map_err(StoreError::Corrupt)?;
    store
        .add_staff(
            NewStaff {
                email: email.clone(),
                name: "Quản trị viên".into(),
                department: "other".into(),
                role: Role::Admin,
                password_hash,
            },
            now,
        )
        .await?;
    Ok(Some((email, password)))
}

/// The signed-in member of staff, from a bearer token or the session cookie.
pub struct CurrentStaff(pub StaffMember);

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(header) = parts.headers.get(AUTHORIZATION) {
            let token = header
                .to_str()
                .ok()
                .and_then(|h| h.strip_prefix("Bearer "))
                .ok_or(ApiError::Unauthorized)?;
            return state
                .store
                .staff_by_token(&digest(token.trim()))
                .await?
                .map(CurrentStaff)
                .ok_or(ApiError::Unauthorized);
        }
        if let Some(session) = session_cookie(&parts.headers) {
            return state
                .store
                .staff_by_session(&digest(&session), state.clock.now())
                .await?
                .map(CurrentStaff)
                .ok_or(ApiError::Unauthorized);
        }
        Err(ApiError::Unauthorized)
    }
}

/// The value of the session cookie, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// Signs a member of staff in (SC-1): checks the password off the async workers (an
/// unknown e-mail costs as long as a wrong password, against a dummy hash), opens a
/// session, and returns the staff member with the `Set-Cookie` value for it.
pub async fn sign_in(
    state: &crate::AppState,
    email: &str,
    password: String,
) -> Result<(StaffMember, String), crate::error::ApiError> {
    use crate::error::ApiError;
    let found = state.store.staff_for_login(email.trim()).await?;
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
    let staff = staff.filter(|_| ok).ok_or(ApiError::LoginFailed)?;
    let secret = random_hex(32);
    let now = state.clock.now();
    let hours = state.config.session_hours;
    let expires = now + jiff::SignedDuration::from_hours(hours);
    state
        .store
        .add_session(digest(&secret), staff.id, now, expires)
        .await?;
    let secure = if state.config.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        hours * 3600
    );
    Ok((staff, cookie))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sc1_passwords_are_argon2id_and_verify() {
        let phc = hash_password("mật khẩu dài").unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(verify_password("mật khẩu dài", &phc));
        assert!(!verify_password("mat khau dai", &phc));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn generated_secrets_have_the_documented_shape() {
        let (token, hash) = new_api_token();
        assert!(token.starts_with("hotro_") && token.len() == 70);
        assert_eq!(hash, digest(&token));
        let pw = new_password();
        assert_eq!(pw.len(), 23);
        assert!(!pw.contains(['0', 'o', '1', 'l', 'i']));
    }
}
