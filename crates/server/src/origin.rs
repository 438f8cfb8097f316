//! Cookie-authenticated JSON writes come only from hotro's own pages (issue 14): a non-GET
//! `/api/v1` call that authenticates by the session cookie must say `Content-Type:
//! application/json` and carry an `Origin` equal to the public URL's origin.
//!
//! SameSite=Strict keeps the cookie from other *sites*, but a sibling origin of the same
//! site (`www.example.vn` beside `support.example.vn`) still sends it, and a plain HTML form
//! or a `text/plain` `fetch` needs no CORS preflight. A JSON content type forces the
//! preflight, which hotro never grants, and the `Origin` check refuses what gets through
//! anyway. Bearer-token calls carry no ambient credential, so they are left alone; so are
//! the public calls, which use no cookie even when a signed-in browser sends one; the web
//! forms have their CSRF token (`web::csrf`).

use crate::error::ApiError;
use axum::http::header::{CONTENT_TYPE, ORIGIN};
use axum::http::{HeaderMap, Method};

/// The rule broken when the body is not declared JSON.
pub const RULE_JSON: &str = "cookie_write.json";
/// The rule broken when the `Origin` is missing or another origin.
pub const RULE_ORIGIN: &str = "cookie_write.origin";

/// The origin (`scheme://host[:port]`, lower case, default port dropped) of a URL.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // A user name in the URL is not part of its origin.
    let host = authority
        .rsplit('@')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let host = match (scheme.as_str(), host.rsplit_once(':')) {
        ("http", Some((h, "80"))) | ("https", Some((h, "443"))) => h.to_owned(),
        _ => host,
    };
    format!("{scheme}://{host}")
}

/// Checks a call that authenticates by the session cookie (`auth::CurrentStaff`, and the
/// sign-out): a write must be declared JSON and come from `public_url`'s origin; reads pass.
pub fn check_cookie_call(
    method: &Method,
    headers: &HeaderMap,
    public_url: &str,
) -> Result<(), ApiError> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    match broken_rule(headers, &origin_of(public_url)) {
        None => Ok(()),
        Some(rule) => {
            tracing::warn!(rule, "cookie-authenticated write refused");
            Err(ApiError::Forbidden(rule))
        }
    }
}

/// The rule the request breaks, if any.
fn broken_rule(headers: &HeaderMap, expected_origin: &str) -> Option<&'static str> {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Some(RULE_JSON);
    }
    let origin_ok = headers
        .get(ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|o| origin_of(o) == expected_origin);
    if !origin_ok {
        return Some(RULE_ORIGIN);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn an_origin_is_scheme_host_and_a_port_other_than_the_default() {
        for (url, origin) in [
            ("https://support.example.vn/", "https://support.example.vn"),
            (
                "https://Support.Example.vn:443/hotro",
                "https://support.example.vn",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://localhost:80/x?y#z", "http://localhost"),
            ("https://u:p@example.vn:8443/", "https://example.vn:8443"),
        ] {
            assert_eq!(origin_of(url), origin, "{url}");
        }
    }
}
