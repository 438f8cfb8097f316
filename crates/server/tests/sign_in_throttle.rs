//! SC-1 and SC-4 through both sign-in doors: failed sign-ins slow down and then lock one
//! account — not the address they came from, not public intake — a locked account refuses
//! even its right password with the wrong password's answer, its owner is told by e-mail, an
//! administrator lifts the lock; and behind a trusted proxy each client has its own budget.

mod common;

use common::web::csrf_of;
use common::*;
use hotro_core::Policy;
use hotro_server::{App, Clock, ServerConfig, Settings};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::json;
use std::sync::atomic::Ordering;

const LOGIN: &str = "/api/v1/auth/login";
const PASSWORD: &str = "mật-khẩu-thử-nghiệm";

fn retry_after(r: &reqwest::Response) -> i64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// The sign-in page's form token and the cookie that carries it, as a browser gets them.
async fn login_form(app: &TestApp) -> (String, String) {
    let r = app.get(None, "/agent/login").await;
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    (cookie, csrf_of(&r.text().await.unwrap()))
}

/// Posts the web sign-in form.
async fn web_login(
    app: &TestApp,
    form: &(String, String),
    email: &str,
    password: &str,
) -> reqwest::Response {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("_csrf", form.1.as_str()),
            ("email", email),
            ("password", password),
        ])
        .finish();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/agent/login"))
        .header("cookie", &form.0)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

/// The use cases over the test server's store and clock, as `hotro user unlock` builds them.
fn same_app(app: &TestApp) -> App {
    let offset = app.clock_offset.clone();
    let now: Timestamp = NOW.parse().unwrap();
    App::new(
        app.store.clone(),
        Policy::builtin(),
        Clock::from_fn(move || now + SignedDuration::from_millis(offset.load(Ordering::SeqCst))),
        Settings::default(),
    )
}

async fn one_account_locks_not_the_address(postgres: bool) {
    // The limits per address on, as in production.
    let app = spawn_app_with(postgres, 30).await;
    let wrong = json!({ "email": "lan@example.vn", "password": "sai-mật-khẩu" });
    let mut refusals = Vec::new();
    let mut waits = Vec::new();
    for _ in 0..35 {
        let r = app.post(None, LOGIN, &wrong).await;
        match r.status() {
            StatusCode::UNAUTHORIZED => refusals.push(json(r).await.1),
            StatusCode::TOO_MANY_REQUESTS => {
                // Too soon for this account: the password is not even checked.
                let secs = retry_after(&r);
                let (_, body) = json(r).await;
                assert_eq!(body["error"]["code"], "rate_limited");
                assert!(
                    body["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains(&secs.to_string()),
                    "{body}"
                );
                waits.push(secs);
                app.advance(SignedDuration::from_secs(secs));
            }
            other => panic!("{other}: {}", r.text().await.unwrap()),
        }
    }
    // Growing delays after 3 free failures; the 10th failure locked the account, and the
    // attempts after it were refused as wrong passwords.
    assert_eq!(waits, [1, 2, 4, 8, 16, 32]);
    assert_eq!(refusals.len(), 29);
    assert!(refusals.iter().all(|b| *b == refusals[0]), "{refusals:?}");
    assert_eq!(refusals[0]["error"]["code"], "unauthorized");

    // The right password on the locked account: the very same answer as a wrong one.
    let right = json!({ "email": "lan@example.vn", "password": PASSWORD });
    let (status, body) = json(app.post(None, LOGIN, &right).await).await;
    assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &refusals[0]));
    // So does the web form.
    let form = login_form(&app).await;
    let page = web_login(&app, &form, "lan@example.vn", PASSWORD).await;
    assert_eq!(page.status(), StatusCode::UNAUTHORIZED);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("E-mail hoặc mật khẩu không đúng")
    );

    // The same address still files a public request and signs another account in.
    file_complaint(&app).await;
    let other = json!({ "email": "hoa@example.vn", "password": PASSWORD });
    assert_eq!(app.post(None, LOGIN, &other).await.status(), StatusCode::OK);

    // The owner was told once, in Vietnamese then English, and no more than that.
    let notices: Vec<_> = app
        .store
        .outbox()
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "sign_in.locked")
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    let notice = &notices[0];
    assert_eq!(notice.recipient, "lan@example.vn");
    assert!(notice.automatic);
    let vi = notice
        .body
        .find("Có người đã thử đăng nhập")
        .expect("Vietnamese");
    let en = notice
        .body
        .find("Someone tried to sign in")
        .expect("English");
    assert!(vi < en, "{}", notice.body);
    assert!(notice.body.contains("(UTC+7)"), "{}", notice.body);
    for secret in ["127.0.0.1", "sai-mật-khẩu"] {
        assert!(!notice.body.contains(secret), "{secret} in {}", notice.body);
    }

    // An administrator lifts the lock (`hotro user unlock` calls this use case): it signs in.
    assert_eq!(
        same_app(&app)
            .unlock_sign_in("LAN@example.vn")
            .await
            .unwrap(),
        Some(true)
    );
    let r = app.post(None, LOGIN, &right).await;
    assert_eq!(r.status(), StatusCode::OK);
    // Nothing was written to any ticket but the one complaint.
    assert_eq!(app.store.verify_chains().await.unwrap().tickets, 1);
}
on_both_backends!(one_account_locks_not_the_address);

/// The lock ends by itself, an unknown address is throttled exactly like a known one (so the
/// answers do not tell which exist) and nobody is mailed for it.
async fn the_lock_ends_and_unknown_addresses_look_the_same(postgres: bool) {
    let app = spawn_app(postgres).await;
    let mut answers = Vec::new();
    for email in ["minh@example.vn", "khong-co@example.vn"] {
        let wrong = json!({ "email": email, "password": "sai-mật-khẩu" });
        let mut seen = Vec::new();
        for _ in 0..17 {
            let r = app.post(None, LOGIN, &wrong).await;
            let status = r.status();
            if status == StatusCode::TOO_MANY_REQUESTS {
                app.advance(SignedDuration::from_secs(retry_after(&r)));
            }
            seen.push((status, json(r).await.1["error"]["message_en"].clone()));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    let outbox = app.store.outbox().await.unwrap();
    assert_eq!(
        outbox
            .iter()
            .map(|m| m.recipient.as_str())
            .collect::<Vec<_>>(),
        ["minh@example.vn"]
    );
    // Both are locked now; half an hour later the right password works again.
    let right = json!({ "email": "minh@example.vn", "password": PASSWORD });
    assert_eq!(
        app.post(None, LOGIN, &right).await.status(),
        StatusCode::UNAUTHORIZED
    );
    app.advance(SignedDuration::from_mins(30));
    assert_eq!(app.post(None, LOGIN, &right).await.status(), StatusCode::OK);
}
on_both_backends!(the_lock_ends_and_unknown_addresses_look_the_same);

/// The web form is throttled like the API: too soon is a page saying how long to wait.
async fn the_web_form_says_how_long_to_wait(postgres: bool) {
    let app = spawn_app(postgres).await;
    let form = login_form(&app).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            web_login(&app, &form, "lan@example.vn", "sai")
                .await
                .status(),
        );
    }
    assert_eq!(statuses, [StatusCode::UNAUTHORIZED; 4]);
    // The 4th failure asks for a second's wait, even with the right password.
    let page = web_login(&app, &form, "lan@example.vn", PASSWORD).await;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&page), 1);
    let html = page.text().await.unwrap();
    assert!(html.contains("xin thử lại sau 1 giây"), "{html}");
}
on_both_backends!(the_web_form_says_how_long_to_wait);

/// A public submission whose `X-Forwarded-For` names `client` after a claim of its own.
async fn submit(app: &TestApp, client: &str) -> StatusCode {
    app.client
        .post(app.url("/api/v1/public/tickets"))
        .header("x-forwarded-for", format!("198.51.100.77, {client}"))
        .json(&complaint())
        .send()
        .await
        .unwrap()
        .status()
}

/// SC-4 behind a reverse proxy: requests from a trusted proxy are limited by the client its
/// `X-Forwarded-For` names; from anyone else the header changes nothing.
async fn a_trusted_proxy_forwards_the_client_address(postgres: bool) {
    let config = |trusted: Vec<std::net::IpAddr>| ServerConfig {
        public_per_minute: 2,
        sign_in_per_minute: 2,
        trusted_proxies: trusted,
        ..ServerConfig::default()
    };
    // The tests connect from 127.0.0.1: here it is the trusted proxy.
    let app = spawn_app_config(postgres, config(vec!["127.0.0.1".parse().unwrap()])).await;
    for _ in 0..2 {
        assert_eq!(submit(&app, "203.0.113.1").await, StatusCode::CREATED);
    }
    assert_eq!(
        submit(&app, "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy has its own budget; the left-most entry, which
    // the client wrote itself, is not what counts.
    assert_eq!(submit(&app, "203.0.113.2").await, StatusCode::CREATED);

    // Not trusted: every header is ignored and the connection's address is limited.
    let app = spawn_app_config(postgres, config(Vec::new())).await;
    for _ in 0..2 {
        assert_eq!(submit(&app, "203.0.113.1").await, StatusCode::CREATED);
    }
    assert_eq!(
        submit(&app, "203.0.113.2").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
on_both_backends!(a_trusted_proxy_forwards_the_client_address);
