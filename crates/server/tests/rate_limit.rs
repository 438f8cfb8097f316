//! SC-4: floods on public forms are rate limited per client address, sign-in attempts in a
//! budget of their own; staff work is not.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn public_submissions_are_limited_per_address() {
    let app = spawn_app_with(false, 3).await;
    for _ in 0..3 {
        let (status, body) =
            json(app.post(None, "/api/v1/public/tickets", &complaint()).await).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let r = app.post(None, "/api/v1/public/tickets", &complaint()).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let (_, body) = json(r).await;
    assert_eq!(body["error"]["code"], "rate_limited");
    // The web form shares the budget; sign-in has its own, and reading and staff work have
    // none.
    let form = app
        .client
        .post(app.url("/new/request"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("subject=x")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::TOO_MANY_REQUESTS);
    let login = json!({ "email": "lan@example.vn", "password": "mật-khẩu-thử-nghiệm" });
    assert_eq!(
        app.post(None, "/api/v1/auth/login", &login).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.get(None, "/").await.status(), StatusCode::OK);
    let mut by_phone = complaint();
    by_phone["channel"] = json!("phone");
    let (status, body) = json(
        app.post(Some(&app.care), "/api/v1/tickets", &by_phone)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Sign-in's own budget (twice the public one here, as by default) runs out in turn,
    // for any account, while public intake refills on its own clock.
    let other = json!({ "email": "hoa@example.vn", "password": "mật-khẩu-thử-nghiệm" });
    for _ in 1..6 {
        assert_eq!(
            app.post(None, "/api/v1/auth/login", &other).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        app.post(None, "/api/v1/auth/login", &other).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    // Nothing refused was stored.
    let report = app.store.verify_chains().await.unwrap();
    assert_eq!(report.tickets, 4);
}
