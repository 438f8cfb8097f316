//! RP-3: a department asks another for input without a transfer; the department asked sees
//! the question (not the ticket) and answers; the answer is internal information.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn rp3_consultation(postgres: bool) {
    let app = spawn_app(postgres).await;
    let (code, secret) = file_complaint(&app).await;
    let ask = json!({ "department": "sales", "question": "Hóa đơn tháng 10 đã xuất chưa?" });
    let path = format!("/api/v1/tickets/{code}/consultations");
    // Only the owning department asks.
    assert_eq!(
        app.post(Some(&app.sales), &path, &ask).await.status(),
        StatusCode::NOT_FOUND
    );
    let (status, body) = json(app.post(Some(&app.care), &path, &ask).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["department"], "customer", "no transfer");
    // The department asked sees the question — and still not the ticket.
    let (_, waiting) = json(app.get(Some(&app.sales), "/api/v1/consultations").await).await;
    assert_eq!(waiting[0]["code"], code);
    assert_eq!(waiting[0]["question"], "Hóa đơn tháng 10 đã xuất chưa?");
    assert_eq!(
        app.get(Some(&app.sales), &format!("/api/v1/tickets/{code}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let (_, none) = json(app.get(Some(&app.care), "/api/v1/consultations").await).await;
    assert_eq!(none, json!([]));
    // It answers; a second answer is a conflict; the owner sees the answer in the timeline.
    let answer = format!("{path}/1/answer");
    let reply = json!({ "answer": "Đã xuất ngày 05/11, số 0012." });
    let (status, body) = json(app.post(Some(&app.sales), &answer, &reply).await).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        app.post(Some(&app.sales), &answer, &reply).await.status(),
        StatusCode::CONFLICT
    );
    let (_, waiting) = json(app.get(Some(&app.sales), "/api/v1/consultations").await).await;
    assert_eq!(waiting, json!([]));
    let (_, ticket) = json(
        app.get(Some(&app.care), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    let text = ticket["timeline"].to_string();
    assert!(
        text.contains("consultation_answered") && text.contains("số 0012"),
        "{text}"
    );
    // Never shown to the customer.
    let (_, tracked) = json(
        app.get(
            None,
            &format!("/api/v1/public/tickets/{code}?secret={secret}"),
        )
        .await,
    )
    .await;
    assert!(!tracked.to_string().contains("0012"));
}
on_both_backends!(rp3_consultation);
