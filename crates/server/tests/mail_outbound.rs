//! Mail out against a real SMTP server on loopback (aiosmtpd with `scripts/smtp_sink`), on
//! SQLite and PostgreSQL (TR-1, TR-3, RP-2, CH-1): the confirmation arrives with the code and
//! the tracking link; the agent's e-mail reply arrives with greeting and closing, threaded
//! (Message-ID, In-Reply-To, References, the code in the subject), and the customer's answer
//! to it joins the same ticket; an outage (451) during a burst of notices loses none and sends
//! none twice; a permanent refusal and the retry limit mark mails failed.

mod common;

use common::sink::{Sink, header, parsed};
use common::*;
use hotro_app::mail::send::{Pass, send_due};
use hotro_store::RetryPolicy;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::json;

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

async fn ingest(app: &TestApp, raw: String) -> String {
    post_inbound(app, raw).await.0
}

async fn confirmation_reply_and_thread(postgres: bool) {
    let app = spawn_app(postgres).await;
    let sink = Sink::start().await;
    let sender = sink.sender();
    let retry = RetryPolicy::default();

    // TR-1: a web complaint with an e-mail address gets its confirmation.
    let (web_code, secret) = file_complaint(&app).await;
    // A customer writes by mail.
    let code = ingest(
        &app,
        "From: Lê Thị Cúc <cuc@example.vn>\r\nSubject: Hóa đơn tháng 11 sai\r\n\
         Message-ID: <cuc-1@example.vn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Hóa đơn tháng 11 tính sai số tiền.\r\n"
            .into(),
    )
    .await;
    let pass = send_due(&app.store, &sender, retry, now()).await.unwrap();
    assert_eq!(pass.sent, 2, "{pass:?}");
    let got = sink.messages();
    assert_eq!(got.len(), 2);
    let web = got
        .iter()
        .find(|m| m.contains(&web_code))
        .expect("web confirmation");
    let web = parsed(web);
    assert_eq!(web.to[0].address, "an@example.vn");
    assert!(web.subject.as_deref().unwrap().contains(&web_code));
    let text = web.text_body.unwrap();
    assert!(
        text.contains(&format!("/track/{web_code}?secret={secret}")),
        "{text}"
    );
    assert!(text.starts_with("Kính thưa quý khách"), "{text}");
    let mail = got
        .iter()
        .find(|m| m.contains(&code))
        .expect("mail confirmation");
    assert_eq!(header(mail, "Auto-Submitted"), Some("auto-generated"));
    assert_eq!(header(mail, "In-Reply-To"), Some("<cuc-1@example.vn>"));

    // Nothing is sent twice, however often the worker runs.
    let later = now() + SignedDuration::from_hours(2);
    assert_eq!(
        send_due(&app.store, &sender, retry, later).await.unwrap(),
        Pass::default()
    );
    assert_eq!(sink.messages().len(), 2);

    // RP-2: the agent's e-mail reply needs the closing; then it goes out threaded.
    let department = app.store.thread_by_code(&code).await.unwrap().unwrap();
    assert_eq!(department.code, code);
    let path = format!("/api/v1/tickets/{code}");
    assert_eq!(
        app.post(Some(&app.admin), &format!("{path}/take"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let no_closing = json!({ "body": "Kính thưa quý khách, chúng tôi đã sửa hóa đơn." });
    let (status, body) = json(
        app.post(Some(&app.admin), &format!("{path}/replies"), &no_closing)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let reply = json!({ "body": "Kính thưa quý khách,\n\nChúng tôi đã sửa hóa đơn tháng 11.\n\n\
        Cám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi" });
    let (status, body) = json(
        app.post(Some(&app.admin), &format!("{path}/replies"), &reply)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let pass = send_due(&app.store, &sender, retry, later).await.unwrap();
    assert_eq!(pass.sent, 1);
    let got = sink.messages();
    let answer = got.last().unwrap();
    assert_eq!(header(answer, "In-Reply-To"), Some("<cuc-1@example.vn>"));
    let answer = parsed(answer);
    assert!(
        answer.references.iter().any(|r| r == "cuc-1@example.vn"),
        "{answer:?}"
    );
    assert!(
        answer
            .subject
            .as_deref()
            .unwrap()
            .contains(&format!("[{code}]"))
    );
    assert_eq!(answer.to[0].address, "cuc@example.vn");
    let text = answer.text_body.unwrap();
    assert!(text.starts_with("Kính thưa quý khách"));
    assert!(text.trim_end().ends_with("dịch vụ của chúng tôi"), "{text}");

    // CH-1: the customer's answer to that reply threads into the same ticket.
    let answer_id = answer.message_id.unwrap();
    let again = ingest(
        &app,
        format!(
            "From: cuc@example.vn\r\nSubject: Re: hóa đơn\r\nMessage-ID: <cuc-2@example.vn>\r\n\
             In-Reply-To: <{answer_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Cảm ơn, đã nhận.\r\n"
        ),
    )
    .await;
    assert_eq!(again, code);
}
on_both_backends!(confirmation_reply_and_thread);

async fn outage_then_recovery(postgres: bool) {
    let app = spawn_app(postgres).await;
    let sink = Sink::start().await;
    let sender = sink.sender();
    let retry = RetryPolicy::default();

    // A burst of notices while the SMTP server answers 451.
    sink.outage(true);
    let mut codes = Vec::new();
    for i in 0..4 {
        let code = ingest(
            &app,
            format!(
                "From: khach{i}@example.vn\r\nSubject: Yêu cầu {i}\r\nMessage-ID: <burst-{i}@example.vn>\r\n\
                 Content-Type: text/plain; charset=utf-8\r\n\r\nNội dung {i}.\r\n"
            ),
        )
        .await;
        codes.push(code);
    }
    let pass = send_due(&app.store, &sender, retry, now()).await.unwrap();
    assert_eq!(pass.retrying, 4, "{pass:?}");
    assert!(sink.messages().is_empty());
    let rows = app.store.outbox().await.unwrap();
    assert!(rows.iter().all(|r| r.attempts == 1 && r.sent_at.is_none()));
    assert!(
        rows[0].last_error.as_deref().unwrap().contains("451"),
        "{rows:?}"
    );

    // Recovered, but the backoff has not passed: nothing yet.
    sink.outage(false);
    assert_eq!(
        send_due(&app.store, &sender, retry, now()).await.unwrap(),
        Pass::default()
    );
    // After the backoff every notice goes out exactly once.
    let later = now() + SignedDuration::from_mins(5);
    let pass = send_due(&app.store, &sender, retry, later).await.unwrap();
    assert_eq!(pass.sent, 4, "{pass:?}");
    let later = later + SignedDuration::from_hours(3);
    assert_eq!(
        send_due(&app.store, &sender, retry, later).await.unwrap(),
        Pass::default()
    );
    let got = sink.messages();
    assert_eq!(got.len(), 4);
    for code in &codes {
        assert_eq!(got.iter().filter(|m| m.contains(code.as_str())).count(), 1);
    }

    // TR-3: past the retry limit a mail is marked failed for an agent to see.
    sink.outage(true);
    ingest(
        &app,
        "From: cuoi@example.vn\r\nSubject: Cuối\r\nMessage-ID: <last@example.vn>\r\n\r\nx\r\n"
            .into(),
    )
    .await;
    let short = RetryPolicy {
        max_attempts: 2,
        ..RetryPolicy::default()
    };
    let mut at = later;
    let mut failed = 0;
    for _ in 0..3 {
        failed += send_due(&app.store, &sender, short, at)
            .await
            .unwrap()
            .failed;
        at += SignedDuration::from_hours(2);
    }
    assert_eq!(failed, 1);
    let last = app.store.outbox().await.unwrap().pop().unwrap();
    assert!(
        last.failed_at.is_some() && last.sent_at.is_none(),
        "{last:?}"
    );
    assert_eq!(last.attempts, 2);
}
on_both_backends!(outage_then_recovery);
