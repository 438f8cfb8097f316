//! Holiday duty over HTTP, on SQLite and PostgreSQL (seed 001: "các dịp lễ, tết chỉ có nhân
//! viên xử lý chung"; RT-4): on working days general staff keep to their own department; on a
//! department's day off they are shown, may open and may take its urgent tickets — and only
//! those, and only that day.

mod common;

use common::*;
use hotro_core::Role;
use hotro_server::auth;
use hotro_store::NewStaff;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;

/// A request for the technical department, filed on the public form.
async fn technical_request(app: &TestApp, subject: &str) -> String {
    let body = json!({
        "kind": "request",
        "topic": "hosting_domain",
        "customer": { "name": "Phạm Văn Dũng", "email": "dung@example.vn" },
        "subject": subject,
        "description": "Tên miền của chúng tôi không phân giải được.",
    });
    let (status, created) = json(app.post(None, "/api/v1/public/tickets", &body).await).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["code"].as_str().unwrap().to_owned()
}

/// A general member of staff of the sales department, with an API token.
async fn general_staff(app: &TestApp) -> String {
    let now = NOW.parse().unwrap();
    let staff = app
        .store
        .add_staff(
            NewStaff {
                email: "trung@example.vn".into(),
                name: "Lê Văn Trung".into(),
                department: "sales".into(),
                role: Role::General,
                password_hash: auth::hash_password("mật-khẩu-thử-nghiệm").unwrap(),
            },
            now,
        )
        .await
        .unwrap();
    let (token, hash) = auth::new_api_token();
    app.store
        .add_token(staff.id, hash, "test".into(), now)
        .await
        .unwrap();
    token
}

async fn queue_codes(app: &TestApp, token: &str, query: &str) -> (StatusCode, Vec<String>) {
    let (status, body) = json(app.get(Some(token), &format!("/api/v1/queue{query}")).await).await;
    let codes = body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["code"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    (status, codes)
}

async fn status_of(app: &TestApp, token: &str, code: &str) -> StatusCode {
    app.get(Some(token), &format!("/api/v1/tickets/{code}"))
        .await
        .status()
}

async fn holiday_duty(postgres: bool) {
    let app = spawn_app(postgres).await;
    let general = general_staff(&app).await;
    let urgent = technical_request(&app, "Tên miền không phân giải").await;
    let normal = technical_request(&app, "Hỏi cấu hình DNS").await;
    let (status, body) = json(
        app.post(
            Some(&app.admin),
            &format!("/api/v1/tickets/{urgent}/priority"),
            &json!({ "priority": "urgent", "reason": "Mất dịch vụ toàn bộ" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Friday 20/11/2026, a working day: general staff keep to their own department.
    let (status, codes) = queue_codes(&app, &general, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(
        status_of(&app, &general, &urgent).await,
        StatusCode::NOT_FOUND
    );
    let (status, _) = queue_codes(&app, &general, "?department=technical").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Tuesday 24/11/2026, Vietnamese Culture Day, a public holiday: the technical
    // department is off, and its urgent ticket is on the general staff member's desk.
    app.advance(SignedDuration::from_hours(4 * 24 + 1));
    let (_, codes) = queue_codes(&app, &general, "").await;
    assert_eq!(codes, std::slice::from_ref(&urgent));
    let (status, codes) = queue_codes(&app, &general, "?department=technical").await;
    assert_eq!((status, codes), (StatusCode::OK, vec![urgent.clone()]));
    assert_eq!(status_of(&app, &general, &urgent).await, StatusCode::OK);
    assert_eq!(
        status_of(&app, &general, &normal).await,
        StatusCode::NOT_FOUND
    );
    let (status, body) = json(
        app.post(
            Some(&general),
            &format!("/api/v1/tickets/{urgent}/take"),
            &json!({}),
        )
        .await,
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let (status, _) = json(
        app.post(
            Some(&general),
            &format!("/api/v1/tickets/{normal}/take"),
            &json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // An agent of another department is not on duty.
    assert_eq!(
        status_of(&app, &app.sales, &urgent).await,
        StatusCode::NOT_FOUND
    );

    // Wednesday 25/11, a working day again: the cover ends with the day off.
    app.advance(SignedDuration::from_hours(24));
    assert_eq!(
        status_of(&app, &general, &urgent).await,
        StatusCode::NOT_FOUND
    );
    let (_, codes) = queue_codes(&app, &general, "").await;
    assert!(codes.is_empty(), "{codes:?}");
}

on_both_backends!(holiday_duty);
