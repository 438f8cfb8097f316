//! Known contacts of a ticket (issue 4, CH-1), on SQLite and PostgreSQL: the people a customer
//! put in Cc of their first mail, and addresses an agent adds, may write into the ticket;
//! anyone else who quotes its code or answers its mail still gets a ticket of their own.

mod common;

use common::web::{csrf_of, sign_in, web, web_form};
use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn ingest(app: &TestApp, raw: String) -> (String, String) {
    post_inbound(app, raw).await
}

fn mail(from: &str, id: &str, subject: &str, extra: &str) -> String {
    format!(
        "From: {from}\r\n{extra}Subject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nNội dung của {from}.\r\n"
    )
}

async fn cc_and_added_contacts_thread_strangers_do_not(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, outcome) = ingest(
        &app,
        mail(
            "Phạm Văn Đức <duc@congtyabc.vn>",
            "duc-1@congtyabc.vn",
            "Hợp đồng hosting",
            "To: hotro@congty.vn\r\nCc: Kế toán <KeToan@CongTyABC.vn>, duc@congtyabc.vn\r\n",
        ),
    )
    .await;
    assert_eq!(outcome, "new");

    // The colleague in Cc writes with the code in the subject: it joins the ticket, flagged.
    let (joined, outcome) = ingest(
        &app,
        mail(
            "ketoan@congtyabc.vn",
            "kt-1@congtyabc.vn",
            &format!("Re: [{code}] Hợp đồng hosting"),
            "",
        ),
    )
    .await;
    assert_eq!(
        (joined.as_str(), outcome.as_str()),
        (code.as_str(), "threaded")
    );
    let path = format!("/api/v1/tickets/{code}");
    let (_, ticket) = json(app.get(Some(&app.admin), &path).await).await;
    let notes: Vec<String> = ticket["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"]["type"] == "note_added")
        .map(|e| e["event"]["body"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("ketoan@congtyabc.vn")),
        "{notes:?}"
    );

    // A stranger quoting the code gets a ticket of their own.
    let (other, outcome) = ingest(
        &app,
        mail(
            "nguoila@example.vn",
            "la-1@example.vn",
            &format!("[{code}] Hợp đồng hosting"),
            "",
        ),
    )
    .await;
    assert_eq!(outcome, "new");
    assert_ne!(other, code);

    // An agent of the ticket's department adds an address; then its mail joins too.
    let contacts = format!("/api/v1/tickets/{code}/contacts");
    let (status, body) = json(
        app.post(
            Some(&app.admin),
            &contacts,
            &json!({ "email": "GiamDoc@CongTyABC.vn" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The test clock stands still, so both were added at one instant: by address.
    assert_eq!(
        body["contacts"],
        json!(["giamdoc@congtyabc.vn", "ketoan@congtyabc.vn"])
    );
    let (joined, outcome) = ingest(
        &app,
        mail(
            "giamdoc@congtyabc.vn",
            "gd-1@congtyabc.vn",
            &format!("[{code}] Ý kiến"),
            "",
        ),
    )
    .await;
    assert_eq!(
        (joined.as_str(), outcome.as_str()),
        (code.as_str(), "threaded")
    );

    // The workspace lists the contacts and takes a new one; a bad address is refused beside
    // its field, and another department's agent cannot add one (RT-4).
    let admin = sign_in(&app, "admin@example.vn").await;
    let page = web(&app, &admin, &format!("/agent/tickets/{code}")).await;
    assert!(
        page.contains("ketoan@congtyabc.vn") && page.contains("giamdoc@congtyabc.vn"),
        "{page}"
    );
    let form = format!("/agent/tickets/{code}/contact");
    let token = csrf_of(&page);
    let (status, page) = web_form(
        &app,
        &admin,
        &form,
        &[("_csrf", &token), ("contact_email", "không phải địa chỉ")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("contact-email-error"), "{page}");
    let (status, _) = web_form(
        &app,
        &admin,
        &form,
        &[("_csrf", &token), ("contact_email", "Luat.Su@CongTyABC.vn")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = web(&app, &admin, &format!("/agent/tickets/{code}")).await;
    assert!(page.contains("luat.su@congtyabc.vn"), "{page}");
    let sales = sign_in(&app, "minh@example.vn").await;
    let sales_token = csrf_of(&web(&app, &sales, "/agent").await);
    let (status, _) = web_form(
        &app,
        &sales,
        &form,
        &[("_csrf", &sales_token), ("contact_email", "x@example.vn")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Bad input names the field; another department's agent is told the ticket is not there.
    for (body, rule) in [
        (json!({}), "required"),
        (json!({ "email": "khong-phai-dia-chi" }), "email"),
    ] {
        let (status, answer) = json(app.post(Some(&app.admin), &contacts, &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(rules(&answer), [("email".to_owned(), rule.to_owned())]);
    }
    let r = app
        .post(
            Some(&app.sales),
            &contacts,
            &json!({ "email": "x@example.vn" }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(cc_and_added_contacts_thread_strangers_do_not);

/// Addresses are compared in full Unicode lower case after NFC, not ASCII only: a customer or
/// contact whose address has an accented capital (`Đức@…`) is the same person when their mail
/// program writes it in lower case or decomposed.
async fn accented_capitals_in_addresses_still_thread(postgres: bool) {
    let app = spawn_app(postgres).await;
    let request = json!({
        "kind": "request",
        "customer": { "name": "Đức", "email": "Đức@CongTyABC.vn" },
        "subject": "Hỏi hợp đồng",
        "description": "Xin bản sao hợp đồng."
    });
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &request).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let code = body["code"].as_str().unwrap().to_owned();
    let (joined, outcome) = ingest(
        &app,
        mail(
            "đức@congtyabc.vn",
            "duc-1@congtyabc.vn",
            &format!("[{code}] Bổ sung"),
            "",
        ),
    )
    .await;
    assert_eq!(
        (joined.as_str(), outcome.as_str()),
        (code.as_str(), "threaded")
    );

    // A contact added with capitals (one of them decomposed) is stored as compared.
    let contacts = format!("/api/v1/tickets/{code}/contacts");
    let (status, body) = json(
        app.post(
            Some(&app.admin),
            &contacts,
            &json!({ "email": "Ðinh.A\u{0301}nh@CôngTy.VN" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["contacts"], json!(["ðinh.ánh@côngty.vn"]));
    let (joined, outcome) = ingest(
        &app,
        mail(
            "ÐINH.ÁNH@côngty.vn",
            "anh-1@congty.vn",
            &format!("[{code}] Ý kiến"),
            "",
        ),
    )
    .await;
    assert_eq!(
        (joined.as_str(), outcome.as_str()),
        (code.as_str(), "threaded")
    );
}
on_both_backends!(accented_capitals_in_addresses_still_thread);

/// Bad input to `POST /api/v1/tickets/{code}/contacts`: one error per field, naming its rule;
/// another department's ticket is as absent as a missing one (RT-4).
async fn contact_input_is_refused_by_field(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, _) = file_complaint(&app).await;
    let path = format!("/api/v1/tickets/{code}/contacts");
    for (body, field, rule) in [
        (json!({ "email": 5 }), "email", "type.string"),
        (json!({ "email": "  " }), "email", "required"),
        (json!({}), "email", "required"),
        (json!({ "email": "không-phải-địa-chỉ" }), "email", "email"),
        (json!({ "email": "a@b.vn", "name": "x" }), "name", "unknown"),
    ] {
        let (status, reply) = json(app.post(Some(&app.care), &path, &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {reply}");
        assert_eq!(
            rules(&reply),
            [(field.to_owned(), rule.to_owned())],
            "{body}"
        );
    }
    let good = json!({ "email": "ketoan@example.vn" });
    assert_eq!(
        app.post(Some(&app.sales), &path, &good).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            Some(&app.care),
            "/api/v1/tickets/HT-2026-999999/contacts",
            &good
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
}
on_both_backends!(contact_input_is_refused_by_field);
