//! Who is calling (SC-1): argon2id passwords, API tokens for integrations, session cookies
//! for people. Tokens and session ids are stored only as SHA-256 digests.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use hotro_app::staff::SignIn;
use hotro_core::{StaffMember, TokenScope};

pub use hotro_app::secrets::{digest, hash_password, new_api_token, random_hex};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hotro_session";

/// The signed-in member of staff, from a staff bearer token or the session cookie. A token
/// revoked, expired, of a disabled person or of another scope (a mail-intake token) is 401 with
/// the same body as a wrong one.
pub struct CurrentStaff(pub StaffMember);

/// Who a request speaks for, before a route says what it needs.
enum Caller {
    Token(TokenScope, StaffMember),
    Session(StaffMember),
}

async fn caller(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    if let Some(header) = parts.headers.get(AUTHORIZATION) {
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or(ApiError::Unauthorized)?;
        return state
            .token_holder(token.trim())
            .await?
            .map(|h| Caller::Token(h.scope, h.staff))
            .ok_or(ApiError::Unauthorized);
    }
    if let Some(session) = session_cookie(&parts.headers) {
        // A browser sends the cookie by itself: a write must show it comes from hotro's own
        // pages (issue 14, `origin`).
        crate::origin::check_cookie_call(
            &parts.method,
            &parts.headers,
            &state.settings.public_url,
        )?;
        return state
            .staff_by_session(&session)
            .await?
            .map(Caller::Session)
            .ok_or(ApiError::Unauthorized);
    }
    Err(ApiError::Unauthorized)
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match caller(parts, state).await? {
            Caller::Token(TokenScope::Staff, staff) | Caller::Session(staff) => {
                Ok(CurrentStaff(staff))
            }
            // A gateway's secret is no member of staff: as a wrong token, so that it learns
            // nothing about staff endpoints.
            Caller::Token(TokenScope::MailInbound, _) => Err(ApiError::Unauthorized),
        }
    }
}

/// A caller holding a mail-intake token (`hotro token create --scope mail-inbound`), the only
/// credential that may post inbound mail: a staff token or a signed-in person is 403, so no
/// member of staff can post a message as a customer of a ticket they may not see.
pub struct MailIntake;

impl FromRequestParts<AppState> for MailIntake {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match caller(parts, state).await? {
            Caller::Token(TokenScope::MailInbound, _) => Ok(MailIntake),
            Caller::Token(TokenScope::Staff, _) | Caller::Session(_) => {
                Err(ApiError::Forbidden("mail_inbound"))
            }
        }
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

/// Signs a member of staff in (SC-1) and returns them with the `Set-Cookie` value of their
/// new session; the e-mail or the password being wrong, or the account locked, is one
/// answer, 401; too soon after failed attempts for this e-mail, 429 with `Retry-After`.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: String,
) -> Result<(StaffMember, String), ApiError> {
    let hours = state.config.session_hours;
    let session = match state.sign_in(email, password, hours).await? {
        SignIn::Opened(session) => session,
        SignIn::Refused => return Err(ApiError::LoginFailed),
        SignIn::TooSoon(wait) => {
            // Whole seconds, rounded up: a client that waits what it is told is admitted.
            let ms = wait.as_millis().max(1);
            let seconds = u64::try_from((ms + 999) / 1000).unwrap_or(u64::MAX);
            return Err(ApiError::SignInTooSoon(seconds));
        }
    };
    let secure = if state.settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        session.secret,
        hours * 3600
    );
    Ok((session.staff, cookie))
}
