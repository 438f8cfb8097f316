//! Issue 14, item 1 (CH-6, SC-4): a form the rules refuse stores none of its files — the
//! portal's public forms, a customer's message on the tracking page, staff intake — and files
//! no ticket refers to are swept after their grace period. Counted in the store's bytes.

mod common;

use common::{NOW, spawn_app, spawn_app_config};
use hotro_server::ServerConfig;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;

const BOUNDARY: &str = "hotro-test-boundary-7f3a";

/// A PDF of `size` bytes whose content differs by `seed`, so each is a new file.
fn pdf(seed: usize, size: usize) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.4\n% evidence {seed}\n").into_bytes();
    bytes.resize(size, b'x');
    bytes
}

/// A multipart form: the form token first, then the fields, then the files.
fn multipart(csrf: &str, fields: &[(&str, &str)], files: &[Vec<u8>]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut part = |head: String, content: &[u8]| {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n{head}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"_csrf\"".into(),
        csrf.as_bytes(),
    );
    for (name, value) in fields {
        part(
            format!("Content-Disposition: form-data; name=\"{name}\""),
            value.as_bytes(),
        );
    }
    for (i, file) in files.iter().enumerate() {
        part(
            format!(
                "Content-Disposition: form-data; name=\"attachments\"; filename=\"hoa-don-{i}.pdf\"\r\nContent-Type: application/pdf"
            ),
            file,
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The customer's form token: the double-submit cookie the form page sets.
async fn csrf_cookie(app: &common::TestApp, path: &str) -> String {
    let r = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let pair = set.split(';').next().unwrap();
    pair.split_once('=').unwrap().1.to_owned()
}

async fn post_form(
    app: &common::TestApp,
    path: &str,
    cookie: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect
        .post(app.url(path))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location)
}

const COMPLAINT: &[(&str, &str)] = &[
    ("customer_name", "Nguyễn Văn An"),
    ("customer_email", "an@example.vn"),
    ("subject", "Hóa đơn sai"),
    ("description", "Hóa đơn tháng 10 tính sai số tiền."),
    ("incident_date", "2026-11-10"),
    ("complaint_category", "business"),
];

async fn refused_forms_store_nothing(postgres: bool) {
    let app = spawn_app(postgres).await;
    let token = csrf_cookie(&app, "/new/complaint").await;
    let cookie = format!("hotro_csrf={token}");
    let stored = || async { app.store.stored_files().await.unwrap() };
    let empty = stored().await;

    // A complaint without its incident date, with 3 MiB of evidence: refused, nothing kept.
    let incomplete: Vec<(&str, &str)> = COMPLAINT
        .iter()
        .copied()
        .filter(|(name, _)| *name != "incident_date")
        .collect();
    let files: Vec<Vec<u8>> = (0..3).map(|i| pdf(i, 1024 * 1024)).collect();
    for _ in 0..5 {
        let body = multipart(&token, &incomplete, &files);
        let (status, _) = post_form(&app, "/new/complaint", &cookie, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(stored().await, empty, "a refused form kept its files");

    // Eleven files: the form is refused by the 10-file rule, and none of them is kept.
    let eleven: Vec<Vec<u8>> = (10..21).map(|i| pdf(i, 10_000)).collect();
    let (status, _) = post_form(
        &app,
        "/new/complaint",
        &cookie,
        multipart(&token, COMPLAINT, &eleven),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored().await, empty, "the 11-file refusal kept files");

    // The complete complaint keeps its files, in the ticket's commit.
    let (status, location) = post_form(
        &app,
        "/new/complaint",
        &cookie,
        multipart(&token, COMPLAINT, &files[..1]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(stored().await.0, empty.0 + 1);

    // On the tracking page, a message the rules refuse (over the length limit) keeps no file.
    let track = location.split('&').next().unwrap().to_owned();
    let code = track
        .trim_start_matches("/track/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let secret = track.split("secret=").nth(1).unwrap().to_owned();
    let before = stored().await;
    let long = "x".repeat(20_001);
    let (status, _) = post_form(
        &app,
        &format!("/track/{code}/info"),
        &cookie,
        multipart(
            &token,
            &[("secret", &secret), ("body", &long)],
            &[pdf(99, 50_000)],
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an over-long message is refused"
    );
    assert_eq!(stored().await, before, "a refused message kept its file");
    // The same message within the limit is taken with its file.
    let (status, _) = post_form(
        &app,
        &format!("/track/{code}/info"),
        &cookie,
        multipart(
            &token,
            &[("secret", &secret), ("body", "Bản chụp hóa đơn.")],
            &[pdf(99, 50_000)],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(stored().await.0, before.0 + 1);
}

async fn unreferenced_files_are_swept_after_their_grace(postgres: bool) {
    let app = spawn_app(postgres).await;
    let now: Timestamp = NOW.parse().unwrap();
    let before = app.store.stored_files().await.unwrap();
    // A file stored long ago by a path that never reached a ticket, and one stored just now.
    let old = now - SignedDuration::from_hours(3);
    app.store
        .put_attachment("cu.pdf".into(), "application/pdf".into(), pdf(1, 2000), old)
        .await
        .unwrap();
    app.store
        .put_attachment(
            "moi.pdf".into(),
            "application/pdf".into(),
            pdf(2, 2000),
            now,
        )
        .await
        .unwrap();
    let removed = app
        .store
        .sweep_unreferenced_files(now - SignedDuration::from_hours(1))
        .await
        .unwrap();
    assert_eq!(removed, 1, "only the old unreferenced file goes");
    assert_eq!(app.store.stored_files().await.unwrap().0, before.0 + 1);
}

/// One address's public uploads are bounded per hour: the budget spent, the next form with
/// files is a 429 that says when to come back, and stores nothing.
async fn public_uploads_have_a_budget_per_address(postgres: bool) {
    let config = ServerConfig {
        public_upload_mib_per_hour: 1,
        ..ServerConfig::default()
    };
    let app = spawn_app_config(postgres, config).await;
    let token = csrf_cookie(&app, "/new/complaint").await;
    let cookie = format!("hotro_csrf={token}");
    let form = |seed| multipart(&token, COMPLAINT, &[pdf(seed, 600 * 1024)]);
    let (status, _) = post_form(&app, "/new/complaint", &cookie, form(1)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let stored = app.store.stored_files().await.unwrap();
    let no_redirect = reqwest::Client::new();
    let r = no_redirect
        .post(app.url("/new/complaint"))
        .header("cookie", &cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(form(2))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(app.store.stored_files().await.unwrap(), stored);
    // A form without files still goes through: the budget is of bytes, not of forms.
    let (status, _) = post_form(
        &app,
        "/new/complaint",
        &cookie,
        multipart(&token, COMPLAINT, &[]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

on_both_backends!(refused_forms_store_nothing);
on_both_backends!(public_uploads_have_a_budget_per_address);
on_both_backends!(unreferenced_files_are_swept_after_their_grace);
