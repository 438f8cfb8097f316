//! TR-2: a customer who lost the tracking link finds their ticket again by its code and the
//! e-mail or phone given at intake; any mismatch is the same 404 as an unknown code.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn track(app: &TestApp, code: &str, contact: &str) -> (StatusCode, serde_json::Value) {
    json(
        app.post(
            None,
            "/api/v1/public/track",
            &json!({ "code": code, "contact": contact }),
        )
        .await,
    )
    .await
}

async fn tr2_code_and_contact_show_the_tracking_view(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, secret) = file_complaint(&app).await;
    let (status, by_link) = json(
        app.get(
            None,
            &format!("/api/v1/public/tickets/{code}?secret={secret}"),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{by_link}");
    // The e-mail in another case, the phone with other separators, the code in lower case.
    for contact in [
        " AN@Example.VN ",
        "an@example.vn",
        "(0903) 123-456",
        "0903.123.456",
    ] {
        let (status, body) = track(&app, &code.to_lowercase(), contact).await;
        assert_eq!(status, StatusCode::OK, "{contact}: {body}");
        assert_eq!(
            body, by_link,
            "{contact}: the same view as the tracking link's"
        );
    }
}
on_both_backends!(tr2_code_and_contact_show_the_tracking_view);

async fn tr2_any_mismatch_is_the_same_404(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, _) = file_complaint(&app).await;
    let unknown = track(&app, "HT-2020-999999", "an@example.vn").await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND, "{}", unknown.1);
    for (c, contact) in [
        (code.as_str(), "binh@example.vn"),
        (code.as_str(), "0903 123 457"),
        // The phone's digits are not an e-mail, nor the e-mail's name a phone.
        (code.as_str(), "0903123456@example.vn"),
        (code.as_str(), "an"),
        ("not a code", "an@example.vn"),
    ] {
        let (status, body) = track(&app, c, contact).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{c} {contact}: {body}");
        assert_eq!(body, unknown.1, "{c} {contact}: nothing disclosed");
    }
}
on_both_backends!(tr2_any_mismatch_is_the_same_404);

async fn tr2_a_bad_lookup_names_each_field(postgres: bool) {
    let app = spawn_app(postgres).await;
    let bad = json!({ "code": 7, "contact": "", "secret": "x" });
    let (status, body) = json(app.post(None, "/api/v1/public/track", &bad).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let found = rules(&body);
    for expected in [
        ("code", "type.string"),
        ("secret", "unknown"),
        ("contact", "required"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {found:?}"
        );
    }
    let long = json!({ "code": "HT-2026-000001", "contact": "a".repeat(300) });
    let (status, body) = json(app.post(None, "/api/v1/public/track", &long).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        rules(&body),
        vec![("contact".to_owned(), "max_length".to_owned())]
    );
}
on_both_backends!(tr2_a_bad_lookup_names_each_field);

#[tokio::test]
async fn tr2_lookups_are_rate_limited_per_address() {
    let app = spawn_app_with(false, 3).await;
    for _ in 0..3 {
        let (status, _) = track(&app, "HT-2026-000001", "an@example.vn").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let r = app
        .post(
            None,
            "/api/v1/public/track",
            &json!({ "code": "HT-2026-000001", "contact": "an@example.vn" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    // Its own budget: intake is still open to the same address.
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &complaint()).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// The portal's "Tra cứu phiếu": the form page sets the double-submit cookie, and the posted
/// code and contact show the tracking page, read-only since the secret was not given.
async fn tr2_the_portal_lookup_finds_the_ticket(postgres: bool) {
    use common::web::{csrf_of, web_form};
    let app = spawn_app(postgres).await;
    let (code, _) = file_complaint(&app).await;
    let r = app.client.get(app.url("/track")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let cookie = set.split(';').next().unwrap().to_owned();
    let page = r.text().await.unwrap();
    assert!(page.contains("Tra cứu phiếu"), "{page}");
    let token = csrf_of(&page);
    let (status, page) = web_form(
        &app,
        &cookie,
        "/track",
        &[
            ("_csrf", &token),
            ("code", &code),
            ("contact", "AN@example.VN"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(&format!("Phiếu {code}")), "{page}");
    assert!(page.contains("Website ngừng hoạt động"), "{page}");
    assert!(page.contains("data-testid=\"read-only\""), "{page}");
    assert!(
        !page.contains("name=\"secret\""),
        "no action without the secret"
    );
    // By phone, too; any mismatch is one "not found" page.
    let (status, _) = web_form(
        &app,
        &cookie,
        "/track",
        &[
            ("_csrf", &token),
            ("code", &code),
            ("contact", "0903-123-456"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut answers = Vec::new();
    for (c, contact) in [
        (code.as_str(), "binh@example.vn"),
        ("HT-2020-999999", "an@example.vn"),
    ] {
        let (status, page) = web_form(
            &app,
            &cookie,
            "/track",
            &[("_csrf", &token), ("code", c), ("contact", contact)],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains("data-testid=\"not-found\""), "{page}");
        assert!(!page.contains("Website ngừng hoạt động"));
        // The page echoes what was typed; everything else is the same.
        answers.push(page.replace(c, "").replace(contact, ""));
    }
    assert_eq!(answers[0], answers[1]);
    // Without the cookie's token the post is refused and nothing is looked up.
    let (status, page) = web_form(
        &app,
        "hotro_csrf=",
        "/track",
        &[("_csrf", ""), ("code", &code), ("contact", "an@example.vn")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("Website ngừng hoạt động"));
    let (status, _) = web_form(
        &app,
        &cookie,
        "/track",
        &[("code", &code), ("contact", "an@example.vn")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
on_both_backends!(tr2_the_portal_lookup_finds_the_ticket);
