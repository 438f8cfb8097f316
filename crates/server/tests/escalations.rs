//! SL-6 and CP-2 over HTTP (issue 15), on SQLite and PostgreSQL with a simulated clock:
//! the notifications each person reads (their own only), the leads' escalation list (agents
//! are refused by a named rule), the breach that hands the ticket to the lead; a complaint
//! that ends only answered in writing and with the outcome its answer proposed, and a
//! closing reason the customer reads.

mod common;

use common::{NOW, TestApp, file_complaint, json, rules, spawn_app};
use hotro_core::ticket::CustomerCommand;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};

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

async fn notifications(app: &TestApp, token: &str) -> Value {
    let (status, body) = json(app.get(Some(token), "/api/v1/notifications").await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn sl6_notifications_are_the_callers_and_escalations_are_for_leads(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, _) = file_complaint(&app).await;
    let path = format!("/api/v1/tickets/{code}");
    let (status, body) = json(
        app.post(Some(&app.care), &format!("{path}/take"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let agent_id = body["assignee_id"].as_i64().unwrap();

    // Long after every deadline: the warning and the breach of the acknowledgement fire.
    run_timers(&app, 40).await;

    // The agent and the lead each read their own; the other department's agent has none.
    let mine = notifications(&app, &app.care).await;
    let items = mine["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{mine}");
    assert!(items.iter().all(|n| n["code"] == code.as_str()));
    assert!(items.iter().any(|n| n["kind"] == "warning"));
    assert_eq!(mine["unread"].as_u64(), Some(items.len() as u64));
    let lead = notifications(&app, &app.care_lead).await;
    assert!(
        lead["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "breach" && n["code"] == code.as_str()),
        "{lead}"
    );
    assert_eq!(notifications(&app, &app.sales).await["items"], json!([]));

    // Marking read: someone else's is 404, one's own is 204 and counts down.
    let id = items[0]["id"].as_i64().unwrap();
    let read = format!("/api/v1/notifications/{id}/read");
    assert_eq!(
        app.post(Some(&app.sales), &read, &json!({})).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(Some(&app.care), "/api/v1/notifications/x/read", &json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(Some(&app.care), &read, &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    let after = notifications(&app, &app.care).await;
    assert_eq!(
        after["unread"].as_i64(),
        mine["unread"].as_i64().map(|n| n - 1)
    );

    // The escalation list: agents are refused by rule; the lead sees the breach, with the
    // ticket now theirs and what to do; an administrator sees it too.
    for agent in [&app.care, &app.sales] {
        let (status, body) = json(app.get(Some(agent), "/api/v1/escalations").await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["rule"], "lead_only");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("trưởng phòng")
        );
    }
    let (status, list) = json(app.get(Some(&app.care_lead), "/api/v1/escalations").await).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let breach = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "breach" && e["code"] == code.as_str())
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(breach["action"], "act_now");
    assert_eq!(breach["department"], "customer");
    assert!(
        breach["action_text"]
            .as_str()
            .unwrap()
            .contains("trưởng phòng")
    );
    let lead_id = breach["assignee"].as_i64().unwrap();
    assert_ne!(lead_id, agent_id, "the breach hands the ticket to the lead");
    let (_, ticket) = json(app.get(Some(&app.care_lead), &path).await).await;
    assert_eq!(ticket["assignee"]["id"].as_i64(), Some(lead_id));
    let (status, all) = json(app.get(Some(&app.admin), "/api/v1/escalations").await).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|e| e["code"] == code.as_str())
    );
    // The staff mails are queued, the agent's and the lead's.
    let mails = app.store.outbox().await.unwrap();
    let to: Vec<&str> = mails
        .iter()
        .filter(|m| m.kind.starts_with("staff.sla_"))
        .map(|m| m.recipient.as_str())
        .collect();
    assert!(
        to.contains(&"lan@example.vn") && to.contains(&"hoa@example.vn"),
        "{to:?}"
    );
    let warning = mails.iter().find(|m| m.kind == "staff.sla_warned").unwrap();
    assert!(warning.subject.contains(&code) && warning.body.contains("---"));
}
on_both_backends!(sl6_notifications_are_the_callers_and_escalations_are_for_leads);

async fn cp2_complaint_cannot_close_without_an_answer(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, _) = file_complaint(&app).await;
    let status_path = format!("/api/v1/tickets/{code}/status");
    let close = json!({ "status": "closed", "reason": "Khách không liên lạc lại" });
    let (status, body) = json(app.post(Some(&app.care), &status_path, &close).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["rule"], "complaint.answer_required");
    let resolve = json!({ "status": "resolved", "outcome": { "kind": "no_fault" } });
    let (status, body) = json(app.post(Some(&app.care), &status_path, &resolve).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["rule"], "complaint.answer_required");
    // Answered in writing, it still needs an outcome to close.
    let reply = json!({ "body": "Kính thưa quý khách, chúng tôi đã kiểm tra." });
    let replies = format!("/api/v1/tickets/{code}/replies");
    let (status, body) = json(app.post(Some(&app.care), &replies, &reply).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = json(app.post(Some(&app.care), &status_path, &close).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        rules(&body),
        [(
            "outcome".to_owned(),
            "complaint.outcome_required".to_owned()
        )]
    );
}
on_both_backends!(cp2_complaint_cannot_close_without_an_answer);

async fn cp2_accept_records_the_proposed_outcome(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, secret) = file_complaint(&app).await;
    let replies = format!("/api/v1/tickets/{code}/replies");
    let answer = json!({
        "body": "Kính thưa quý khách, chúng tôi đề nghị hoàn tiền.",
        "status": "answered",
        "outcome": { "kind": "refund", "amount": 300000 }
    });
    let (status, body) = json(app.post(Some(&app.care), &replies, &answer).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["events"],
        json!(["replied", "outcome_proposed", "status_changed"])
    );
    // The customer sees what is proposed, and accepts it.
    let public = format!("/api/v1/public/tickets/{code}?secret={secret}");
    let (_, tracked) = json(app.get(None, &public).await).await;
    assert!(
        tracked["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["type"] == "outcome_proposed" && e["details"]["amount"] == 300000),
        "{tracked}"
    );
    let done = app
        .use_cases()
        .execute_as_customer(&code, &secret, CustomerCommand::Accept, Vec::new())
        .await
        .unwrap();
    assert_eq!(done.ticket.status, hotro_core::Status::Resolved);
    assert_eq!(
        done.ticket.outcome.as_ref().and_then(|o| o.amount),
        Some(300_000)
    );
    let (_, tracked) = json(app.get(None, &public).await).await;
    let types: Vec<&str> = tracked["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert!(
        types.ends_with(&["accepted", "outcome_recorded", "status_changed"]),
        "{types:?}"
    );
    // The reply's outcome is only a complaint's.
    let (status, body) = json(
        app.post(
            None,
            "/api/v1/public/tickets",
            &json!({
                "kind": "request",
                "customer": { "name": "Trần Thị Bình", "email": "binh@example.vn" },
                "subject": "Hỏi về hóa đơn",
                "description": "Xin gửi lại hóa đơn tháng 10."
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let request = body["code"].as_str().unwrap();
    let proposal = json!({
        "body": "Kính thưa quý khách, chúng tôi gửi lại hóa đơn.",
        "outcome": { "kind": "exchange" }
    });
    let (status, body) = json(
        app.post(
            Some(&app.admin),
            &format!("/api/v1/tickets/{request}/replies"),
            &proposal,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(rules(&body).contains(&("outcome".to_owned(), "outcome.not_allowed".to_owned())));
}
on_both_backends!(cp2_accept_records_the_proposed_outcome);

async fn cp2_closing_a_request_needs_a_reason_the_customer_sees(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (status, body) = json(
        app.post(
            None,
            "/api/v1/public/tickets",
            &json!({
                "kind": "request",
                "customer": { "name": "Trần Thị Bình", "email": "binh@example.vn" },
                "subject": "Hỏi về hóa đơn",
                "description": "Xin gửi lại hóa đơn tháng 10."
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (code, secret) = (
        body["code"].as_str().unwrap().to_owned(),
        body["tracking_secret"].as_str().unwrap().to_owned(),
    );
    let status_path = format!("/api/v1/tickets/{code}/status");
    let (status, body) = json(
        app.post(
            Some(&app.admin),
            &status_path,
            &json!({ "status": "closed" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(rules(&body), [("reason".to_owned(), "required".to_owned())]);
    let reason = "Trùng với phiếu đã gửi trước";
    let (status, body) = json(
        app.post(
            Some(&app.admin),
            &status_path,
            &json!({ "status": "closed", "reason": reason }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The notice tells the customer why, and so does the tracking page.
    let mails = app.store.outbox().await.unwrap();
    let notice = mails
        .iter()
        .find(|m| m.kind == "notice.closed" && m.recipient == "binh@example.vn")
        .unwrap_or_else(|| panic!("{mails:?}"));
    assert!(notice.body.contains(reason), "{}", notice.body);
    let (_, tracked) = json(
        app.get(
            None,
            &format!("/api/v1/public/tickets/{code}?secret={secret}"),
        )
        .await,
    )
    .await;
    assert!(
        tracked["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["status"] == "closed" && e["body"] == reason),
        "{tracked}"
    );
    let page = app
        .client
        .get(app.url(&format!("/track/{code}?secret={secret}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(reason));
}
on_both_backends!(cp2_closing_a_request_needs_a_reason_the_customer_sees);
