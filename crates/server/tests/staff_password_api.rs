//! Issue 16: an administrator resets a member of staff's password over the API — a generated
//! one shown once, or one given and checked for strength; the old password stops working, the
//! change is in the record of changes; nobody else may, and an unknown id is a 404.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn sign_in_status(app: &TestApp, email: &str, password: &str) -> StatusCode {
    app.post(
        None,
        "/api/v1/auth/login",
        &json!({ "email": email, "password": password }),
    )
    .await
    .status()
}

async fn reset_over_the_api(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (_, staff) = json(app.get(Some(&app.admin), "/api/v1/staff").await).await;
    let lan = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == "lan@example.vn")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/staff/{lan}/password");

    // Nobody but an administrator.
    let (status, body) = json(app.post(Some(&app.care_lead), &path, &json!({})).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["rule"], "admin_only");

    // Generated and shown once; the old password no longer signs in, the new one does.
    let (status, body) = json(app.post(Some(&app.admin), &path, &json!({})).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["email"], "lan@example.vn");
    let generated = body["password"].as_str().unwrap().to_owned();
    assert!(generated.chars().count() >= 12, "{generated}");
    assert_eq!(
        sign_in_status(&app, "lan@example.vn", "mật-khẩu-thử-nghiệm").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_status(&app, "lan@example.vn", &generated).await,
        StatusCode::OK
    );

    // One given: checked for strength, never echoed.
    let (status, body) = json(
        app.post(Some(&app.admin), &path, &json!({ "password": "123456" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(rules(&body)[0].0, "password");
    let strong = "Trăng-rằm-tháng-tám-2026";
    let (status, body) = json(
        app.post(Some(&app.admin), &path, &json!({ "password": strong }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("password").is_none(), "{body}");
    assert_eq!(
        sign_in_status(&app, "lan@example.vn", strong).await,
        StatusCode::OK
    );

    // Unknown ids are 404; unknown fields are named.
    for missing in [
        "/api/v1/staff/999999/password",
        "/api/v1/staff/abc/password",
    ] {
        let r = app.post(Some(&app.admin), missing, &json!({})).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    let (status, body) = json(
        app.post(Some(&app.admin), &path, &json!({ "pass": "x" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // In the record of changes, without the password.
    let (_, audit) = json(app.get(Some(&app.admin), "/api/v1/staff/audit").await).await;
    let text = audit.to_string();
    assert!(text.contains("staff.password_reset"), "{text}");
    assert!(!text.contains(strong) && !text.contains(&generated));
}
on_both_backends!(reset_over_the_api);
