//! Issue 15, items 2 and 3, through the real doors on SQLite and PostgreSQL: a chat routed by
//! its widget's department (CH-3) — over the real `/chat/start` and WebSocket — is treated as
//! the same text through the public API (QF-2); a widget naming no department of the policy
//! lands in triage; the first staff line of a chat greets and later ones need not (RP-2),
//! sent from the inline console without a reload; and the confirmation with the code goes
//! out on the channel the customer used (TR-1): the widget's answer, the walk-in's slip, the
//! caller's words, the letter for post.

mod common;

use common::web::{csrf_of, sign_in, web};
use common::*;
use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

async fn ticket(app: &TestApp, code: &str) -> Value {
    let (status, body) = json(
        app.get(Some(&app.admin), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// What QF-2 compares: the same content gets the same of each, whatever the door.
fn treatment(t: &Value) -> Value {
    json!({
        "kind": t["kind"],
        "department": t["department"],
        "topic": t["topic"],
        "priority": t["priority"],
        "sla": t["sla"],
    })
}

/// A visitor's first message, as the widget posts it; returns the answer's body.
async fn chat_start(app: &TestApp, body: Value) -> Value {
    let r = app
        .client
        .post(app.url("/chat/start"))
        .header("content-type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let (status, body) = json(r).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The widget's WebSocket, introduced with the chat's code and secret.
async fn chat_socket(app: &TestApp, code: &str, secret: &str) -> Socket {
    let url = app.url("/chat/ws").replacen("http", "ws", 1);
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let hello = json!({ "type": "hello", "code": code, "secret": secret, "since": 0 });
    socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .unwrap();
    socket
}

/// The next frame the server sends, as JSON (bounded: a missing frame fails, not hangs).
async fn next(socket: &mut Socket) -> Value {
    let frame = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
        .await
        .expect("a frame in time")
        .expect("the socket is open")
        .unwrap();
    match frame {
        Message::Text(t) => serde_json::from_str(&t).unwrap(),
        other => panic!("not text: {other:?}"),
    }
}

/// A whole chat as the widget has it: the first message, then a second over the WebSocket,
/// acknowledged once stored. Returns the ticket's code and the start's answer.
async fn chat(
    app: &TestApp,
    department: &str,
    topic: Option<&str>,
    message: &str,
) -> (String, Value) {
    let started = chat_start(
        app,
        json!({ "name": "Võ Thị Hạnh", "message": message, "department": department, "topic": topic }),
    )
    .await;
    let code = started["code"].as_str().unwrap().to_owned();
    let secret = started["secret"].as_str().unwrap();
    let mut socket = chat_socket(app, &code, secret).await;
    let first = next(&mut socket).await;
    assert_eq!(
        (first["from"].as_str(), first["body"].as_str()),
        (Some("you"), Some(message))
    );
    let line = json!({ "type": "message", "body": "Tôi chờ trả lời ạ.", "ref": "r1" });
    socket
        .send(Message::Text(line.to_string().into()))
        .await
        .unwrap();
    // The stored line comes back as an entry and the acknowledgement, in either order.
    let mut acked = false;
    for _ in 0..2 {
        let frame = next(&mut socket).await;
        acked |= frame["type"] == "ack" && frame["ref"] == "r1";
    }
    assert!(acked, "the second message is acknowledged");
    (code, started)
}

/// The same words through the public API, with the kind the rules gave the chat.
async fn by_api(app: &TestApp, message: &str, topic: Option<&str>) -> Value {
    let mut body = json!({
        "kind": "request",
        "customer": { "name": "Võ Thị Hạnh", "email": "hanh@example.vn" },
        "subject": message,
        "description": message,
    });
    if let Some(t) = topic {
        body["topic"] = json!(t);
    }
    let (status, created) = json(app.post(None, "/api/v1/public/tickets", &body).await).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    ticket(app, created["code"].as_str().unwrap()).await
}

async fn chat_is_routed_like_the_public_api(postgres: bool) {
    let app = spawn_app(postgres).await;

    // The technical widget, words the rules place in technical: as through the API, with the
    // technical 7-day clock (SL-3).
    let words = "Website congty.vn không truy cập được, nhờ kiểm tra DNS giúp";
    let (code, started) = chat(&app, "technical", None, words).await;
    // TR-1: the widget is given the code and its tracking link to show and keep.
    let link = started["tracking_url"].as_str().unwrap();
    assert!(link.ends_with(&format!(
        "/track/{code}?secret={}",
        started["secret"].as_str().unwrap()
    )));
    assert_eq!(
        app.client.get(link).send().await.unwrap().status(),
        StatusCode::OK
    );
    let by_chat = ticket(&app, &code).await;
    assert_eq!(by_chat["channel"], "chat");
    assert_eq!(by_chat["department"], "technical");
    assert_eq!(by_chat["topic"], "hosting_domain");
    assert_eq!(by_chat["sla"]["resolve"]["within"], 7);
    assert_eq!(
        treatment(&by_chat),
        treatment(&by_api(&app, words, None).await),
        "QF-2"
    );

    // The sales widget with a topic: the topic's department, as the API's topic decides.
    let words = "Cho tôi hỏi giá gói doanh nghiệp";
    let (code, _) = chat(&app, "sales", Some("quotation"), words).await;
    let by_chat = ticket(&app, &code).await;
    assert_eq!(
        (by_chat["department"].as_str(), by_chat["topic"].as_str()),
        (Some("sales"), Some("quotation"))
    );
    assert_eq!(
        treatment(&by_chat),
        treatment(&by_api(&app, words, Some("quotation")).await),
        "QF-2"
    );

    // Words no rule places: the widget's department, not the triage queue, and not marked
    // unclassified — the visitor chose the department by where they asked.
    let (code, _) = chat(&app, "design", None, "Cho tôi hỏi một chút ạ").await;
    let t = ticket(&app, &code).await;
    assert_eq!(t["department"], "design");
    assert_eq!(t["classification"]["unclassified"], false);
    assert_eq!(t["kind"], "request");

    // A complaint in any widget is the complaint department's, with a complaint's clocks.
    let words = "Tôi muốn khiếu nại: website bị sập từ ngày 15/11/2026";
    let (code, _) = chat(&app, "sales", None, words).await;
    let t = ticket(&app, &code).await;
    assert_eq!(
        (t["kind"].as_str(), t["department"].as_str()),
        (Some("complaint"), Some("customer"))
    );
    assert_eq!(t["sla"]["acknowledge"]["within"], 48);

    // A department the policy does not have: the chat is still taken, by triage.
    let (code, _) = chat(&app, "marketing", None, "Xin chào, tôi cần tư vấn").await;
    let t = ticket(&app, &code).await;
    assert_eq!(t["department"], "customer", "the triage department");
    assert_eq!(t["classification"]["unclassified"], true);
    // And the widget's status line speaks of the triage department's hours.
    let (status, s) = json(app.get(None, "/chat/status?department=marketing").await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(s["open"].is_boolean(), "{s}");
}
on_both_backends!(chat_is_routed_like_the_public_api);

/// Posts a line from the chat console as its script does; returns the status and the answer.
async fn console_send(
    app: &TestApp,
    cookie: &str,
    code: &str,
    csrf: &str,
    body: &str,
) -> (StatusCode, String) {
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("_csrf", csrf), ("body", body)])
        .finish();
    let r = app
        .client
        .post(app.url(&format!("/agent/tickets/{code}/chat")))
        .header("cookie", cookie)
        .header("hx-request", "true")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}

async fn chat_console_greets_once(postgres: bool) {
    let app = spawn_app(postgres).await;
    let started = chat_start(
        &app,
        json!({ "name": "Võ Thị Hạnh", "message": "Hồ sơ của tôi đến đâu rồi?", "department": "customer" }),
    )
    .await;
    let code = started["code"].as_str().unwrap();
    let mut visitor = chat_socket(&app, code, started["secret"].as_str().unwrap()).await;
    assert_eq!(next(&mut visitor).await["from"], "you");

    // The ticket page has the console: the conversation and a box that starts greeting.
    let cookie = sign_in(&app, "lan@example.vn").await;
    let page = web(&app, &cookie, &format!("/agent/tickets/{code}")).await;
    assert!(page.contains("data-testid=\"chat-console\""), "{page}");
    assert!(page.contains("Hồ sơ của tôi đến đâu rồi?"));
    assert!(
        page.contains(">Kính thưa quý khách, </textarea>"),
        "the box starts with the greeting"
    );
    let csrf = csrf_of(&page);

    // RP-2: the first staff line of the conversation must greet.
    let (status, answer) = console_send(&app, &cookie, code, &csrf, "Dạ, em kiểm tra ngay.").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.contains("Kính thưa quý khách"),
        "the rule in words: {answer}"
    );
    let (status, transcript) = console_send(
        &app,
        &cookie,
        code,
        &csrf,
        "Kính thưa quý khách, em đang kiểm tra.",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{transcript}");
    assert!(
        transcript.contains("em đang kiểm tra"),
        "the new transcript: {transcript}"
    );
    // The visitor sees it live.
    let line = next(&mut visitor).await;
    assert_eq!(
        (line["from"].as_str(), line["body"].as_str()),
        (
            Some("staff"),
            Some("Kính thưa quý khách, em đang kiểm tra.")
        )
    );
    // Later lines of the same conversation need not greet again.
    let (status, transcript) =
        console_send(&app, &cookie, code, &csrf, "Hồ sơ đã được duyệt ạ.").await;
    assert_eq!(status, StatusCode::OK, "{transcript}");
    assert_eq!(next(&mut visitor).await["body"], "Hồ sơ đã được duyệt ạ.");
    let page = web(&app, &cookie, &format!("/agent/tickets/{code}")).await;
    assert!(
        page.contains("Đã chào khách trong cuộc trò chuyện này"),
        "{page}"
    );
    // A visitor's new line is in the transcript the live feed reloads.
    let line = json!({ "type": "message", "body": "Cảm ơn em.", "ref": "r2" });
    visitor
        .send(Message::Text(line.to_string().into()))
        .await
        .unwrap();
    while next(&mut visitor).await["type"] != "ack" {}
    let transcript = web(&app, &cookie, &format!("/agent/tickets/{code}/chat")).await;
    assert!(transcript.contains("Cảm ơn em."), "{transcript}");

    // Scoped like the page: without the form token 403, another department 404, a ticket of
    // another channel has no console (404), and an empty line is refused by name.
    let (status, _) = console_send(&app, &cookie, code, "wrong", "Kính thưa quý khách").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let sales = sign_in(&app, "minh@example.vn").await;
    let sales_page = web(&app, &sales, "/agent").await;
    let (status, _) = console_send(
        &app,
        &sales,
        code,
        &csrf_of(&sales_page),
        "Kính thưa quý khách",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (web_code, _) = file_complaint(&app).await;
    let (status, _) = console_send(&app, &cookie, &web_code, &csrf, "Kính thưa quý khách").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = console_send(&app, &cookie, code, &csrf, "  ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let r = app
        .client
        .get(app.url(&format!("/agent/tickets/{code}/chat")))
        .header("cookie", &sales)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
on_both_backends!(chat_console_greets_once);

const BOUNDARY: &str = "hotro-channels-boundary";

/// The staff intake form's body, as a browser sends it (multipart, the form token first).
fn multipart(csrf: &str, fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in std::iter::once(&("_csrf", csrf)).chain(fields) {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Records a contact through the staff form and returns where the answer sends the browser.
async fn staff_intake(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> String {
    let page = web(app, cookie, "/agent/new").await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect
        .post(app.url("/agent/new"))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(&csrf_of(&page), fields))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()["location"].to_str().unwrap().to_owned()
}

fn company_policy() -> hotro_core::Policy {
    let mut policy = hotro_core::Policy::builtin();
    policy.contact.company = Some("Công ty Cổ phần Mạng An Phát".into());
    policy.contact.address = Some("12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội".into());
    policy
}

async fn confirmation_on_the_channel_used(postgres: bool) {
    let app = spawn_app_with_policy(postgres, company_policy()).await;
    let cookie = sign_in(&app, "lan@example.vn").await;

    // A walk-in complaint: the slip has the company, the code, the tracking link with its QR
    // code, and the acknowledgement and resolution deadlines.
    let to = staff_intake(
        &app,
        &cookie,
        &[
            ("channel", "walk_in"),
            ("kind", "complaint"),
            ("customer_name", "Lê Thị Cúc"),
            ("customer_address", "45 Hai Bà Trưng, Hà Nội"),
            ("subject", "Hóa đơn tháng 11 tính sai"),
            ("description", "Hóa đơn tháng 11 tính sai số tiền."),
            ("incident_date", "2026-11-15"),
            ("complaint_category", "business"),
        ],
    )
    .await;
    assert!(to.contains("/slip?secret="), "{to}");
    let code = to.split('/').nth(3).unwrap().to_owned();
    let secret = to.split("secret=").nth(1).unwrap().to_owned();
    let slip = web(&app, &cookie, &to).await;
    assert!(slip.contains("PHIẾU TIẾP NHẬN"));
    assert!(slip.contains("Công ty Cổ phần Mạng An Phát"));
    assert!(slip.contains("12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội"));
    assert!(slip.contains(&code));
    let link = format!("{}/track/{code}?secret={secret}", app.base);
    assert!(slip.contains(&link), "{slip}");
    assert!(
        slip.contains("data-testid=\"qr\"") && slip.contains("<svg"),
        "the QR code"
    );
    // The deadlines are the ticket's own clocks, as the API reports them.
    let t = ticket(&app, &code).await;
    let due = |clock: &str| {
        let at: jiff::Timestamp = t["sla"][clock]["due_at"].as_str().unwrap().parse().unwrap();
        at.to_zoned(hotro_core::intake::vietnam_zone())
            .strftime("%d/%m/%Y %H:%M")
            .to_string()
    };
    assert!(slip.contains("Xác nhận tiếp nhận chậm nhất") && slip.contains(&due("acknowledge")));
    assert!(slip.contains("Giải quyết chậm nhất") && slip.contains(&due("resolve")));
    // The link on the slip is the customer's way in.
    assert_eq!(
        app.client.get(&link).send().await.unwrap().status(),
        StatusCode::OK
    );
    // A reprint has no secret, and a wrong one is not printed: the lookup page instead.
    for again in [
        format!("/agent/tickets/{code}/slip"),
        format!("/agent/tickets/{code}/slip?secret=00{secret}"),
    ] {
        let reprint = web(&app, &cookie, &again).await;
        assert!(
            !reprint.contains(&format!("/track/{code}?secret=")),
            "{reprint}"
        );
        assert!(reprint.contains(&format!("{}/track", app.base)));
        assert!(!reprint.contains("data-testid=\"qr\""));
    }
    // Another department's agent, who did not record it, does not see it.
    let sales = sign_in(&app, "minh@example.vn").await;
    let r = app
        .client
        .get(app.url(&to))
        .header("cookie", &sales)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A caller: the answer is the code and the link to read out, and the deadlines.
    let to = staff_intake(
        &app,
        &cookie,
        &[
            ("channel", "phone"),
            ("kind", "request"),
            ("customer_name", "Đỗ Văn Bình"),
            ("customer_phone", "0912 345 678"),
            ("subject", "Gia hạn tên miền"),
            ("description", "Khách gọi xin gia hạn tên miền congty.vn."),
        ],
    )
    .await;
    let code = to.split('/').nth(3).unwrap().to_owned();
    let page = web(&app, &cookie, &to).await;
    assert!(page.contains("Đọc cho khách hàng"), "{page}");
    assert!(page.contains(&code) && page.contains(&format!("/track/{code}?secret=")));
    assert!(page.contains("Giải quyết chậm nhất"), "technical: 7 days");

    // A letter: answered by a printable letter, Vietnamese then English, with the code, the
    // link and the deadlines.
    let to = staff_intake(
        &app,
        &cookie,
        &[
            ("channel", "post"),
            ("kind", "request"),
            ("customer_name", "Phan Văn Đức"),
            ("customer_address", "7 Trần Phú, Hải Phòng"),
            ("subject", "Đề nghị in lại hợp đồng"),
            ("description", "Xin in lại hợp đồng số 15/2026."),
        ],
    )
    .await;
    let code = to.split('/').nth(3).unwrap().to_owned();
    let letter = web(&app, &cookie, &to).await;
    let vi = letter.find("THƯ XÁC NHẬN TIẾP NHẬN").expect("Vietnamese");
    let en = letter.find("CONFIRMATION OF RECEIPT").expect("English");
    assert!(vi < en, "Vietnamese first");
    assert!(letter.contains("Phan Văn Đức") && letter.contains("7 Trần Phú, Hải Phòng"));
    assert!(letter.contains("Công ty Cổ phần Mạng An Phát"));
    assert!(letter.contains(&format!("/track/{code}?secret=")));
    assert!(letter.contains("Kính thưa quý khách") && letter.contains("Dear customer"));
    assert!(letter.contains("<svg"));
    // No clock for this request in the built-in policy: the letter says so rather than
    // leaving the line out.
    assert!(letter.contains("không đặt thời hạn") && letter.contains("sets no time limit"));
}
on_both_backends!(confirmation_on_the_channel_used);
