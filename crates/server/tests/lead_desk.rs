//! The lead's desk (issue 16, SL-6, RT-4) on SQLite and PostgreSQL: a lead assigns one ticket
//! or many with a reason (each code's result listed, one refusal stopping nothing), an agent
//! is refused by a named rule, an assignee outside the department by a field rule, another
//! department's ticket is 404; the open work by agent counts open tickets, the oldest and the
//! breaches now; the `/agent/desk` page is a lead's (404 for an agent) and reassigns from it.

mod common;

use common::web::{csrf_of, sign_in, web, web_form};
use common::{NOW, TestApp, file_complaint, json, rules, spawn_app};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn id_of(app: &TestApp, email: &str) -> i64 {
    app.store.staff_by_email(email).await.unwrap().unwrap().id
}

async fn assign(app: &TestApp, token: &str, code: &str, body: Value) -> (StatusCode, Value) {
    json(
        app.post(
            Some(token),
            &format!("/api/v1/tickets/{code}/assign"),
            &body,
        )
        .await,
    )
    .await
}

/// A complaint moved to `sales` by the administrator: outside the customer care lead's reach.
async fn sales_ticket(app: &TestApp) -> String {
    let (code, _) = file_complaint(app).await;
    let (status, body) = json(
        app.post(
            Some(&app.admin),
            &format!("/api/v1/tickets/{code}/transfer"),
            &json!({ "department": "sales", "reason": "Thuộc kinh doanh" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    code
}

async fn desk_assign_one_and_many(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (lan, minh) = (
        id_of(&app, "lan@example.vn").await,
        id_of(&app, "minh@example.vn").await,
    );
    let (a, secret) = file_complaint(&app).await;
    let (c, _) = file_complaint(&app).await;
    let sales = sales_ticket(&app).await;

    // The lead hands a ticket to an agent of the department, with a reason.
    let reason = "Chị Lan phụ trách khách này";
    let (status, body) = assign(
        &app,
        &app.care_lead,
        &a,
        json!({ "agent": lan, "reason": reason }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["assignee_id"].as_i64(), Some(lan));
    assert_eq!(body["events"], json!(["assigned"]));
    let (_, ticket) = json(
        app.get(Some(&app.care_lead), &format!("/api/v1/tickets/{a}"))
            .await,
    )
    .await;
    let last = ticket["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["event"]["type"], "assigned", "{last}");
    assert_eq!(last["event"]["reason"], reason);
    assert_eq!(last["event"]["agent"].as_i64(), Some(lan));
    // The customer never sees who holds the ticket, nor why.
    let (_, tracked) = json(
        app.get(None, &format!("/api/v1/public/tickets/{a}?secret={secret}"))
            .await,
    )
    .await;
    assert!(!tracked.to_string().contains(reason), "{tracked}");

    // Outside the department, no such person, no reason, the same holder: field rules.
    let (status, body) = assign(
        &app,
        &app.care_lead,
        &a,
        json!({ "agent": minh, "reason": "x" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        rules(&body),
        [("agent".to_owned(), "assign.outside_department".to_owned())]
    );
    assert!(
        body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("phòng ban")
    );
    let (status, body) = assign(
        &app,
        &app.care_lead,
        &a,
        json!({ "agent": 9999, "reason": "x" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        rules(&body),
        [("agent".to_owned(), "assign.outside_department".to_owned())]
    );
    let (status, body) = assign(&app, &app.care_lead, &c, json!({ "agent": lan })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(rules(&body), [("reason".to_owned(), "required".to_owned())]);
    let (status, body) = assign(&app, &app.care_lead, &c, json!({ "reason": "x" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(rules(&body), [("agent".to_owned(), "required".to_owned())]);
    let (status, body) = assign(
        &app,
        &app.care_lead,
        &a,
        json!({ "agent": lan, "reason": "lại" }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        rules(&body),
        [("agent".to_owned(), "assign.unchanged".to_owned())]
    );

    // An agent may not assign, even in their own department: 403 with the rule named.
    let (status, body) = assign(&app, &app.care, &c, json!({ "agent": lan, "reason": "x" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["rule"], "assign.lead_only");
    // Another department's ticket does not exist for the lead (RT-4).
    let (status, body) = assign(
        &app,
        &app.care_lead,
        &sales,
        json!({ "agent": lan, "reason": "x" }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // An administrator assigns anywhere, to the ticket's department.
    let (status, body) = assign(
        &app,
        &app.admin,
        &sales,
        json!({ "agent": minh, "reason": "x" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Many at once: each code's result, one refusal stopping nothing.
    let many =
        json!({ "codes": [&sales, &c, "HT-2026-999999"], "agent": lan, "reason": "Chia lại việc" });
    let (status, body) = json(
        app.post(Some(&app.care_lead), "/api/v1/tickets/assign", &many)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["assigned"].as_u64(), body["refused"].as_u64()),
        (Some(1), Some(2)),
        "{body}"
    );
    let results = body["results"].as_array().unwrap();
    assert_eq!(results[0]["code"], sales.as_str());
    assert_eq!(results[0]["status"], 404);
    assert_eq!(results[1]["code"], c.as_str());
    assert_eq!(results[1]["status"], 200);
    assert_eq!(results[1]["assignee_id"].as_i64(), Some(lan));
    assert_eq!(results[2]["status"], 404);
    // A refusal by field rule is listed with its field.
    let back = json!({ "codes": [&c], "agent": minh, "reason": "x" });
    let (_, body) = json(
        app.post(Some(&app.care_lead), "/api/v1/tickets/assign", &back)
            .await,
    )
    .await;
    assert_eq!(body["results"][0]["status"], 422);
    assert_eq!(
        body["results"][0]["fields"][0]["rule"],
        "assign.outside_department"
    );
    // The bulk call's own limits, and its rule for agents.
    let too_many: Vec<String> = (0..101).map(|i| format!("HT-2026-{i:06}")).collect();
    let (status, body) = json(
        app.post(
            Some(&app.care_lead),
            "/api/v1/tickets/assign",
            &json!({ "codes": too_many, "agent": lan, "reason": "x" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        rules(&body),
        [("codes".to_owned(), "assign.too_many".to_owned())]
    );
    let (status, body) = json(
        app.post(
            Some(&app.care_lead),
            "/api/v1/tickets/assign",
            &json!({ "codes": "HT", "agent": lan, "reason": "x" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        rules(&body),
        [("codes".to_owned(), "type.array".to_owned())]
    );
    let (status, body) = json(
        app.post(Some(&app.care), "/api/v1/tickets/assign", &many)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["rule"], "assign.lead_only");
}
on_both_backends!(desk_assign_one_and_many);

/// Runs the SLA timers as the server's loop would, `days` after the test's start.
async fn run_timers(app: &TestApp, days: i64) {
    let now: Timestamp = NOW.parse().unwrap();
    app.store
        .run_due_jobs(
            now + SignedDuration::from_hours(24 * days),
            hotro_app::timers::alert_words(),
        )
        .await
        .unwrap();
}

fn line(work: &Value, agent: Option<i64>) -> &Value {
    work["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["agent"].as_i64() == agent)
        .unwrap_or_else(|| panic!("{agent:?} in {work}"))
}

async fn desk_work_by_agent_and_page(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (lan, hoa) = (
        id_of(&app, "lan@example.vn").await,
        id_of(&app, "hoa@example.vn").await,
    );
    let (a, _) = file_complaint(&app).await;
    let (b, _) = file_complaint(&app).await;
    // Long after every deadline: both breach and go to the lead; a new one arrives.
    run_timers(&app, 40).await;
    app.advance(SignedDuration::from_hours(24 * 40));
    let (c, _) = file_complaint(&app).await;
    let (status, body) = assign(
        &app,
        &app.care_lead,
        &a,
        json!({ "agent": lan, "reason": "Giao lại" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, work) = json(app.get(Some(&app.care_lead), "/api/v1/desk/work").await).await;
    assert_eq!(status, StatusCode::OK, "{work}");
    assert_eq!(work["department"], "customer");
    let l = line(&work, Some(lan));
    assert_eq!(
        (l["open"].as_i64(), l["breached"].as_i64()),
        (Some(1), Some(1)),
        "{work}"
    );
    assert_eq!(l["oldest_code"], a.as_str());
    let h = line(&work, Some(hoa));
    assert_eq!(
        (h["open"].as_i64(), h["breached"].as_i64()),
        (Some(1), Some(1)),
        "{work}"
    );
    assert_eq!(h["oldest_code"], b.as_str());
    let u = line(&work, None);
    assert_eq!(
        (u["open"].as_i64(), u["breached"].as_i64()),
        (Some(1), Some(0)),
        "{work}"
    );
    assert_eq!(u["oldest_code"], c.as_str());
    // Agents have no desk; a lead sees no other department's; an administrator names one.
    let (status, body) = json(app.get(Some(&app.care), "/api/v1/desk/work").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["rule"], "lead_only");
    let r = app
        .get(Some(&app.care_lead), "/api/v1/desk/work?department=sales")
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (status, all) = json(
        app.get(Some(&app.admin), "/api/v1/desk/work?department=customer")
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all["lines"], work["lines"]);

    // The page: the lead's, with the header link; an agent's is the 404 page, without it.
    let lead = sign_in(&app, "hoa@example.vn").await;
    let page = web(&app, &lead, "/agent/desk").await;
    assert!(page.contains("Bàn trưởng phòng") && page.contains("data-testid=\"nav-desk\""));
    assert!(page.contains("data-testid=\"desk-escalation\"") && page.contains(&b));
    assert!(page.contains("Phiếu quá hạn"), "the lead's action words");
    let agent = sign_in(&app, "lan@example.vn").await;
    let r = app
        .client
        .get(app.url("/agent/desk"))
        .header("cookie", &agent)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(!web(&app, &agent, "/agent").await.contains("nav-desk"));
    assert!(web(&app, &lead, "/agent").await.contains("nav-desk"));

    // Reassigning from the page: the breached ticket and one that does not exist.
    let token = csrf_of(&page);
    let lan_text = lan.to_string();
    let (status, after) = web_form(
        &app,
        &lead,
        "/agent/desk/assign",
        &[
            ("_csrf", token.as_str()),
            ("department", "customer"),
            ("code", b.as_str()),
            ("code", "HT-2026-999999"),
            ("agent", lan_text.as_str()),
            ("reason", "Trưởng phòng giao lại"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert!(
        after.contains(&format!("{b}: đã giao cho NV lan@example.vn")),
        "{after}"
    );
    assert!(after.contains("HT-2026-999999: không giao được"), "{after}");
    let (_, ticket) = json(
        app.get(Some(&app.care_lead), &format!("/api/v1/tickets/{b}"))
            .await,
    )
    .await;
    assert_eq!(ticket["assignee"]["id"].as_i64(), Some(lan));
    // Without the form token nothing happens.
    let (status, _) = web_form(
        &app,
        &lead,
        "/agent/desk/assign",
        &[
            ("code", c.as_str()),
            ("agent", lan_text.as_str()),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
on_both_backends!(desk_work_by_agent_and_page);
