//! The policy engine over HTTP on SQLite and PostgreSQL, with a simulated clock: the SLA
//! object of a ticket (SL-2, SL-5), the Tết deadline, fairness across channels (QF-2), the
//! time-barred complaint (SL-4), topic corrections (RT-3) and the published policy page
//! (PL-1, PL-2).
//!
//! One file on purpose: the stories share one simulated clock and its server.

use hotro_core::{Policy, Role, TokenScope};
use hotro_server::{AppState, Clock, ServerConfig, Settings, auth};
use hotro_store::{Location, NewStaff, NewToken, Store};
use jiff::Timestamp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

struct App {
    base: String,
    client: Client,
    store: Store,
    now: Arc<Mutex<Timestamp>>,
    /// Tokens: an agent of `customer`, an agent of `other`, an admin (sees everything).
    care: String,
    admin: String,
    /// A mail-intake token, for real mail through `POST /api/v1/mail/inbound` (QF-2).
    mail: String,
    _dir: Option<tempfile::TempDir>,
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn spawn(postgres: bool, start: &str) -> App {
    let (location, dir) = if postgres {
        (
            Location::Url(hotro_testkit::fresh_postgres_url().await),
            None,
        )
    } else {
        let dir = hotro_testkit::temp_dir();
        (Location::DataDir(dir.path().to_owned()), Some(dir))
    };
    let store = Store::open(&location).await.unwrap();
    let now = Arc::new(Mutex::new(at(start)));
    let policy = Arc::new(Policy::builtin());
    store
        .record_policy(policy.clone(), at("2026-01-01T00:00:00Z"))
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for (email, department, role) in [
        ("lan@example.vn", "customer", Role::Agent),
        ("admin@example.vn", "other", Role::Admin),
    ] {
        let staff = store
            .add_staff(
                NewStaff {
                    email: email.into(),
                    name: format!("NV {email}"),
                    department: department.into(),
                    role,
                    password_hash: auth::hash_password("mật-khẩu-thử").unwrap(),
                },
                at(start),
            )
            .await
            .unwrap();
        let (token, hash) = auth::new_api_token();
        store
            .add_token(staff.id, hash, "t".into(), at(start))
            .await
            .unwrap();
        tokens.push(token);
    }
    let admin = store
        .staff_by_email("admin@example.vn")
        .await
        .unwrap()
        .unwrap();
    let (mail, hash) = auth::new_api_token();
    store
        .add_token_with(
            NewToken {
                staff_id: admin.id,
                token_hash: hash,
                label: "mail gateway".into(),
                scope: TokenScope::MailInbound,
                expires_at: None,
            },
            at(start),
        )
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clock_now = now.clone();
    let app = hotro_server::App::new(
        store.clone(),
        policy,
        Clock::from_fn(move || *clock_now.lock().unwrap()),
        Settings {
            public_url: base.clone(),
        },
    );
    let state = AppState::new(app, ServerConfig::default());
    tokio::spawn(hotro_server::serve(listener, state));
    let [care, admin] = tokens.try_into().unwrap();
    App {
        base,
        client: Client::new(),
        store,
        now,
        care,
        admin,
        mail,
        _dir: dir,
    }
}

impl App {
    fn set_now(&self, t: &str) {
        *self.now.lock().unwrap() = at(t);
    }

    async fn post(&self, token: Option<&str>, path: &str, body: &Value) -> (StatusCode, Value) {
        let mut req = self.client.post(format!("{}{path}", self.base)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, token: Option<&str>, path: &str) -> (StatusCode, Value) {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn page(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
}

fn complaint(email: &str, incident: &str) -> Value {
    json!({
        "kind": "complaint",
        "customer": { "name": "Nguyễn Văn An", "email": email },
        "subject": "Website ngừng hoạt động",
        "description": "Website của công ty tôi không truy cập được.",
        "incident_date": incident,
        "complaint_category": "service_quality"
    })
}

fn instant(v: &Value) -> Timestamp {
    v.as_str()
        .unwrap_or_else(|| panic!("not an instant: {v}"))
        .parse()
        .unwrap()
}

async fn sl2_tet_deadline_and_sl5_pause(postgres: bool) {
    // 16:00 on the Friday before Tết 2026.
    let app = spawn(postgres, "2026-02-13T09:00:00Z").await;
    let (status, created) = app
        .post(
            None,
            "/api/v1/public/tickets",
            &complaint("an@example.vn", "2026-02-10"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let code = created["code"].as_str().unwrap().to_owned();
    let (status, ticket) = app
        .get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{ticket}");
    let ack = &ticket["sla"]["acknowledge"];
    // The weekend and Tết (16–20/02) are skipped: Monday 02/03, 10:00 in Hà Nội.
    assert_eq!(instant(&ack["due_at"]), at("2026-03-02T10:00:00+07:00"));
    assert_eq!(ack["state"], "on_time");
    assert_eq!(ack["unit"], "working_hours");
    assert_eq!(ack["within"], 48);
    assert_eq!(ack["paused"], false);
    assert_eq!(ticket["sla"]["resolve"]["unit"], "calendar_days");
    assert!(ticket["sla"]["start"].is_null());

    // SL-6 in the view: at 75 % the clock shows a warning, past due a breach.
    app.set_now("2026-02-27T09:00:00Z");
    let (_, ticket) = app
        .get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
        .await;
    assert_eq!(ticket["sla"]["acknowledge"]["state"], "warning");
    app.set_now("2026-03-02T03:00:01Z");
    let (_, ticket) = app
        .get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
        .await;
    assert_eq!(ticket["sla"]["acknowledge"]["state"], "breached");

    // SL-5: waiting for the customer pauses the resolution clock; the due time comes back,
    // later by the time waited, when the ticket stops waiting.
    let status_url = format!("/api/v1/tickets/{code}/status");
    app.set_now("2026-03-02T04:00:00Z");
    let (s, body) = app
        .post(
            Some(&app.care),
            &status_url,
            &json!({ "status": "waiting_customer" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, ticket) = app
        .get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
        .await;
    let resolve = &ticket["sla"]["resolve"];
    assert_eq!(resolve["paused"], true);
    assert!(resolve["due_at"].is_null());
    // Acknowledged by leaving `new`, late.
    assert_eq!(ticket["sla"]["acknowledge"]["state"], "breached");
    assert!(!ticket["sla"]["acknowledge"]["met_at"].is_null());
    app.set_now("2026-03-04T04:00:00Z");
    app.post(
        Some(&app.care),
        &status_url,
        &json!({ "status": "in_progress" }),
    )
    .await;
    let (_, ticket) = app
        .get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
        .await;
    let resolve = &ticket["sla"]["resolve"];
    assert_eq!(resolve["paused"], false);
    // 20 days from 13/02 16:00 was 05/03 16:00; two days of waiting move it to 07/03.
    assert_eq!(instant(&resolve["due_at"]), at("2026-03-07T16:00:00+07:00"));
}
hotro_server_sla_both!(sl2_tet_deadline_and_sl5_pause);

async fn qf2_same_content_any_channel_same_priority_and_deadlines(postgres: bool) {
    let app = spawn(postgres, "2026-11-20T02:00:00Z").await;
    let mut seen: Vec<(String, Value)> = Vec::new();
    // The words a customer writes; a form asks the complaint's date and category, a mail
    // states them in its text (RT-3, SL-4).
    let subject = "Khiếu nại: website ngừng hoạt động";
    let description = "Từ ngày 10/11/2026 website của công ty tôi không truy cập được.";
    for channel in hotro_core::Channel::ALL {
        let mut body = complaint(&format!("{}@example.vn", channel.as_str()), "2026-11-10");
        body["channel"] = json!(channel.as_str());
        body["subject"] = json!(subject);
        body["description"] = json!(description);
        // The public form takes what customers send themselves; staff record the rest.
        let token = channel.is_staff_recorded().then_some(app.admin.as_str());
        let path = if token.is_some() {
            "/api/v1/tickets"
        } else {
            "/api/v1/public/tickets"
        };
        let (status, created) = app.post(token, path, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{channel}: {created}");
        let code = created["code"].as_str().unwrap();
        let (_, t) = app
            .get(Some(&app.admin), &format!("/api/v1/tickets/{code}"))
            .await;
        assert_eq!(t["channel"], channel.as_str());
        seen.push((channel.as_str().to_owned(), treatment(&t)));
    }
    // QF-2 with real mail: the same words as an e-mail through the mail intake.
    let raw = format!(
        "From: Nguyễn Văn An <mail@example.vn>\r\nTo: hotro@congty.vn\r\n\
         Subject: =?utf-8?B?S2hp4bq/dSBu4bqhaTogd2Vic2l0ZSBuZ+G7q25nIGhv4bqhdCDEkeG7mW5n?=\r\n\
         Message-ID: <qf2@example.vn>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{description}\r\n"
    );
    let r = app
        .client
        .post(format!("{}/api/v1/mail/inbound", app.base))
        .bearer_auth(&app.mail)
        .header("content-type", "message/rfc822")
        .body(raw)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let sha = r.json::<Value>().await.unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    let (code, _) = app.store.raw_mail_outcome(&sha).await.unwrap().unwrap();
    let (_, t) = app
        .get(Some(&app.admin), &format!("/api/v1/tickets/{code}"))
        .await;
    assert_eq!(t["subject"], subject);
    seen.push(("mail".to_owned(), treatment(&t)));
    assert_eq!(seen.len(), hotro_core::Channel::ALL.len() + 1);
    assert_eq!(seen[0].1["kind"], "complaint");
    assert!(seen[0].1["sla"]["acknowledge"].is_object());
    for (channel, s) in &seen {
        assert_eq!(
            s, &seen[0].1,
            "{channel}: every channel gets the same kind, priority, department and clocks"
        );
    }
}

/// What QF-2 compares between channels.
fn treatment(t: &Value) -> Value {
    json!({
        "kind": t["kind"],
        "priority": t["priority"],
        "department": t["department"],
        "complaint": t["complaint"],
        "time_barred": t["time_barred"],
        "sla": t["sla"],
    })
}
hotro_server_sla_both!(qf2_same_content_any_channel_same_priority_and_deadlines);

async fn sl4_time_barred_complaint_is_accepted_marked_and_answered(postgres: bool) {
    let app = spawn(postgres, "2026-11-20T02:00:00Z").await;
    // 111 days after the incident; the service-quality time bar is 90 days.
    let (status, created) = app
        .post(
            None,
            "/api/v1/public/tickets",
            &complaint("late@example.vn", "2026-08-01"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let code = created["code"].as_str().unwrap();
    let secret = created["tracking_secret"].as_str().unwrap();
    let (_, staff_view) = app
        .get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
        .await;
    assert_eq!(staff_view["time_barred"]["limit_days"], 90);
    assert_eq!(staff_view["time_barred"]["days_after_incident"], 111);
    assert_eq!(staff_view["time_barred"]["category"], "service_quality");
    let (status, public) = app
        .get(
            None,
            &format!("/api/v1/public/tickets/{code}?secret={secret}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{public}");
    assert_eq!(public["time_barred"]["limit_days"], 90);
    // The written answer, with the policy's numbers, is on the customer's timeline.
    let answer = public["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "replied")
        .unwrap_or_else(|| panic!("no written answer: {public}"));
    let body = answer["body"].as_str().unwrap();
    assert!(body.starts_with("Kính thưa quý khách"), "{body}");
    assert!(
        body.contains("90 ngày") && body.contains("01/08/2026") && body.contains("111 ngày"),
        "{body}"
    );
    assert!(
        body.ends_with("Cám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi"),
        "{body}"
    );
    // A complaint within the bar gets no such answer.
    let (_, fresh) = app
        .post(
            None,
            "/api/v1/public/tickets",
            &complaint("ok@example.vn", "2026-11-01"),
        )
        .await;
    let (_, view) = app
        .get(
            Some(&app.care),
            &format!("/api/v1/tickets/{}", fresh["code"].as_str().unwrap()),
        )
        .await;
    assert!(view["time_barred"].is_null());
    assert_eq!(view["timeline"].as_array().unwrap().len(), 1);
    let _ = &app.store;
}
hotro_server_sla_both!(sl4_time_barred_complaint_is_accepted_marked_and_answered);

async fn pl1_policy_page_publishes_the_enforced_values(postgres: bool) {
    let app = spawn(postgres, "2026-11-20T02:00:00Z").await;
    let (status, vi) = app.page("/policy").await;
    assert_eq!(status, StatusCode::OK);
    for needle in [
        "Chính sách dịch vụ khách hàng (phiên bản 2026.3)",
        "48 giờ làm việc",
        "20 ngày",
        "7 ngày",
        "không quá 90 ngày",
        "không quá 30 ngày",
        "Phòng kinh doanh",
        "08:00-12:00, 13:30-16:30",
        "00:00-24:00",
        "17/02/2026",
        "Tết Nguyên Đán (mùng 1)",
        "24/11/2026",
        "Kính thưa quý khách",
        "Cám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi",
        "2026.3 — áp dụng từ 2026-01-01 (đang áp dụng)",
        "Điện thoại",
        // Seed 001's holiday duty, from `[duty]`: enforced by `holiday_duty::*`.
        "chỉ có nhân viên xử lý chung trực và xử lý các phiếu mức ưu tiên khẩn cấp",
        // Seed 003's clock hours for feedback and seed 001's technical 7 days.
        "trong vòng 48 giờ.",
    ] {
        assert!(
            vi.contains(needle),
            "missing {needle:?} in the Vietnamese page"
        );
    }
    let (_, en) = app.page("/policy?lang=en").await;
    for needle in [
        "48 working hours",
        "Sales",
        "at most 90 days",
        "(in force)",
        "Monday–Friday",
    ] {
        assert!(
            en.contains(needle),
            "missing {needle:?} in the English page"
        );
    }
    // PL-2: a new version is listed with the earlier one.
    let newer = Policy::from_toml(
        &hotro_core::policy::DEFAULT_POLICY_TOML
            .replace("version = \"2026.3\"", "version = \"2026.4\"")
            .replace("published = \"2026-01-01\"", "published = \"2026-06-01\""),
    )
    .unwrap();
    app.store
        .record_policy(Arc::new(newer), at("2026-06-01T00:00:00Z"))
        .await
        .unwrap();
    let (_, vi) = app.page("/policy").await;
    assert!(vi.contains("2026.4 — áp dụng từ 2026-06-01"), "{vi}");
    assert!(vi.contains("2026.3 — áp dụng từ 2026-01-01 (đang áp dụng)"));
}
hotro_server_sla_both!(pl1_policy_page_publishes_the_enforced_values);

#[macro_export]
macro_rules! hotro_server_sla_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(false).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(true).await;
            }
        }
    };
}

async fn rt3_topic_correction_is_recorded(postgres: bool) {
    let app = spawn(postgres, "2026-11-20T02:00:00Z").await;
    let (_, created) = app
        .post(
            None,
            "/api/v1/public/tickets",
            &complaint("topic@example.vn", "2026-11-10"),
        )
        .await;
    let code = created["code"].as_str().unwrap();
    let path = format!("/api/v1/tickets/{code}/topic");
    let (status, body) = app
        .post(
            Some(&app.care),
            &path,
            &json!({ "topic": "hosting_domain", "reason": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["rule"], "topic.other_department");
    let (status, body) = app
        .post(
            Some(&app.care),
            &path,
            &json!({ "topic": "dispute_satisfaction", "reason": "Khiếu nại về chất lượng" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, ticket) = app
        .get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
        .await;
    assert_eq!(ticket["topic"], "dispute_satisfaction");
    let last = ticket["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["event"]["type"], "topic_changed");
    assert_eq!(last["event"]["reason"], "Khiếu nại về chất lượng");
}
hotro_server_sla_both!(rt3_topic_correction_is_recorded);
