//! CH-3 / SC-4: the chat widget's first request answers bad input clearly, allows any site
//! to read the answer (CORS), and a good first message becomes a chat ticket.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;

async fn chat_start_input(postgres: bool) {
    let app = spawn_app(postgres).await;
    let start = app.url("/chat/start");
    let send = |body: String| {
        app.client
            .post(&start)
            .header("content-type", "text/plain")
            .body(body)
            .send()
    };

    let r = send("{not json".into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");

    let (status, body) = json(
        send(json!({ "message": "Xin chào" }).to_string())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "customer.name");

    let huge = json!({ "name": "A", "message": "x".repeat(200 * 1024) }).to_string();
    assert_eq!(
        send(huge).await.unwrap().status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );

    let (status, body) = json(
        send(json!({ "name": "Võ Thị Hạnh", "message": "Gói hosting giá bao nhiêu?" }).to_string())
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let code = body["code"].as_str().unwrap();
    let (_, ticket) = json(
        app.get(Some(&app.admin), &format!("/api/v1/tickets/{code}"))
            .await,
    )
    .await;
    assert_eq!(ticket["channel"], "chat");
    assert_eq!(ticket["customer"]["email"], serde_json::Value::Null);
}
on_both_backends!(chat_start_input);
