//! Protection against forged form posts. Signed-in staff: the token is derived from their
//! session secret (which only their browser holds, in an HttpOnly cookie). Everyone else: a
//! random cookie that the form must repeat (double submit). Both cookies are SameSite=Strict.

use crate::auth::{digest, random_hex};
use axum::http::HeaderMap;

pub const CSRF_COOKIE: &str = "hotro_csrf";

pub use crate::auth::cookie;

/// The token for a signed-in session.
pub fn session_token(session_secret: &str) -> String {
    digest(&format!("csrf|{session_secret}"))
}

/// The anonymous token of this browser, and a `Set-Cookie` value when it is new.
pub fn anonymous_token(headers: &HeaderMap) -> (String, Option<String>) {
    match cookie(headers, CSRF_COOKIE)
        .filter(|v| v.len() == 32 && v.chars().all(|c| c.is_ascii_hexdigit()))
    {
        Some(token) => (token, None),
        None => {
            let token = random_hex(16);
            let set = format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
            (token, Some(set))
        }
    }
}

/// Whether the submitted token matches, compared without leaking where it differs.
pub fn matches(expected: &str, submitted: Option<&str>) -> bool {
    let Some(submitted) = submitted else {
        return false;
    };
    expected.len() == submitted.len()
        && expected
            .bytes()
            .zip(submitted.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}
