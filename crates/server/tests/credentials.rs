//! Credentials that can be cut off, and inbound mail behind its own token (issue 14, SC-1), on
//! SQLite and PostgreSQL: a revoked token, an expired one and a disabled person's open session
//! all get 401 with the body of a wrong token; tokens are listed (own, or all for an admin)
//! and revoked over the API; a token's last use is written at most once a minute; the last
//! active administrator cannot be disabled; only a mail-intake token may post inbound mail,
//! and it works nowhere else.
//!
//! One file on purpose: the stories share the token helpers and one spawned server each.

mod common;

use common::web::sign_in;
use common::*;
use hotro_app::AppError;
use hotro_app::credentials::TokenRequest;
use hotro_core::{FieldError, TokenScope};
use hotro_store::NewToken;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// GET with a session cookie instead of a token.
async fn get_with_cookie(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, Value) {
    json(
        app.client
            .get(app.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn delete(app: &TestApp, token: &str, path: &str) -> StatusCode {
    app.client
        .delete(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

/// The tokens the caller of `token` sees.
async fn tokens(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, body) = json(app.get(Some(token), "/api/v1/tokens").await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

async fn cut_off_credentials(postgres: bool) {
    let app = spawn_app(postgres).await;
    let cases = app.use_cases();
    // What a wrong token gets; every cut-off credential must get exactly this.
    let (status, wrong) = json(app.get(Some("hotro_wrong"), "/api/v1/queue").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Lists: a member of staff sees their own tokens, never a secret; an admin sees all, and
    // a token used just now shows when.
    let mine = tokens(&app, &app.care).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    let care_token = &mine[0];
    assert_eq!(care_token["owner"], "lan@example.vn");
    assert_eq!(care_token["scope"], "staff");
    assert_eq!(care_token["last_used_at"], "2026-11-20T02:00:00Z");
    assert!(care_token["revoked_at"].is_null() && care_token["expires_at"].is_null());
    assert!(!care_token.to_string().contains(&app.care));
    let all = tokens(&app, &app.admin).await;
    assert_eq!(
        all.len(),
        5,
        "four staff tokens and the mail token: {all:?}"
    );
    let care_id = care_token["id"].as_i64().unwrap();

    // Another agent cannot revoke it (404 as for no such token); a token that does not exist
    // or an id that is not a number is 404 too. The token still works.
    let path = format!("/api/v1/tokens/{care_id}");
    assert_eq!(delete(&app, &app.sales, &path).await, StatusCode::NOT_FOUND);
    assert_eq!(
        delete(&app, &app.admin, "/api/v1/tokens/9999").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        delete(&app, &app.admin, "/api/v1/tokens/abc").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(Some(&app.care), "/api/v1/queue").await.status(),
        StatusCode::OK
    );

    // Revoked by its owner: 401 from then on, with the body of a wrong token.
    assert_eq!(delete(&app, &app.care, &path).await, StatusCode::NO_CONTENT);
    let (status, body) = json(app.get(Some(&app.care), "/api/v1/queue").await).await;
    assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &wrong));
    let revoked = tokens(&app, &app.admin).await;
    let revoked = revoked.iter().find(|t| t["id"] == care_id).unwrap();
    assert_eq!(revoked["revoked_at"], "2026-11-20T02:00:00Z");

    // Expired: a token whose expiry has passed is a wrong token; one made to last a day works.
    let sales = app
        .store
        .staff_by_email("minh@example.vn")
        .await
        .unwrap()
        .unwrap();
    let (expired, hash) = hotro_server::auth::new_api_token();
    let now: Timestamp = NOW.parse().unwrap();
    app.store
        .add_token_with(
            NewToken {
                staff_id: sales.id,
                token_hash: hash,
                label: "old".into(),
                scope: TokenScope::Staff,
                expires_at: Some(now - SignedDuration::from_secs(1)),
            },
            now - SignedDuration::from_hours(48),
        )
        .await
        .unwrap();
    let (status, body) = json(app.get(Some(&expired), "/api/v1/queue").await).await;
    assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &wrong));
    let day = cases
        .create_token(TokenRequest {
            email: "minh@example.vn".into(),
            label: "a day".into(),
            scope: TokenScope::Staff,
            expires_in_days: Some(1),
        })
        .await
        .unwrap();
    assert_eq!(
        day.expires_at,
        Some(now + SignedDuration::from_hours(24)),
        "a day from now"
    );
    assert_eq!(
        app.get(Some(&day.secret), "/api/v1/queue").await.status(),
        StatusCode::OK
    );
    // An expiry that is not a positive number of days, and an unknown owner: each named,
    // nothing created.
    for days in [0, -3, 3651] {
        let refused = cases
            .create_token(TokenRequest {
                email: "nobody@example.vn".into(),
                label: "x".into(),
                scope: TokenScope::Staff,
                expires_in_days: Some(days),
            })
            .await;
        let Err(AppError::Invalid(fields)) = refused else {
            panic!("{days} days: {refused:?}");
        };
        assert_eq!(
            fields,
            vec![
                FieldError::new("expires_in", "token.expires_in"),
                FieldError::new("email", "staff.unknown"),
            ]
        );
    }
    assert_eq!(tokens(&app, &app.admin).await.len(), 7);

    // A disabled person's open session and tokens: 401 at once, sign-in refused until enabled.
    let cookie = sign_in(&app, "hoa@example.vn").await;
    let (status, _) = get_with_cookie(&app, &cookie, "/api/v1/queue").await;
    assert_eq!(status, StatusCode::OK);
    let disabled = cases
        .set_staff_active("Hoa@Example.vn", false)
        .await
        .unwrap();
    assert!(!disabled.active);
    let (status, body) = get_with_cookie(&app, &cookie, "/api/v1/queue").await;
    assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &wrong));
    let (status, body) = json(app.get(Some(&app.care_lead), "/api/v1/queue").await).await;
    assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &wrong));
    let login = serde_json::json!({ "email": "hoa@example.vn", "password": "mật-khẩu-thử-nghiệm" });
    assert_eq!(
        app.post(None, "/api/v1/auth/login", &login).await.status(),
        StatusCode::UNAUTHORIZED
    );
    cases
        .set_staff_active("hoa@example.vn", true)
        .await
        .unwrap();
    sign_in(&app, "hoa@example.vn").await;
    // Enabling does not bring back the tokens the disabling ended.
    assert_eq!(
        app.get(Some(&app.care_lead), "/api/v1/queue")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // The last active administrator cannot be disabled; nothing changes.
    let refused = cases.set_staff_active("admin@example.vn", false).await;
    let Err(AppError::Invalid(fields)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(fields, vec![FieldError::new("email", "staff.last_admin")]);
    assert_eq!(
        app.get(Some(&app.admin), "/api/v1/queue").await.status(),
        StatusCode::OK
    );
    // An unknown address is named, for a reset as for a disabling.
    for refused in [
        cases
            .set_staff_active("nobody@example.vn", false)
            .await
            .err(),
        cases.reset_password("nobody@example.vn", None).await.err(),
    ] {
        let Some(AppError::Invalid(fields)) = refused else {
            panic!("{refused:?}");
        };
        assert_eq!(fields, vec![FieldError::new("email", "staff.unknown")]);
    }
}
on_both_backends!(cut_off_credentials);

/// A token's last use is written when first used and then at most once a minute.
async fn last_use_is_written_once_a_minute(postgres: bool) {
    let app = spawn_app(postgres).await;
    let start: Timestamp = NOW.parse().unwrap();
    let now = Arc::new(Mutex::new(start));
    let clock = now.clone();
    let cases = hotro_app::App::new(
        app.store.clone(),
        hotro_core::Policy::builtin(),
        hotro_app::Clock::from_fn(move || *clock.lock().unwrap()),
        hotro_app::Settings::default(),
    );
    let last_used = || async {
        let all = app.store.tokens(None).await.unwrap();
        all.into_iter()
            .find(|t| t.owner == "minh@example.vn")
            .unwrap()
            .last_used_at
    };
    assert_eq!(last_used().await, None);
    for (after, seen) in [(0, 0), (30, 0), (59, 0), (61, 61), (90, 61), (122, 122)] {
        *now.lock().unwrap() = start + SignedDuration::from_secs(after);
        assert!(cases.token_holder(&app.sales).await.unwrap().is_some());
        assert_eq!(
            last_used().await,
            Some(start + SignedDuration::from_secs(seen)),
            "a call {after} s in"
        );
    }
}
on_both_backends!(last_use_is_written_once_a_minute);

/// Only a mail-intake token may post inbound mail: an agent of another department posting a
/// "customer" message onto a ticket they cannot see gets 403 and the timeline is unchanged; a
/// session and an admin's staff token are 403 too; the mail token works nowhere else; and its
/// answer does not tell whether the sender is some ticket's customer.
async fn inbound_mail_needs_its_own_token(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, _) = file_complaint(&app).await;
    let path = format!("/api/v1/tickets/{code}");
    let (_, before) = json(app.get(Some(&app.admin), &path).await).await;
    assert_eq!(before["department"], "customer");
    // The sales agent cannot see the ticket...
    assert_eq!(
        app.get(Some(&app.sales), &path).await.status(),
        StatusCode::NOT_FOUND
    );
    // ...nor post the customer's mail onto it.
    let forged = format!(
        "From: an@example.vn\r\nSubject: Re: [{code}] Website\r\nMessage-ID: <forged@x.vn>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nTôi rút khiếu nại.\r\n"
    );
    let post = |auth: Option<(&str, &str)>| {
        let mut req = app
            .client
            .post(app.url("/api/v1/mail/inbound"))
            .header("content-type", "message/rfc822")
            .body(forged.clone());
        if let Some((header, value)) = auth {
            req = req.header(header, value.to_owned());
        }
        async move { json(req.send().await.unwrap()).await }
    };
    let (status, body) = post(Some(("authorization", &format!("Bearer {}", app.sales)))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Không được phép")
    );
    assert!(
        body["error"]["message_en"]
            .as_str()
            .unwrap()
            .starts_with("Forbidden")
    );
    let (status, _) = post(Some(("authorization", &format!("Bearer {}", app.admin)))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let cookie = sign_in(&app, "minh@example.vn").await;
    let (status, _) = post(Some(("cookie", &cookie))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(Some(("authorization", "Bearer hotro_wrong"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, after) = json(app.get(Some(&app.admin), &path).await).await;
    assert_eq!(after["timeline"], before["timeline"], "nothing was added");
    let sha = hotro_core::attachment::sha256_hex(forged.as_bytes());
    assert!(app.store.raw_mail_outcome(&sha).await.unwrap().is_none());

    // The mail-intake token is no staff token: 401 on staff endpoints, as a wrong token.
    let (_, wrong) = json(app.get(Some("hotro_wrong"), "/api/v1/queue").await).await;
    for staff_path in ["/api/v1/queue", "/api/v1/tokens", path.as_str()] {
        let (status, body) = json(app.get(Some(&app.mail), staff_path).await).await;
        assert_eq!(
            (status, &body),
            (StatusCode::UNAUTHORIZED, &wrong),
            "{staff_path}"
        );
    }

    // With it, a threaded message and a new one get the same kind of answer: accepted and
    // the raw message's SHA-256, nothing about a ticket (`post_inbound` checks the body).
    let (threaded, outcome) = post_inbound(&app, forged).await;
    assert_eq!(
        (threaded.as_str(), outcome.as_str()),
        (code.as_str(), "threaded")
    );
    let stranger = "From: la@example.vn\r\nSubject: Hello\r\nMessage-ID: <new@x.vn>\r\n\r\nHi\r\n";
    let (_, outcome) = post_inbound(&app, stranger).await;
    assert_eq!(outcome, "new");
}
on_both_backends!(inbound_mail_needs_its_own_token);

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    json(
        app.client
            .patch(app.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Administrators list, add and change staff over the API; anyone else is 403; bad input is
/// named field by field and changes nothing; disabling ends the person's session at once.
async fn admins_manage_staff(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (status, _) = json(app.get(Some(&app.care), "/api/v1/staff").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, list) = json(app.get(Some(&app.admin), "/api/v1/staff").await).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 4);
    assert!(list.as_array().unwrap().iter().all(|s| s["active"] == true));

    // Added with a generated password, shown once; they can sign in with it (the address's
    // domain is stored in lower case, and sign-in ignores case).
    let new = serde_json::json!({
        "email": "Moi@Example.vn", "name": "Nhân viên mới", "department": "technical", "role": "agent"
    });
    let (status, added) = json(app.post(Some(&app.care), "/api/v1/staff", &new).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{added}");
    let (status, added) = json(app.post(Some(&app.admin), "/api/v1/staff", &new).await).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(
        (
            &added["email"],
            &added["department"],
            &added["role"],
            &added["active"]
        ),
        (
            &Value::from("Moi@example.vn"),
            &Value::from("technical"),
            &Value::from("agent"),
            &Value::from(true)
        )
    );
    let password = added["password"].as_str().unwrap().to_owned();
    let login = serde_json::json!({ "email": "moi@example.vn", "password": password });
    let r = app.post(None, "/api/v1/auth/login", &login).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let id = added["id"].as_i64().unwrap();

    // Bad input: every field named, nothing added.
    let (status, body) = json(app.post(Some(&app.admin), "/api/v1/staff", &new).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rules(&body), [("email".into(), "staff.email_taken".into())]);
    let bad = serde_json::json!({
        "email": "x", "name": " ", "department": "legal", "role": "boss", "password": "short", "pin": 1
    });
    let (status, body) = json(app.post(Some(&app.admin), "/api/v1/staff", &bad).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut got = rules(&body);
    got.sort();
    assert_eq!(
        got,
        [
            ("pin".into(), "unknown".into()),
            ("role".into(), "one_of".into())
        ],
        "{body}"
    );
    let bad = serde_json::json!({
        "email": "x", "name": " ", "department": "legal", "role": "agent", "password": "short"
    });
    let (_, body) = json(app.post(Some(&app.admin), "/api/v1/staff", &bad).await).await;
    let mut got = rules(&body);
    got.sort();
    let expected: Vec<(String, String)> = [
        ("department", "one_of"),
        ("email", "email"),
        ("name", "required"),
        ("password", "password.too_short"),
    ]
    .iter()
    .map(|(f, r)| (f.to_string(), r.to_string()))
    .collect();
    assert_eq!(got, expected, "{body}");
    let (_, list) = json(app.get(Some(&app.admin), "/api/v1/staff").await).await;
    assert_eq!(list.as_array().unwrap().len(), 5);

    // Changed: department and role; then disabled, which ends their session at once.
    let path = format!("/api/v1/staff/{id}");
    let (status, body) = patch(&app, &app.care, &path, serde_json::json!({"role": "lead"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = patch(
        &app,
        &app.admin,
        &path,
        serde_json::json!({"department": "sales", "role": "lead"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (&body["department"], &body["role"]),
        (&Value::from("sales"), &Value::from("lead"))
    );
    let (status, body) = patch(
        &app,
        &app.admin,
        &path,
        serde_json::json!({"department": "legal", "active": "no"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rules(&body), [("active".into(), "type.boolean".into())]);
    let (status, body) = patch(
        &app,
        &app.admin,
        &path,
        serde_json::json!({"department": "legal"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rules(&body), [("department".into(), "one_of".into())]);
    let queue = |cookie: String| {
        let req = app
            .client
            .get(app.url("/api/v1/queue"))
            .header("cookie", cookie);
        async move { req.send().await.unwrap().status() }
    };
    assert_eq!(queue(cookie.clone()).await, StatusCode::OK);
    let (status, body) = patch(
        &app,
        &app.admin,
        &path,
        serde_json::json!({"active": false}),
    )
    .await;
    assert_eq!(
        (status, &body["active"]),
        (StatusCode::OK, &Value::from(false)),
        "{body}"
    );
    assert_eq!(queue(cookie).await, StatusCode::UNAUTHORIZED);
    for missing in ["/api/v1/staff/9999", "/api/v1/staff/abc"] {
        let (status, _) = patch(
            &app,
            &app.admin,
            missing,
            serde_json::json!({"active": true}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    }

    // No administrator demotes or disables themselves; another one may.
    let me = app
        .store
        .staff_by_email("admin@example.vn")
        .await
        .unwrap()
        .unwrap();
    let mine = format!("/api/v1/staff/{}", me.id);
    let (status, body) = patch(
        &app,
        &app.admin,
        &mine,
        serde_json::json!({"role": "agent", "active": false}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rules(&body),
        [
            ("role".into(), "staff.self".into()),
            ("active".into(), "staff.self".into())
        ]
    );
    let minh = app
        .store
        .staff_by_email("minh@example.vn")
        .await
        .unwrap()
        .unwrap();
    let (status, _) = patch(
        &app,
        &app.admin,
        &format!("/api/v1/staff/{}", minh.id),
        serde_json::json!({"role": "admin"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = patch(
        &app,
        &app.sales,
        &mine,
        serde_json::json!({"active": false}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.get(Some(&app.admin), "/api/v1/queue").await.status(),
        StatusCode::UNAUTHORIZED
    );
}
on_both_backends!(admins_manage_staff);
