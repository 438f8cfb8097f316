//! Inbound e-mail over `POST /api/v1/mail/inbound`, on SQLite and PostgreSQL (CH-1, CH-7):
//! new tickets, threading by In-Reply-To and by the code in the subject (only for the
//! ticket's own customer), duplicates, a message without a sender, an oversized message,
//! attachments judged by content, and the queued confirmation (TR-1) with loop safety.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;

/// A plain message from `from` with the given id, subject and extra headers.
fn message(from: &str, id: &str, subject: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: hotro@congty.vn\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Fri, 20 Nov 2026 09:00:00 +0700\r\n{extra}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

async fn post_mail(app: &TestApp, raw: Vec<u8>) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url("/api/v1/mail/inbound"))
        .bearer_auth(&app.mail)
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await
        .unwrap();
    json(r).await
}

async fn ingest(app: &TestApp, raw: Vec<u8>) -> (String, String) {
    post_inbound(app, raw).await
}

async fn ticket(app: &TestApp, code: &str) -> Value {
    let (status, body) = json(
        app.get(Some(&app.admin), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn events_of(ticket: &Value, kind: &str) -> Vec<Value> {
    ticket["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"]["type"] == kind)
        .map(|e| e["event"].clone())
        .collect()
}

async fn threading(postgres: bool) {
    let app = spawn_app(postgres).await;

    // Token auth: no token, no mail.
    let r = app
        .client
        .post(app.url("/api/v1/mail/inbound"))
        .body(message("a@b.vn", "x@b.vn", "x", "", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // CH-1: a new message becomes a request by e-mail.
    let first = message(
        "Nguyễn Văn An <An@Example.VN>",
        "m1@example.vn",
        "Không đăng nhập được hộp thư",
        "",
        "Tôi không đăng nhập được vào hộp thư từ sáng nay.",
    );
    let (code, outcome) = ingest(&app, first.clone()).await;
    assert_eq!(outcome, "new");
    let t = ticket(&app, &code).await;
    assert_eq!(t["kind"], "request");
    assert_eq!(t["channel"], "email");
    assert_eq!(t["subject"], "Không đăng nhập được hộp thư");
    assert_eq!(t["customer"]["name"], "Nguyễn Văn An");
    assert!(t["description"].as_str().unwrap().contains("từ sáng nay"));

    // TR-1: the confirmation is queued with the code and the tracking link.
    let outbox = app.store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    let confirmation = &outbox[0];
    assert_eq!(confirmation.kind, "confirmation");
    assert_eq!(confirmation.recipient, "an@example.vn");
    assert!(
        confirmation.subject.contains(&code),
        "{}",
        confirmation.subject
    );
    assert!(
        confirmation
            .body
            .contains(&format!("/track/{code}?secret="))
    );
    assert_eq!(confirmation.in_reply_to.as_deref(), Some("m1@example.vn"));

    // The same bytes twice are stored once, under the same code (the one raw row keeps the
    // outcome of its first taking-in); a copy in other bytes (another relay's `Received`
    // line) under the same Message-ID is a duplicate too.
    assert_eq!(
        ingest(&app, first.clone()).await,
        (code.clone(), "new".into())
    );
    let relayed = [
        b"Received: from relay2.example.vn by mx.congty.vn\r\n".as_slice(),
        &first,
    ]
    .concat();
    assert_eq!(
        ingest(&app, relayed).await,
        (code.clone(), "duplicate".into())
    );
    // CH-7 (issue 15): a different message that reuses the Message-ID is a new message —
    // stored, shown and flagged for an agent — and never taken for a copy.
    let resent = message(
        "an@example.vn",
        "m1@example.vn",
        "Không đăng nhập được hộp thư (gửi lại)",
        "",
        "Gửi lại: vẫn không đăng nhập được.",
    );
    let (reused, outcome) = ingest(&app, resent.clone()).await;
    assert_eq!(outcome, "new");
    assert_ne!(reused, code, "a different message opens its own ticket");
    let shown = ticket(&app, &reused).await;
    assert!(
        shown["description"]
            .as_str()
            .unwrap()
            .contains("vẫn không đăng nhập được"),
        "{shown}"
    );
    let flagged = events_of(&shown, "note_added");
    assert!(
        flagged
            .iter()
            .any(|n| n["body"].as_str().unwrap().contains("m1@example.vn")
                && n["body"].as_str().unwrap().contains(&code)),
        "the reuse is flagged, naming the first ticket: {flagged:?}"
    );
    // Its own copy is then a duplicate of it, not of the first message.
    let resent_copy = [
        b"Received: from relay3.example.vn by mx.congty.vn\r\n".as_slice(),
        &resent,
    ]
    .concat();
    assert_eq!(
        ingest(&app, resent_copy).await,
        (reused.clone(), "duplicate".into())
    );

    // Threading by In-Reply-To (to the confirmation hotro sent).
    let reply = message(
        "an@example.vn",
        "m2@example.vn",
        "Re: đăng nhập",
        &format!("In-Reply-To: <{}>\r\n", confirmation.message_id),
        "Tôi dùng Outlook 2019.\r\n\r\n> Chúng tôi đã tiếp nhận",
    );
    assert_eq!(ingest(&app, reply).await, (code.clone(), "threaded".into()));
    // Threading by the code in the subject, without any reference header.
    let by_subject = message(
        "AN@example.vn",
        "m3@example.vn",
        &format!("Bổ sung [{code}]"),
        "",
        "Thêm một thông tin.",
    );
    assert_eq!(
        ingest(&app, by_subject).await,
        (code.clone(), "threaded".into())
    );
    let t = ticket(&app, &code).await;
    let wrote = events_of(&t, "customer_wrote");
    assert_eq!(wrote.len(), 2, "{t}");
    assert_eq!(wrote[0]["channel"], "email");
    // The quoted earlier text is folded away (the raw message keeps it).
    assert_eq!(wrote[0]["body"], "Tôi dùng Outlook 2019.");
    assert_eq!(wrote[0]["reference"], "m2@example.vn");

    // A stranger quoting the code, or answering the customer's mail, gets a new ticket.
    let stranger = message(
        "ke.la@other.vn",
        "s1@other.vn",
        &format!("Re: [{code}]"),
        "In-Reply-To: <m1@example.vn>\r\n",
        "Tôi cũng bị như vậy.",
    );
    let (other, outcome) = ingest(&app, stranger).await;
    assert_eq!(outcome, "new");
    assert_ne!(other, code);
    assert_eq!(
        events_of(&ticket(&app, &code).await, "customer_wrote").len(),
        2
    );
}
on_both_backends!(threading);

async fn bad_input(postgres: bool) {
    let app = spawn_app(postgres).await;

    // No parsable sender: a ticket flagged for an agent, no confirmation.
    let raw = "Subject: Hello\r\nMessage-ID: <nosender@x>\r\n\r\nAi đó gửi thư này.\r\n"
        .as_bytes()
        .to_vec();
    let (code, outcome) = ingest(&app, raw).await;
    assert_eq!(outcome, "new");
    let t = ticket(&app, &code).await;
    assert_eq!(t["customer"]["name"], "(không rõ người gửi)");
    let notes = events_of(&t, "note_added");
    assert!(
        notes
            .iter()
            .any(|n| n["body"].as_str().unwrap().contains("người gửi")),
        "{notes:?}"
    );

    // Garbage and an empty body are stored too, raw and flagged, but open no ticket (issue
    // 14): the answer is the same as for any message.
    let (_, queue) = json(app.get(Some(&app.admin), "/api/v1/queue").await).await;
    let mut flagged = Vec::new();
    for raw in [vec![0xff, 0x00, 0x13, b'\n', b'x'], Vec::new()] {
        let (status, body) = post_mail(&app, raw.clone()).await;
        let sha = hotro_core::attachment::sha256_hex(&raw);
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(
            body,
            serde_json::json!({"status": "accepted", "sha256": sha})
        );
        assert_eq!(app.store.raw_mail(&sha).await.unwrap(), raw);
        flagged.push(sha);
    }
    flagged.sort();
    let mut unreadable = app.store.unreadable_mail().await.unwrap();
    unreadable.sort();
    assert_eq!(unreadable, flagged);
    let (_, after) = json(app.get(Some(&app.admin), "/api/v1/queue").await).await;
    assert_eq!(after, queue, "no ticket was opened");

    // Over 25 MiB: stored raw, recorded as refused on a ticket with a note, sender told.
    let mut big = message(
        "lon@example.vn",
        "big@example.vn",
        "Tệp lớn",
        "",
        "Xem tệp.",
    );
    big.extend(std::iter::repeat_n(b'A', 26 * 1024 * 1024));
    let (code, outcome) = ingest(&app, big.clone()).await;
    assert_eq!(outcome, "refused");
    let t = ticket(&app, &code).await;
    assert_eq!(t["subject"], "Tệp lớn");
    assert!(
        events_of(&t, "note_added")
            .iter()
            .any(|n| n["body"].as_str().unwrap().contains("vượt giới hạn"))
    );
    let sha = hotro_core::attachment::sha256_hex(&big);
    assert_eq!(app.store.raw_mail(&sha).await.unwrap().len(), big.len());
    let outbox = app.store.outbox().await.unwrap();
    assert!(
        outbox
            .iter()
            .any(|m| m.kind == "refused" && m.recipient == "lon@example.vn")
    );

    // Over the HTTP limit (30 MiB): 413, nothing half-stored.
    big.extend(std::iter::repeat_n(b'A', 5 * 1024 * 1024));
    let (status, _) = post_mail(&app, big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}
on_both_backends!(bad_input);

async fn attachments_and_loops(postgres: bool) {
    let app = spawn_app(postgres).await;

    // CH-6: a PDF joins the ticket under a safe name; an executable stays in the raw message.
    let pdf = "JVBERi0xLjcKJcfsj6IK"; // "%PDF-1.7\n%..." in base64
    let exe = "TVqQAAMAAAAEAAAA"; // "MZ\x90\0..." in base64
    let raw = format!(
        "From: An <an@example.vn>\r\nSubject: Hóa đơn\r\nMessage-ID: <att@example.vn>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHóa đơn đính kèm.\r\n\
         --b\r\nContent-Type: application/pdf; name=\"../../hoá đơn.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"../../hoá đơn.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n\
         --b\r\nContent-Type: application/pdf; name=\"virus.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"virus.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{exe}\r\n--b--\r\n"
    );
    let (code, _) = ingest(&app, raw.into_bytes()).await;
    let t = ticket(&app, &code).await;
    let received = &events_of(&t, "received")[0];
    let files = received["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{received}");
    assert_eq!(files[0]["content_type"], "application/pdf");
    let name = files[0]["name"].as_str().unwrap();
    assert!(!name.contains('/') && name.ends_with(".pdf"), "{name}");
    assert!(
        events_of(&t, "note_added")
            .iter()
            .any(|n| n["body"].as_str().unwrap().contains("virus.pdf"))
    );

    // TR-1: a customer who writes in English is confirmed in English.
    let english = message(
        "John <john@example.com>",
        "en1@example.com",
        "Cannot log in",
        "",
        "Hello, I cannot log in to my account. Please help, thank you.",
    );
    ingest(&app, english).await;
    let outbox = app.store.outbox().await.unwrap();
    let to_john = outbox
        .iter()
        .find(|m| m.recipient == "john@example.com")
        .unwrap();
    assert!(to_john.subject.contains("Request received"), "{to_john:?}");
    let to_an = outbox
        .iter()
        .find(|m| m.recipient == "an@example.vn")
        .unwrap();
    assert!(to_an.subject.contains("Đã tiếp nhận"), "{to_an:?}");

    // Loop safety: an auto-reply gets a ticket but no confirmation.
    let before = app.store.outbox().await.unwrap().len();
    let auto = message(
        "robot@example.vn",
        "auto1@example.vn",
        "Out of office",
        "Auto-Submitted: auto-replied\r\n",
        "I am away.",
    );
    ingest(&app, auto).await;
    assert_eq!(app.store.outbox().await.unwrap().len(), before);

    // A per-address bound on automatic notices stops a loop with a robot that sends no
    // auto-reply headers.
    for i in 0..8 {
        let raw = message(
            "vong@example.vn",
            &format!("loop{i}@example.vn"),
            &format!("Vòng lặp {i}"),
            "",
            "Thư lặp.",
        );
        ingest(&app, raw).await;
    }
    let to_loop = app
        .store
        .outbox()
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.recipient == "vong@example.vn")
        .count();
    assert_eq!(to_loop as i64, hotro_store::AUTOMATIC_PER_HOUR);
}
on_both_backends!(attachments_and_loops);
