//! RT-2, RT-3 through the real doors, on SQLite and PostgreSQL: a complaint by e-mail (the
//! app's mail intake behind `POST /api/v1/mail/inbound`) is a complaint with its clocks and
//! its time bar from the date in its text, and gets the same kind, department, priority and
//! clocks as the same text through the public API and staff intake (QF-2); a walk-in through
//! the staff form and a feedback through the portal are classified the same way; mail the
//! rules cannot place goes to the triage department marked unclassified; the agent sees the
//! suggestion and why, accepts it in one click or corrects it, and every decision is recorded.

mod common;

use common::web::{csrf_of, sign_in, web, web_form};
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const BOUNDARY: &str = "hotro-classify-boundary";

fn mail(from: &str, id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: hotro@congty.vn\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\n\
         Date: Fri, 20 Nov 2026 09:00:00 +0700\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
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

/// What QF-2 compares: the same content gets the same of each, whatever the door.
fn treatment(t: &Value) -> Value {
    json!({
        "kind": t["kind"],
        "department": t["department"],
        "topic": t["topic"],
        "priority": t["priority"],
        "complaint": t["complaint"],
        "time_barred": t["time_barred"],
        "sla": t["sla"],
    })
}

const SUBJECT: &str = "Khiếu nại tên miền: website bị sập";
const BODY: &str = "Website của công ty tôi bị sập từ ngày 12/11/2026, đề nghị khắc phục ngay.";

async fn complaint_by_mail_is_treated_as_through_the_api(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, outcome) = post_inbound(
        &app,
        mail(
            "Lê Văn Cường <cuong@example.vn>",
            "k1@example.vn",
            SUBJECT,
            BODY,
        ),
    )
    .await;
    assert_eq!(outcome, "new");
    let by_mail = ticket(&app, &code).await;
    assert_eq!(by_mail["kind"], "complaint");
    assert_eq!(by_mail["channel"], "email");
    assert_eq!(by_mail["department"], "customer");
    assert_eq!(by_mail["priority"], "normal");
    assert_eq!(by_mail["complaint"]["incident_date"], "2026-11-12");
    assert_eq!(by_mail["complaint"]["category"], "service_quality");
    assert!(by_mail["time_barred"].is_null());
    assert_eq!(by_mail["sla"]["acknowledge"]["within"], 48);
    assert_eq!(by_mail["sla"]["resolve"]["within"], 20);
    let why = &by_mail["classification"];
    assert_eq!(why["unclassified"], false);
    assert!(why["applied"].as_array().unwrap().contains(&json!("kind")));
    assert!(
        why["matched"]
            .as_array()
            .unwrap()
            .contains(&json!({"field": "kind", "value": "complaint", "phrase": "khiếu nại"})),
        "{why}"
    );
    // The topic's department is technical: the complaint stays, the topic is suggested.
    assert_eq!(by_mail["suggested_topic"], "hosting_domain");

    // QF-2: the same words through the public API and staff intake, with the form's fields.
    for (path, token, channel) in [
        ("/api/v1/public/tickets", None, "web"),
        ("/api/v1/public/tickets", None, "api"),
        ("/api/v1/tickets", Some(app.care.as_str()), "phone"),
    ] {
        let body = json!({
            "kind": "complaint",
            "channel": channel,
            "customer": { "name": "Lê Văn Cường", "email": format!("{channel}@example.vn") },
            "subject": SUBJECT,
            "description": BODY,
            "incident_date": "2026-11-12",
            "complaint_category": "service_quality"
        });
        let (status, created) = json(app.post(token, path, &body).await).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let other = ticket(&app, created["code"].as_str().unwrap()).await;
        assert_eq!(treatment(&other), treatment(&by_mail), "{channel}");
    }

    // A complaint about money, without a date: received today, a business matter (30 days).
    let (code, _) = post_inbound(
        &app,
        mail(
            "hang@example.vn",
            "k2@example.vn",
            "Khiếu nại: hóa đơn tính sai tiền, đề nghị hoàn tiền",
            "Kính gửi công ty, hóa đơn tháng này bị tính sai.",
        ),
    )
    .await;
    let t = ticket(&app, &code).await;
    assert_eq!(t["kind"], "complaint");
    assert_eq!(t["department"], "customer");
    assert_eq!(t["complaint"]["incident_date"], "2026-11-20");
    assert_eq!(t["complaint"]["category"], "business");

    // SL-4: a complaint whose text dates the incident past the bar is recorded, time-barred,
    // and answered in writing with the reason, as through the form.
    let (code, _) = post_inbound(
        &app,
        mail(
            "tuan@example.vn",
            "k3@example.vn",
            "Khiếu nại hóa đơn",
            "Hóa đơn ngày 01/08/2026 tính sai tiền.",
        ),
    )
    .await;
    let t = ticket(&app, &code).await;
    assert_eq!(t["time_barred"]["limit_days"], 30);
    assert_eq!(t["time_barred"]["days_after_incident"], 111);
    assert!(
        t["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"]["type"] == "replied"),
        "SL-4's written answer"
    );
}
on_both_backends!(complaint_by_mail_is_treated_as_through_the_api);

async fn unplaced_mail_goes_to_triage_and_the_agent_classifies_it(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, _) = post_inbound(
        &app,
        mail(
            "binh@example.vn",
            "u1@example.vn",
            "Xin chào",
            "Từ ngày 15/11 tôi gặp trục trặc, nhờ công ty xem giúp.",
        ),
    )
    .await;
    let t = ticket(&app, &code).await;
    assert_eq!(t["kind"], "request");
    assert_eq!(t["department"], "customer", "the triage department");
    assert_eq!(t["classification"]["unclassified"], true);
    assert!(t["sla"]["acknowledge"].is_null());

    // The page shows the mark, that no phrase matched, and the suggestion to accept.
    let cookie = sign_in(&app, "lan@example.vn").await;
    let page = web(&app, &cookie, &format!("/agent/tickets/{code}")).await;
    assert!(page.contains("data-testid=\"unclassified\""), "{page}");
    assert!(page.contains("Chưa phân loại"));
    assert!(page.contains("Không có cụm từ nào của chính sách khớp"));
    let csrf = csrf_of(&page);

    // One click: the suggestion is accepted and recorded; the mark goes.
    let (status, _) = web_form(
        &app,
        &cookie,
        &format!("/agent/tickets/{code}/classify"),
        &[
            ("_csrf", &csrf),
            ("accepted", "1"),
            ("kind", "request"),
            ("topic", ""),
            ("feature_area", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let t = ticket(&app, &code).await;
    assert_eq!(t["classification"]["unclassified"], false);
    assert_eq!(t["classification"]["reviewed"], true);
    let page = web(&app, &cookie, &format!("/agent/tickets/{code}")).await;
    assert!(!page.contains("data-testid=\"unclassified\""));
    assert!(page.contains("Chấp nhận phân loại"), "the timeline line");

    // A correction the rules refuse is shown beside its field.
    let (status, page) = web_form(
        &app,
        &cookie,
        &format!("/agent/tickets/{code}/classify"),
        &[
            ("_csrf", &csrf),
            ("kind", "request"),
            ("feature_area", "performance"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("data-testid=\"classify-error\""), "{page}");

    // The agent reads a complaint: it gets a complaint's details and clocks.
    let (status, _) = web_form(
        &app,
        &cookie,
        &format!("/agent/tickets/{code}/classify"),
        &[
            ("_csrf", &csrf),
            ("kind", "complaint"),
            ("topic", "dispute_satisfaction"),
            ("reason", "Khách hàng khiếu nại"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let t = ticket(&app, &code).await;
    assert_eq!(t["kind"], "complaint");
    assert_eq!(t["complaint"]["incident_date"], "2026-11-15");
    assert_eq!(t["sla"]["acknowledge"]["within"], 48);
    let page = web(&app, &cookie, &format!("/agent/tickets/{code}")).await;
    assert!(page.contains("Phân loại lại: Yêu cầu hỗ trợ"), "{page}");
    assert!(page.contains("Khách hàng khiếu nại"));

    // Over the API: 401 without a token, 404 from another department, 422 naming the field.
    let path = format!("/api/v1/tickets/{code}/classification");
    let body = json!({ "kind": "request", "topic": "hosting_domain" });
    assert_eq!(
        app.post(None, &path, &body).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = json(app.post(Some(&app.sales), &path, &body).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = json(
        app.post(
            Some(&app.care),
            &path,
            &json!({ "kind": "request", "topic": "astrology", "colour": 1 }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, err) = json(
        app.post(
            Some(&app.care),
            &path,
            &json!({ "kind": "request", "topic": "astrology" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rules(&err), [("topic".into(), "topic.unknown".into())]);
    // Back to a request about a domain: it moves to technical, recorded as a transfer.
    let (status, done) = json(app.post(Some(&app.care), &path, &body).await).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["department"], "technical");
    assert_eq!(done["events"], json!(["reclassified", "transferred"]));
    let (status, _) = json(
        app.get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "RT-4: gone from customer");
    let t = ticket(&app, &code).await;
    let kinds: Vec<&str> = t["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["event"]["type"].as_str())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "reclassified").count(),
        3,
        "every decision is recorded: {kinds:?}"
    );
}
on_both_backends!(unplaced_mail_goes_to_triage_and_the_agent_classifies_it);

/// A multipart form: the form token first, then the fields.
fn multipart(csrf: &str, fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [("_csrf", csrf)].iter().chain(fields) {
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

/// Posts a multipart form with `cookie` and returns the status and the redirect.
async fn post_multipart(
    app: &TestApp,
    path: &str,
    cookie: &str,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect
        .post(app.url(path))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location)
}

/// The newest ticket's code in the admin's view of the queue.
async fn newest(app: &TestApp, subject: &str) -> String {
    let (status, q) = json(app.get(Some(&app.admin), "/api/v1/queue?limit=100").await).await;
    assert_eq!(status, StatusCode::OK, "{q}");
    let items = q["items"].as_array().or_else(|| q.as_array()).unwrap();
    items
        .iter()
        .find(|i| i["subject"] == subject)
        .and_then(|i| i["code"].as_str())
        .unwrap_or_else(|| panic!("{subject} not in {q}"))
        .to_owned()
}

async fn walk_in_and_portal_feedback_are_classified(postgres: bool) {
    let app = spawn_app(postgres).await;
    // A walk-in through the staff form, no topic chosen: the rules' topic places it.
    let cookie = sign_in(&app, "lan@example.vn").await;
    let page = web(&app, &cookie, "/agent/new").await;
    let csrf = csrf_of(&page);
    let walk_in = [
        ("channel", "walk_in"),
        ("kind", "request"),
        ("customer_name", "Đỗ Thị Mai"),
        ("customer_phone", "0903 555 111"),
        ("subject", "Gia hạn tên miền"),
        (
            "description",
            "Xin gia hạn tên miền congty.vn thêm một năm.",
        ),
    ];
    let (status, _) = post_multipart(&app, "/agent/new", &cookie, multipart(&csrf, &walk_in)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let code = newest(&app, "Gia hạn tên miền").await;
    let at_counter = ticket(&app, &code).await;
    assert_eq!(at_counter["department"], "technical");
    assert_eq!(at_counter["topic"], "hosting_domain");
    let (status, created) = json(
        app.post(
            None,
            "/api/v1/public/tickets",
            &json!({
                "kind": "request",
                "customer": { "name": "Đỗ Thị Mai", "email": "mai@example.vn" },
                "subject": "Gia hạn tên miền",
                "description": "Xin gia hạn tên miền congty.vn thêm một năm."
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let by_api = ticket(&app, created["code"].as_str().unwrap()).await;
    assert_eq!(treatment(&by_api), treatment(&at_counter), "QF-2");

    // A feedback through the portal's form: tagged with its feature area, and why.
    let r = app
        .client
        .get(app.url("/new/feedback"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    let pair = set.split(';').next().unwrap().to_owned();
    let token = pair.split_once('=').unwrap().1.to_owned();
    let feedback = [
        ("customer_name", "Vũ Minh"),
        ("customer_email", "minh.vu@example.vn"),
        ("subject", "Góp ý trang quản trị"),
        ("description", "Trang quản trị tải trang rất lâu."),
        ("current_feature", "Trang quản trị dịch vụ"),
        ("proposed_improvement", "Rút ngắn thời gian chờ"),
        ("reason", "Mất nhiều thời gian"),
    ];
    let (status, _) =
        post_multipart(&app, "/new/feedback", &pair, multipart(&token, &feedback)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let code = newest(&app, "Góp ý trang quản trị").await;
    let t = ticket(&app, &code).await;
    assert_eq!(t["kind"], "feedback");
    assert_eq!(t["feature_area"], "performance");
    assert!(t["classification"]["matched"].as_array().unwrap().contains(
        &json!({"field": "feature_area", "value": "performance", "phrase": "tải trang"})
    ));
    // No topic in the text: the triage department has it, with its clocks (SL-2).
    assert_eq!(t["department"], "customer");
    assert_eq!(t["sla"]["acknowledge"]["within"], 48);
    let page = web(&app, &cookie, &format!("/agent/tickets/{code}")).await;
    assert!(
        page.contains("Hiệu năng, tốc độ"),
        "the feature area is shown"
    );
    assert!(page.contains("cụm từ «tải trang»"), "and why");
}
on_both_backends!(walk_in_and_portal_feedback_are_classified);
