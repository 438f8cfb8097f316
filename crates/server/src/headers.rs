//! Security headers on every answer (issue 14): what a browser may run, frame, sniff, cache
//! and tell other sites about hotro's pages, and which cookies travel only over HTTPS,
//! decided in one place for every route.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, SET_COOKIE, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::middleware::Next;
use axum::response::Response;

/// The pages' policy: hotro's own scripts, styles, pictures and connections only (htmx,
/// `live.js` and the rest are served from `/assets/`); no inline script or style, no plugin,
/// no `<base>` rewriting, forms post only to hotro, and no other site may frame a page
/// (clickjacking a sign-in or a command).
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

/// Whether the path belongs to the chat widget that other sites embed (CH-3). `widget.js`
/// is loaded by a `<script>` tag on the company's own site and talks to `/chat/*` by
/// `fetch` and a WebSocket: none of them is a document, so a page policy and the framing
/// headers mean nothing there, and the host page's own policy governs the widget. They are
/// left off these paths so that an embedding site never meets a frame refusal from hotro.
fn is_widget(path: &str) -> bool {
    path == "/widget.js" || path.starts_with("/chat/")
}

/// Whether the page's address carries a customer's secret: the tracking page's link is
/// `/track/{code}?secret=…`, so not even hotro's own pages may be told it.
fn carries_secret(path: &str) -> bool {
    path.starts_with("/track/")
}

/// Adds the headers to the answer. A handler that chose a header keeps its choice — the
/// embedded assets and `widget.js` are `public` on purpose, and a download has its own
/// sandboxing policy — except a cache that is not `public` (the event stream's `no-cache`),
/// which becomes `no-store`. With `secure_cookies` (the public URL is https) every cookie set is
/// marked `Secure`, so that none of them — session, CSRF, language — is ever sent over
/// plain HTTP, whichever handler made it.
pub async fn apply(secure_cookies: bool, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if secure_cookies {
        mark_secure(headers);
    }
    // Everything but what a handler marked `public` is personal or per-session (the
    // workspace and its event stream, tracking pages, forms with a CSRF token, API answers
    // with customer data): no cache, shared or private, keeps it.
    let public = headers
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    if !public {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let mut set = |name, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(X_CONTENT_TYPE_OPTIONS, "nosniff");
    if carries_secret(&path) {
        set(REFERRER_POLICY, "no-referrer");
    } else {
        // Not `no-referrer` everywhere: with it a browser sends `Origin: null` on a page's
        // own POST, and the API's cookie rule (`origin`) checks that header.
        set(REFERRER_POLICY, "same-origin");
    }
    if !is_widget(&path) {
        set(CONTENT_SECURITY_POLICY, PAGE_POLICY);
        set(X_FRAME_OPTIONS, "DENY");
    }
    response
}

/// Adds `; Secure` to each `Set-Cookie` that lacks it.
fn mark_secure(headers: &mut axum::http::HeaderMap) {
    let cookies: Vec<HeaderValue> = headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| {
            let secure = v.to_str().is_ok_and(|c| {
                c.split(';')
                    .any(|attr| attr.trim().eq_ignore_ascii_case("secure"))
            });
            if secure {
                return v.clone();
            }
            let mut bytes = v.as_bytes().to_vec();
            bytes.extend_from_slice(b"; Secure");
            HeaderValue::from_bytes(&bytes).unwrap_or_else(|_| v.clone())
        })
        .collect();
    if cookies.is_empty() {
        return;
    }
    headers.remove(SET_COOKIE);
    for cookie in cookies {
        headers.append(SET_COOKIE, cookie);
    }
}
