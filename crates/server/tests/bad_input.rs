//! Bad input gets a clear answer and loses nothing (SC-4): malformed JSON is a 400 naming
//! the position, unknown and missing fields a 422 listing every field with its rule, long
//! strings a 422, bodies over 1 MiB a 413, illegal status changes a 409 naming both statuses.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn bad_input_is_answered_precisely(postgres: bool) {
    let app = spawn_app(postgres).await;
    let intake = app.url("/api/v1/public/tickets");

    // 400: not JSON, with line and column.
    let r = app
        .client
        .post(&intake)
        .body("{\n  \"kind\": \"complaint\",\n  oops }")
        .send()
        .await
        .unwrap();
    let (status, body) = json(r).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "malformed_json");
    assert!(
        body["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("line 3 column 3"),
        "{body}"
    );
    // 400: JSON that is not an object; a lone surrogate; an empty body.
    for raw in ["[1, 2]", r#"{"subject": "\ud800"}"#, ""] {
        let (status, body) = json(app.client.post(&intake).body(raw).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{raw}: {body}");
    }

    // 422: every unknown, missing and mistyped field at once, nested ones by their path.
    let body = json!({
        "kind": "complaint",
        "customer": { "name": 42, "email": "an@example.vn", "fax": "028" },
        "subject": ["not", "text"],
        "priority": "urgent",
        "complaint_category": "weather"
    });
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut got = rules(&body);
    got.sort();
    let mut want: Vec<(String, String)> = [
        ("customer.fax", "unknown"),
        ("customer.name", "type.string"),
        ("complaint_category", "one_of"),
        ("description", "required"),
        ("incident_date", "required"),
        ("priority", "unknown"),
        ("subject", "type.string"),
    ]
    .iter()
    .map(|(f, r)| (f.to_string(), r.to_string()))
    .collect();
    want.sort();
    assert_eq!(got, want, "{body}");

    // 422: strings past their documented limits; control characters; bad dates and e-mail.
    let mut long = complaint();
    long["subject"] = json!("Đ".repeat(301));
    long["customer"]["email"] = json!("not-an-address");
    long["description"] = json!("a\u{0}b");
    long["incident_date"] = json!("10/11/2026");
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &long).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut got = rules(&body);
    got.sort();
    assert_eq!(
        got,
        [
            ("customer.email".to_owned(), "email".to_owned()),
            ("description".to_owned(), "control_characters".to_owned()),
            ("incident_date".to_owned(), "date".to_owned()),
            ("subject".to_owned(), "max_length".to_owned()),
        ]
    );

    // 413: a body over 1 MiB, refused before it is parsed.
    let huge = format!("{{\"description\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let (status, body) = json(app.client.post(&intake).body(huge).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "too_large");

    // Staff endpoints: 401 without or with a wrong token, 404 for unknown codes and routes.
    let (code, _) = file_complaint(&app).await;
    let path = format!("/api/v1/tickets/{code}");
    assert_eq!(
        app.get(None, &path).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(Some("hotro_forged"), &path).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .client
        .get(app.url(&path))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    for missing in [
        "/api/v1/tickets/HT-2026-999999",
        "/api/v1/tickets/../../etc/passwd",
        "/api/v1/nowhere",
    ] {
        let (status, body) = json(app.get(Some(&app.care), missing).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(body["error"]["code"], "not_found");
    }

    // 409: an illegal status change names both statuses. (A complaint is resolved with its
    // written answer and outcome, CP-2.)
    let status_path = format!("{path}/status");
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &format!("{path}/replies"),
            &json!({
                "body": "Kính thưa quý khách, chúng tôi đã kiểm tra.",
                "status": "resolved",
                "outcome": {"kind": "no_fault"}
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &status_path,
            &json!({ "status": "disputed" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "illegal_transition");
    assert_eq!(body["error"]["from"], "resolved");
    assert_eq!(body["error"]["to"], "disputed");
    // 422: a status that does not exist, or none at all.
    for bad in [
        json!({ "status": "solved" }),
        json!({}),
        json!({ "status": 3 }),
    ] {
        let (status, body) = json(app.post(Some(&app.care), &status_path, &bad).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(rules(&body)[0].0, "status");
    }
    // 422: bad nested meeting and outcome values name their path.
    let bad = json!({ "status": "reopened", "meeting": { "at": "tomorrow", "place": "HQ" }, "outcome": { "amount": "many" } });
    let (status, body) = json(app.post(Some(&app.care), &status_path, &bad).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut got = rules(&body);
    got.sort();
    assert_eq!(
        got,
        [
            ("meeting.at".to_owned(), "datetime".to_owned()),
            ("outcome.amount".to_owned(), "type.integer".to_owned()),
            ("outcome.kind".to_owned(), "required".to_owned()),
        ]
    );
    // Nothing was lost or half-written along the way, and the server still answers.
    assert_eq!(app.get(None, "/healthz").await.status(), StatusCode::OK);
    let report = app.store.verify_chains().await.unwrap();
    assert_eq!((report.tickets, report.broken.len()), (1, 0));
}
on_both_backends!(bad_input_is_answered_precisely);

/// RT-4: a member of staff of another department gets, on every staff endpoint, exactly
/// the answer a ticket that does not exist would get.
async fn another_department_sees_nothing_anywhere(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, _) = file_complaint(&app).await;
    let greeting = "Kính thưa quý khách, xin trả lời.";
    let calls: Vec<(&str, String, serde_json::Value)> = vec![
        ("GET", String::new(), json!(null)),
        ("POST", "/take".into(), json!({})),
        ("POST", "/replies".into(), json!({ "body": greeting })),
        ("POST", "/notes".into(), json!({ "body": "ghi chú" })),
        (
            "POST",
            "/status".into(),
            json!({ "status": "acknowledged" }),
        ),
        (
            "POST",
            "/transfer".into(),
            json!({ "department": "sales", "reason": "thử" }),
        ),
        (
            "POST",
            "/priority".into(),
            json!({ "priority": "urgent", "reason": "thử" }),
        ),
    ];
    for (method, suffix, body) in &calls {
        let mut answers = Vec::new();
        for target in [code.as_str(), "HT-2026-999999"] {
            let path = format!("/api/v1/tickets/{target}{suffix}");
            let r = if *method == "GET" {
                app.get(Some(&app.sales), &path).await
            } else {
                app.post(Some(&app.sales), &path, body).await
            };
            answers.push(json(r).await);
        }
        assert_eq!(answers[0].0, StatusCode::NOT_FOUND, "{method} {suffix}");
        assert_eq!(
            answers[0], answers[1],
            "{method} {suffix} discloses the ticket"
        );
    }
    // Nothing the other department tried was recorded.
    let (_, ticket) = json(
        app.get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    assert_eq!(ticket["timeline"].as_array().unwrap().len(), 1);
    assert_eq!(ticket["priority"], "normal");
    // An admin sees and acts on every department.
    assert_eq!(
        app.get(Some(&app.admin), &format!("/api/v1/tickets/{code}"))
            .await
            .status(),
        StatusCode::OK
    );
}
on_both_backends!(another_department_sees_nothing_anywhere);

/// SC-1: people sign in with a password and get an HttpOnly, SameSite session cookie.
async fn sign_in_and_out(postgres: bool) {
    let app = spawn_app(postgres).await;
    let login = "/api/v1/auth/login";
    for wrong in [
        json!({ "email": "lan@example.vn", "password": "sai mật khẩu" }),
        json!({ "email": "nobody@example.vn", "password": "mật-khẩu-thử-nghiệm" }),
    ] {
        let (status, body) = json(app.post(None, login, &wrong).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "unauthorized");
    }
    let (status, body) = json(
        app.post(None, login, &json!({ "email": "lan@example.vn" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rules(&body),
        [("password".to_owned(), "required".to_owned())]
    );

    let r = app
        .post(
            None,
            login,
            &json!({ "email": "LAN@example.vn", "password": "mật-khẩu-thử-nghiệm" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();
    let me = |c: String| {
        app.client
            .get(app.url("/api/v1/me"))
            .header("Cookie", c)
            .send()
    };
    let (status, who) = json(me(session.clone()).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (who["email"].as_str(), who["department"].as_str()),
        (Some("lan@example.vn"), Some("customer"))
    );
    let r = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("Cookie", session.clone())
        // A cookie-authenticated write: JSON from hotro's own origin (issue 14).
        .header("Content-Type", "application/json")
        .header("Origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        me(session).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        me("hotro_session=forged".into()).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}
on_both_backends!(sign_in_and_out);

/// The OpenAPI description is generated from the code and names every endpoint.
#[tokio::test]
async fn openapi_describes_every_endpoint() {
    let app = spawn_app(false).await;
    let (status, doc) = json(app.get(None, "/api/v1/openapi.json").await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/public/tickets",
        "/api/v1/public/tickets/{code}",
        "/api/v1/tickets",
        "/api/v1/tickets/{code}",
        "/api/v1/tickets/{code}/take",
        "/api/v1/tickets/{code}/replies",
        "/api/v1/tickets/{code}/notes",
        "/api/v1/tickets/{code}/status",
        "/api/v1/tickets/{code}/transfer",
        "/api/v1/tickets/{code}/priority",
        "/api/v1/queue",
        "/api/v1/auth/login",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is missing");
    }
}
