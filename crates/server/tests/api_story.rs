//! The HTTP story of the foundation, on SQLite and PostgreSQL: intake with its field rules
//! (CH-6), department scoping (RT-4), take, the reply rules (RP-2), the timeline, the
//! customer's tracking view (TR-2), queue order (QF-1) and the status machine (CP-1).

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn complaint_story(postgres: bool) {
    let app = spawn_app(postgres).await;

    // CH-6: a complaint without its incident date is refused, naming the field.
    let mut incomplete = complaint();
    incomplete.as_object_mut().unwrap().remove("incident_date");
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &incomplete).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rules(&body),
        [("incident_date".to_owned(), "required".to_owned())]
    );

    // A complete complaint is received with a code and a tracking link.
    let (status, created) =
        json(app.post(None, "/api/v1/public/tickets", &complaint()).await).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let code = created["code"].as_str().unwrap().to_owned();
    assert_eq!(code, "HT-2026-000001");
    assert_eq!(created["department"], "customer");
    let tracking_url = created["tracking_url"].as_str().unwrap();
    assert!(tracking_url.starts_with(&app.base), "{tracking_url}");

    // RT-4: staff of another department get 404, as for a ticket that does not exist.
    let path = format!("/api/v1/tickets/{code}");
    assert_eq!(
        app.get(Some(&app.sales), &path).await.status(),
        StatusCode::NOT_FOUND
    );
    let take = format!("{path}/take");
    assert_eq!(
        app.post(Some(&app.sales), &take, &json!({})).await.status(),
        StatusCode::NOT_FOUND
    );

    // The owning department's agent takes it.
    let (status, taken) = json(app.post(Some(&app.care), &take, &json!({})).await).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    assert_eq!(taken["events"], json!(["taken"]));

    // RP-2: a reply without the greeting is refused with the rule's name.
    let replies = format!("{path}/replies");
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &replies,
            &json!({ "body": "Chào anh An, chúng tôi đã xử lý." }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rules(&body),
        [("body".to_owned(), "reply.greeting".to_owned())]
    );
    assert!(
        body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Kính thưa quý khách"),
        "{body}"
    );

    // With the greeting it is accepted and appears in the timeline.
    let answer = json!({
        "body": "Kính thưa quý khách, website đã hoạt động trở lại từ 9 giờ sáng nay.",
        "status": "answered",
        "meeting": { "at": "2026-11-25T09:00:00+07:00", "place": "Văn phòng 12 Lê Lợi, Quận 1" }
    });
    let (status, body) = json(app.post(Some(&app.care), &replies, &answer).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["events"],
        json!(["replied", "meeting_invited", "status_changed"])
    );
    let note = json!({ "body": "Khách hàng VIP, đã gọi điện xác nhận." });
    assert_eq!(
        app.post(Some(&app.care), &format!("{path}/notes"), &note)
            .await
            .status(),
        StatusCode::CREATED
    );
    let (status, ticket) = json(app.get(Some(&app.care), &path).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ticket["status"], "answered");
    assert_eq!(ticket["assignee"]["name"], "NV lan@example.vn");
    assert_eq!(ticket["customer"]["phone"], "0903123456");
    let types: Vec<&str> = ticket["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "received",
            "taken",
            "replied",
            "meeting_invited",
            "status_changed",
            "note_added"
        ]
    );

    // TR-2: the customer sees the answer, never the internal note or who handled it.
    let secret = created["tracking_secret"].as_str().unwrap();
    assert!(
        tracking_url.ends_with(&format!("/track/{code}?secret={secret}")),
        "{tracking_url}"
    );
    let api_view = format!("/api/v1/public/tickets/{code}?secret={secret}");
    let (status, tracked) = json(app.get(None, &api_view).await).await;
    assert_eq!(status, StatusCode::OK, "{tracked}");
    let text = tracked.to_string();
    assert!(text.contains("website đã hoạt động trở lại"));
    assert!(!text.contains("VIP") && !text.contains("lan@example.vn") && !text.contains("NV "));
    assert_eq!(tracked["department"], "Phòng khách hàng");
    let wrong = format!("/api/v1/public/tickets/{code}?secret=0000");
    assert_eq!(app.get(None, &wrong).await.status(), StatusCode::NOT_FOUND);
    let missing = format!("/api/v1/public/tickets/{code}");
    assert_eq!(
        app.get(None, &missing).await.status(),
        StatusCode::NOT_FOUND
    );

    // CP-1: the customer disputes; an illegal move is a 409 naming both statuses.
    let status_path = format!("{path}/status");
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &status_path,
            &json!({ "status": "referred_external", "reason": "x" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        (body["error"]["from"].as_str(), body["error"]["to"].as_str()),
        (Some("answered"), Some("referred_external"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("answered")
    );
    let (status, _) = json(
        app.post(
            Some(&app.care),
            &status_path,
            &json!({ "status": "disputed" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, round2) = json(
        app.post(
            Some(&app.care),
            &status_path,
            &json!({ "status": "in_progress" }),
        )
        .await,
    )
    .await;
    assert_eq!(round2["complaint_round"], 2);
    // CP-2: resolving a complaint records its outcome.
    let resolve =
        json!({ "status": "resolved", "outcome": { "kind": "refund", "amount": 1500000 } });
    let (status, body) = json(app.post(Some(&app.care), &status_path, &resolve).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["events"],
        json!(["outcome_recorded", "status_changed"])
    );

    // SC-3: the history verifies.
    let report = app.store.verify_chains().await.unwrap();
    assert!(report.broken.is_empty(), "{report:?}");
}
on_both_backends!(complaint_story);

async fn queue_order_and_priority(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (first, _) = file_complaint(&app).await;
    let (second, _) = file_complaint(&app).await;
    let (third, _) = file_complaint(&app).await;
    // QF-1: a priority change needs a reason, and is the only way to move up.
    let priority = format!("/api/v1/tickets/{third}/priority");
    let (status, body) = json(
        app.post(Some(&app.care), &priority, &json!({ "priority": "urgent" }))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rules(&body), [("reason".to_owned(), "required".to_owned())]);
    let (status, _) = json(
        app.post(
            Some(&app.care),
            &priority,
            &json!({ "priority": "urgent", "reason": "Mất dịch vụ" }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, queue) = json(app.get(Some(&app.care), "/api/v1/queue").await).await;
    assert_eq!(status, StatusCode::OK);
    let codes: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [third.as_str(), first.as_str(), second.as_str()]);
    // Paging continues in the same order.
    let (_, page) = json(app.get(Some(&app.care), "/api/v1/queue?limit=2").await).await;
    let next = page["next"].as_str().unwrap();
    let (_, rest) = json(
        app.get(
            Some(&app.care),
            &format!("/api/v1/queue?limit=2&after={next}"),
        )
        .await,
    )
    .await;
    assert_eq!(rest["items"][0]["code"], second);
    // The sales queue is empty; peeking at another department's queue is 404; admins may.
    let (_, sales_queue) = json(app.get(Some(&app.sales), "/api/v1/queue").await).await;
    assert_eq!(sales_queue["items"], json!([]));
    assert_eq!(
        app.get(Some(&app.sales), "/api/v1/queue?department=customer")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (_, all) = json(
        app.get(Some(&app.admin), "/api/v1/queue?department=customer")
            .await,
    )
    .await;
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    // RT-4: a transfer moves the ticket into the other department's queue, recorded.
    let transfer = json!({ "department": "sales", "reason": "Liên quan hóa đơn" });
    let (status, body) = json(
        app.post(
            Some(&app.care),
            &format!("/api/v1/tickets/{first}/transfer"),
            &transfer,
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, sales_queue) = json(app.get(Some(&app.sales), "/api/v1/queue").await).await;
    assert_eq!(sales_queue["items"][0]["code"], first);
    assert_eq!(
        app.get(Some(&app.care), &format!("/api/v1/tickets/{first}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
on_both_backends!(queue_order_and_priority);

async fn staff_intake_on_behalf(postgres: bool) {
    let app = spawn_app(postgres).await;
    // CH-4: a walk-in is recorded by staff, naming the channel; the public form refuses it.
    let walk_in = json!({
        "kind": "request",
        "channel": "walk_in",
        "customer": { "name": "Trần Thị Bình", "address": "45 Hai Bà Trưng, Hà Nội" },
        "subject": "In lại hợp đồng",
        "description": "Khách đến văn phòng đề nghị in lại hợp đồng số 12/2026.",
        "topic": "contract_transfer"
    });
    let (status, body) = json(app.post(None, "/api/v1/public/tickets", &walk_in).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        rules(&body).contains(&("channel".to_owned(), "channel.staff_only".to_owned())),
        "{body}"
    );
    assert_eq!(
        app.post(None, "/api/v1/tickets", &walk_in).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, created) = json(
        app.post(Some(&app.sales), "/api/v1/tickets", &walk_in)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["department"], "customer");
    let code = created["code"].as_str().unwrap();
    let (_, ticket) = json(
        app.get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    assert_eq!(ticket["channel"], "walk_in");
    assert_eq!(ticket["timeline"][0]["actor"]["type"], "staff");
    // RP-2 on e-mail: an e-mail answer ends with the closing.
    let email_ticket = json!({
        "kind": "request", "channel": "email",
        "customer": { "name": "Lê Văn Cường", "email": "cuong@example.vn" },
        "subject": "Cấu hình mail", "description": "Không gửi được thư.", "topic": "mail_account"
    });
    let (_, created) = json(
        app.post(Some(&app.sales), "/api/v1/tickets", &email_ticket)
            .await,
    )
    .await;
    let replies = format!(
        "/api/v1/tickets/{}/replies",
        created["code"].as_str().unwrap()
    );
    let (status, body) = json(
        app.post(
            Some(&app.sales),
            &replies,
            &json!({ "body": "Kính thưa quý khách, đã cấu hình xong." }),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rules(&body),
        [("body".to_owned(), "reply.closing".to_owned())]
    );
    let good = "Kính thưa quý khách, đã cấu hình xong.\n\nCám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi.";
    assert_eq!(
        app.post(Some(&app.sales), &replies, &json!({ "body": good }))
            .await
            .status(),
        StatusCode::CREATED
    );
}
on_both_backends!(staff_intake_on_behalf);
