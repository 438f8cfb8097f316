//! Issue 16, customer history through the real doors: a person who files on the web form,
//! calls (staff intake, the number in international form) and writes an e-mail (the address
//! in capitals) is one customer; `GET /api/v1/customers/{id}` lists what the caller may
//! handle, newest first, and counts the rest; a search by e-mail or phone finds the person;
//! the ticket page links to the customer's page, which lists their tickets (RT-4 holds).

mod common;

use common::web::{sign_in, web};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn mail(from: &str, id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: hotro@congty.vn\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Fri, 20 Nov 2026 09:00:00 +0700\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn history(app: &TestApp, token: &str, id: &Value) -> (StatusCode, Value) {
    json(
        app.get(Some(token), &format!("/api/v1/customers/{id}"))
            .await,
    )
    .await
}

fn codes(h: &Value) -> Vec<String> {
    h["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn one_person_across_channels(postgres: bool) {
    let app = spawn_app(postgres).await;
    // The web form: an@example.vn, 0903 123 456 (the complaint department).
    let (web_code, _) = file_complaint(&app).await;
    let (_, t) = json(
        app.get(Some(&app.care), &format!("/api/v1/tickets/{web_code}"))
            .await,
    )
    .await;
    let id = t["customer"]["id"].clone();

    // A call recorded by sales: the number read out in international form.
    app.advance(jiff::SignedDuration::from_mins(5));
    let call = json!({
        "kind": "request",
        "channel": "phone",
        "customer": { "name": "Anh An", "phone": "+84 903 123 456" },
        "subject": "Hỏi báo giá gói hosting",
        "description": "Khách gọi hỏi báo giá gói hosting doanh nghiệp.",
        "topic": "quotation"
    });
    let (status, body) = json(app.post(Some(&app.sales), "/api/v1/tickets", &call).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let phone_code = body["code"].as_str().unwrap().to_owned();

    // An e-mail from the address in capitals.
    app.advance(jiff::SignedDuration::from_mins(5));
    let (mail_code, outcome) = post_inbound(
        &app,
        mail(
            "Nguyễn Văn An <AN@EXAMPLE.VN>",
            "history-1@example.vn",
            "Khiếu nại: chưa nhận được hóa đơn",
            "Tôi chưa nhận được hóa đơn tháng 11.",
        ),
    )
    .await;
    assert_eq!(outcome, "new");

    // The complaint department: its two tickets, newest first; one elsewhere.
    let (status, h) = history(&app, &app.care, &id).await;
    assert_eq!(status, StatusCode::OK, "{h}");
    assert_eq!(codes(&h), [mail_code.clone(), web_code.clone()]);
    assert_eq!(h["elsewhere"], 1);
    assert_eq!(h["email"], "an@example.vn");
    assert_eq!(h["tickets"][0]["channel"], "email");
    assert_eq!(h["tickets"][1]["channel"], "web");
    // Sales: the call only. The administrator: all three channels.
    let (_, h) = history(&app, &app.sales, &id).await;
    assert_eq!(codes(&h), std::slice::from_ref(&phone_code));
    assert_eq!(h["elsewhere"], 2);
    let (_, h) = history(&app, &app.admin, &id).await;
    assert_eq!(codes(&h), [mail_code.clone(), phone_code, web_code.clone()]);
    // Nobody, or nobody of the caller's: 404 alike.
    for path in ["/api/v1/customers/999999", "/api/v1/customers/abc"] {
        let (status, body) = json(app.get(Some(&app.care), path).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["code"], "not_found");
    }
    assert_eq!(
        app.get(None, &format!("/api/v1/customers/{id}"))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // A search by e-mail in another case, or by phone in any form, finds the person.
    for q in ["An@Example.VN", "84903123456", "0903.123.456"] {
        let (status, found) = json(
            app.get(
                Some(&app.care),
                &format!("/api/v1/search?q={}", urlencode(q)),
            )
            .await,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{found}");
        assert_eq!(found["customers"][0]["id"], id, "{q}: {found}");
        assert_eq!(found["customers"][0]["tickets"], 2, "{q}");
    }
    let (_, found) = json(app.get(Some(&app.care), "/api/v1/search?q=website").await).await;
    assert_eq!(found["customers"], json!([]));

    // The workspace: the ticket's customer card links to the person's page.
    let care = sign_in(&app, "lan@example.vn").await;
    let page = web(&app, &care, &format!("/agent/tickets/{web_code}")).await;
    let link = format!("href=\"/agent/customers/{id}\" data-testid=\"customer-history\"");
    assert!(page.contains(&link), "{page}");
    let page = web(&app, &care, &format!("/agent/customers/{id}")).await;
    assert!(
        page.contains(&mail_code) && page.contains(&web_code),
        "{page}"
    );
    assert!(page.contains("Khách hàng còn 1 phiếu ở phòng ban khác."));
    let page = web(&app, &care, "/agent/search?q=0903123456").await;
    assert!(
        page.contains(&format!("href=\"/agent/customers/{id}\"")),
        "{page}"
    );
}
on_both_backends!(one_person_across_channels);

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
