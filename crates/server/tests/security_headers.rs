//! Issue 14 through the real router: every page and every API answer carries the security
//! headers (a page policy with hotro's own scripts and styles only, no framing except the
//! chat widget's endpoints, `nosniff`, a referrer policy, no caching of personal data); no
//! template or asset needs an inline script or style; a cookie-authenticated API write must
//! be JSON from hotro's own origin while bearer calls are unaffected; and behind an https
//! public URL every cookie is `Secure`.
//!
//! One file on purpose: the route walk and the rules it checks share one spawned server.

mod common;

use common::web::sign_in;
use common::{TestApp, complaint, file_complaint, json, spawn_app, spawn_app_at};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::path::{Path, PathBuf};

const PAGE_POLICY: &str = hotro_server::headers::PAGE_POLICY;

/// The route patterns the web router declares, read from its sources, so that a page added
/// later is walked too without anyone remembering this list.
fn web_route_patterns() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web"),
        &mut files,
    );
    let mut patterns = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for (at, _) in source.match_indices(".route(") {
            let rest = &source[at..];
            let start = rest.find('"').unwrap() + 1;
            let end = start + rest[start..].find('"').unwrap();
            patterns.push(rest[start..end].to_owned());
        }
    }
    patterns.sort();
    patterns.dedup();
    patterns
}

/// A concrete address for a route pattern, on the filed ticket.
fn concrete(pattern: &str, code: &str, secret: &str) -> String {
    let mut path = pattern
        .replace("{code}", code)
        .replace("{sha256}", &"0".repeat(64))
        .replace("{kind}", "complaint")
        .replace("{action}", "note")
        .replace("{number}", "1")
        .replace("{id}", "1");
    if path.starts_with("/track/") {
        path.push_str(&format!("?secret={secret}"));
    }
    path
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// What is wrong with one answer's headers.
fn problems(what: &str, path: &str, headers: &HeaderMap) -> Vec<String> {
    let mut out = Vec::new();
    let mut expect = |name: &str, wanted: Option<&str>| {
        let got = header(headers, name);
        if got != wanted {
            out.push(format!("{what}: {name} is {got:?}, not {wanted:?}"));
        }
    };
    expect("x-content-type-options", Some("nosniff"));
    let widget = path == "/widget.js" || path.starts_with("/chat/");
    let asset = path.starts_with("/assets/") || path == "/widget.js" || path == "/favicon.ico";
    expect(
        "cache-control",
        Some(if asset {
            "public, max-age=3600"
        } else {
            "no-store"
        }),
    );
    expect(
        "referrer-policy",
        Some(if path.starts_with("/track/") {
            "no-referrer"
        } else {
            "same-origin"
        }),
    );
    if widget {
        // Embedded on the company's site: no document here to frame or to police.
        expect("x-frame-options", None);
        expect("content-security-policy", None);
    } else {
        expect("x-frame-options", Some("DENY"));
        let csp = header(headers, "content-security-policy");
        // A stored file keeps its own, stricter sandbox.
        if csp != Some(PAGE_POLICY) && !csp.is_some_and(|c| c.starts_with("sandbox")) {
            out.push(format!("{what}: content-security-policy is {csp:?}"));
        }
    }
    out
}

#[tokio::test]
async fn every_page_and_api_answer_carries_the_security_headers() {
    let app = spawn_app(false).await;
    let (code, secret) = file_complaint(&app).await;
    let cookie = sign_in(&app, "lan@example.vn").await;
    let mut problems_found = Vec::new();

    let patterns = web_route_patterns();
    assert!(patterns.len() >= 20, "only {patterns:?}");
    for pattern in &patterns {
        let path = concrete(pattern, &code, &secret);
        let r = app
            .client
            .get(app.url(&path))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert!(!r.status().is_server_error(), "GET {path}: {}", r.status());
        let bare = path.split('?').next().unwrap();
        problems_found.extend(problems(&format!("GET {path}"), bare, r.headers()));
    }
    // The personal pages answered with their content, not a sign-in or a refusal.
    for path in [
        "/agent".to_owned(),
        format!("/agent/tickets/{code}"),
        format!("/track/{code}?secret={secret}"),
    ] {
        let r = app
            .client
            .get(app.url(&path))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }

    let (_, doc) = json(app.get(None, "/api/v1/openapi.json").await).await;
    let mut operations = 0;
    for (pattern, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            operations += 1;
            let path = concrete(pattern, &code, &secret);
            let req = app
                .client
                .request(method.to_uppercase().parse().unwrap(), app.url(&path))
                .bearer_auth(&app.care);
            let req = if method == "get" {
                req
            } else {
                req.json(&serde_json::json!({}))
            };
            let r = req.send().await.unwrap();
            assert!(!r.status().is_server_error(), "{method} {path}");
            problems_found.extend(problems(
                &format!("{} {path}", method.to_uppercase()),
                &path,
                r.headers(),
            ));
        }
    }
    assert!(operations >= 20, "only {operations} API operations");
    for path in ["/healthz", "/api/v1/openapi.json", "/no/such/page"] {
        let r = app.get(None, path).await;
        problems_found.extend(problems(&format!("GET {path}"), path, r.headers()));
    }
    assert!(
        problems_found.is_empty(),
        "answers without their headers:\n{}",
        problems_found.join("\n")
    );
}

/// The page policy runs no inline script or style: the templates and the embedded assets
/// carry none (a blocked one would leave a page broken or a button dead).
#[test]
fn templates_and_assets_need_no_inline_script_or_style() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["templates", "assets"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name == "htmx.min.js" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let lower = line.to_ascii_lowercase();
                let inline_script = lower.match_indices("<script").any(|(at, _)| {
                    !lower[at..]
                        .split('>')
                        .next()
                        .unwrap_or("")
                        .contains(" src=")
                });
                let handler = lower
                    .split(|c: char| c.is_whitespace())
                    .any(|word| word.starts_with("on") && word.contains("=\""));
                if lower.contains("style=") || lower.contains("<style") || inline_script || handler
                {
                    found.push(format!("{name}:{}: {line}", n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "inline script or style:\n{}",
        found.join("\n")
    );
}

async fn post_with_cookie(
    app: &TestApp,
    path: &str,
    cookie: &str,
    content_type: Option<&str>,
    origin: Option<&str>,
    body: &str,
) -> (StatusCode, Value) {
    let mut req = app
        .client
        .post(app.url(path))
        .header("cookie", cookie)
        .body(body.to_owned());
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn cookie_authenticated_api_writes_must_be_json_from_the_own_origin() {
    let app = spawn_app(false).await;
    let (code, _) = file_complaint(&app).await;
    let cookie = sign_in(&app, "lan@example.vn").await;
    let take = format!("/api/v1/tickets/{code}/take");

    // A plain-text post is what another page may send without asking the browser first.
    let (status, body) = post_with_cookie(
        &app,
        &take,
        &cookie,
        Some("text/plain"),
        Some(&app.base),
        "{}",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(body["error"]["rule"], "cookie_write.json");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("JSON") && m.contains("cookie")),
        "{body}"
    );
    assert!(
        body["error"]["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("application/json")),
        "{body}"
    );
    let (status, body) = post_with_cookie(&app, &take, &cookie, None, Some(&app.base), "").await;
    assert_eq!(
        (status, body["error"]["rule"].as_str()),
        (StatusCode::FORBIDDEN, Some("cookie_write.json"))
    );

    // JSON, but from another origin, or from none.
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let (status, body) =
            post_with_cookie(&app, &take, &cookie, Some("application/json"), origin, "{}").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin:?}: {body}");
        assert_eq!(body["error"]["rule"], "cookie_write.origin", "{origin:?}");
        assert!(
            body["error"]["message_en"]
                .as_str()
                .is_some_and(|m| m.contains("Origin")),
            "{body}"
        );
    }
    // Nothing was done by the refused calls: the ticket is still nobody's.
    let (_, ticket) = json(
        app.get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    assert!(ticket["assignee_id"].is_null(), "{ticket}");

    // JSON from hotro's own pages passes.
    let (status, body) = post_with_cookie(
        &app,
        &take,
        &cookie,
        Some("application/json; charset=utf-8"),
        Some(&app.base),
        "{}",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A bearer call is not a browser's ambient credential: text/plain answers what it did
    // before (the body is read as JSON whatever its declared type), cookie or not.
    let walk_in = serde_json::json!({
        "kind": "request",
        "channel": "walk_in",
        "customer": { "name": "Trần Thị Bình", "address": "45 Hai Bà Trưng, Hà Nội" },
        "subject": "In lại hợp đồng",
        "description": "Khách đến văn phòng đề nghị in lại hợp đồng số 12/2026.",
        "topic": "contract_transfer"
    });
    let r = app
        .client
        .post(app.url("/api/v1/tickets"))
        .bearer_auth(&app.care)
        .header("cookie", &cookie)
        .header("content-type", "text/plain")
        .body(walk_in.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    // Reads stay as they were, and so does the public intake, which uses no cookie.
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (status, _) = post_with_cookie(
        &app,
        "/api/v1/public/tickets",
        &cookie,
        Some("text/plain"),
        None,
        &complaint().to_string(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the public intake does not authenticate by the cookie a signed-in browser sends"
    );

    // Signing out by the cookie is a write too.
    let logout = "/api/v1/auth/logout";
    let (status, _) = post_with_cookie(&app, logout, &cookie, Some("text/plain"), None, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post_with_cookie(
        &app,
        logout,
        &cookie,
        Some("application/json"),
        Some(&app.base),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

/// Behind an https public URL every cookie hotro sets is `Secure`: the form token's
/// double-submit cookie, the language choice and the session; over plain http they are not
/// (a browser would drop a Secure cookie there).
#[tokio::test]
async fn cookies_are_secure_behind_an_https_public_url() {
    let cookies = |headers: &HeaderMap| -> Vec<String> {
        headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    };
    let https = spawn_app_at("https://support.example.vn").await;
    let plain = spawn_app(false).await;
    for (app, secure) in [(&https, true), (&plain, false)] {
        for path in ["/new/complaint?lang=en", "/agent/login"] {
            let r = app.get(None, path).await;
            let set = cookies(r.headers());
            assert!(
                set.iter().any(|c| c.starts_with("hotro_csrf=")),
                "{path}: {set:?}"
            );
            for c in &set {
                assert_eq!(c.contains("; Secure"), secure, "{path}: {c}");
            }
        }
    }
    let r = https
        .post(
            None,
            "/api/v1/auth/login",
            &serde_json::json!({ "email": "lan@example.vn", "password": "mật-khẩu-thử-nghiệm" }),
        )
        .await;
    let set = cookies(r.headers());
    assert!(
        set.iter()
            .any(|c| c.starts_with("hotro_session=") && c.ends_with("; Secure")),
        "{set:?}"
    );
    assert_eq!(
        set.iter().filter(|c| c.contains("Secure")).count(),
        set.len(),
        "{set:?}"
    );
}
