//! PL-3 through the API and the workspace: when a new policy version comes into force, each
//! member of staff who worked under the old one has their next answer refused with rule
//! `policy.unread` until they confirm it (`POST /api/v1/policy/acknowledge`, or the ticket
//! page's button); the confirmation is recorded once and listed for administrators only;
//! someone added after the version came into force is not asked.

mod common;

use common::web::{csrf_of, sign_in, web, web_form};
use common::*;
use hotro_core::Policy;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;

fn answer() -> Value {
    json!({ "body": "Kính thưa quý khách, chúng tôi đã kiểm tra và khắc phục sự cố." })
}

async fn confirmed_before_answering(postgres: bool) {
    let app = spawn_app(postgres).await;
    // The installation ran an earlier version; the staff were added under it.
    let old = hotro_core::policy::DEFAULT_POLICY_TOML.replace(
        &format!("version = \"{}\"", Policy::builtin().version),
        "version = \"2025.1\"",
    );
    let old = Arc::new(Policy::from_toml(&old).unwrap());
    let long_ago: jiff::Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    app.store.record_policy(old, long_ago).await.unwrap();
    // A minute later the server starts with the built-in version: `hotro serve` records it.
    app.advance(jiff::SignedDuration::from_mins(1));
    let later = NOW.parse::<jiff::Timestamp>().unwrap() + jiff::SignedDuration::from_mins(1);
    app.store
        .record_policy(Arc::new(Policy::builtin()), later)
        .await
        .unwrap();
    let (code, _) = file_complaint(&app).await;
    let version = Policy::builtin().version;

    let replies = format!("/api/v1/tickets/{code}/replies");
    let (status, body) = json(app.post(Some(&app.care), &replies, &answer()).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(body["error"]["rule"], "policy.unread", "{body}");
    // A note is no answer to a customer: not held back.
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &format!("/api/v1/tickets/{code}/notes"),
            &json!({ "body": "Đã gọi điện cho khách." }),
        )
        .await,
    )
    .await;
    assert!(status.is_success(), "{body}");

    let (status, first) = json(
        app.post(Some(&app.care), "/api/v1/policy/acknowledge", &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["version"], version.as_str());
    app.advance(jiff::SignedDuration::from_mins(1));
    let (_, again) = json(
        app.post(Some(&app.care), "/api/v1/policy/acknowledge", &json!({}))
            .await,
    )
    .await;
    assert_eq!(again["acknowledged_at"], first["acknowledged_at"]);
    let (status, body) = json(app.post(Some(&app.care), &replies, &answer()).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Someone added now, under the version in force, is not asked.
    let (status, added) = json(
        app.post(
            Some(&app.admin),
            "/api/v1/staff",
            &json!({ "email": "moi@example.vn", "name": "Nhân viên mới", "department": "customer", "role": "agent" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");

    // Administrators see who has confirmed and who must; nobody else may look.
    let (status, list) = json(
        app.get(Some(&app.admin), "/api/v1/policy/acknowledgements")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let of = |email: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|e| e["email"] == email)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        of("lan@example.vn")["acknowledged_at"],
        first["acknowledged_at"]
    );
    assert_eq!(of("lan@example.vn")["required"], false);
    assert_eq!(of("minh@example.vn")["acknowledged_at"], Value::Null);
    assert_eq!(of("minh@example.vn")["required"], true);
    assert_eq!(of("moi@example.vn")["required"], false);
    assert_eq!(of("moi@example.vn")["version"], version.as_str());
    let (status, body) = json(
        app.get(Some(&app.care), "/api/v1/policy/acknowledgements")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["rule"], "admin_only");

    // The workspace: the lead has not confirmed; the ticket page asks, the button records it.
    let lead = sign_in(&app, "hoa@example.vn").await;
    let page = web(&app, &lead, &format!("/agent/tickets/{code}")).await;
    assert!(page.contains("data-testid=\"policy-unread\""), "{page}");
    assert!(page.contains(&format!("phiên bản {version}")), "{page}");
    let back = format!("/agent/tickets/{code}");
    let (status, _) = web_form(
        &app,
        &lead,
        "/agent/policy/confirm",
        &[("_csrf", &csrf_of(&page)), ("back", &back)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = web(&app, &lead, &back).await;
    assert!(!page.contains("data-testid=\"policy-unread\""), "{page}");
    // A forged confirmation records nothing.
    let sales = sign_in(&app, "minh@example.vn").await;
    let (status, _) = web_form(
        &app,
        &sales,
        "/agent/policy/confirm",
        &[("_csrf", "forged"), ("back", "/agent")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, list) = json(
        app.get(Some(&app.admin), "/api/v1/policy/acknowledgements")
            .await,
    )
    .await;
    let minh = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["email"] == "minh@example.vn")
        .unwrap();
    assert_eq!(minh["required"], true);
}
on_both_backends!(confirmed_before_answering);

/// The installation's first version replaces nothing: nobody is asked to confirm it.
#[tokio::test]
async fn pl3_the_first_version_needs_no_confirmation() {
    let app = spawn_app(false).await;
    app.advance(jiff::SignedDuration::from_mins(1));
    app.use_cases().record_policy().await.unwrap();
    let (code, _) = file_complaint(&app).await;
    let replies = format!("/api/v1/tickets/{code}/replies");
    let (status, body) = json(app.post(Some(&app.care), &replies, &answer()).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}
