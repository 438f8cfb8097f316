//! Mail intake throughput (issue 4: at least 2,000 messages per second): distinct messages
//! taken in through the pipeline every inbound path shares (`inbox::ingest`: raw stored first,
//! parsed, a ticket opened, its confirmation queued), once called directly — what `hotro mail
//! ingest` does per message, without the process start — and once over
//! `POST /api/v1/mail/inbound`, each with many messages in flight, as an MTA or a gateway
//! delivers them. It reports messages per second; it asserts nothing about time.
//!
//!   cargo bench -p hotro-server --bench mail_intake            # SQLite in a temp dir
//!   HOTRO_BENCH_DATABASE_URL=postgres://… cargo bench -p hotro-server --bench mail_intake
//!
//! HOTRO_BENCH_MESSAGES (default 4000) and HOTRO_BENCH_CONCURRENCY (default 64) size a run.

use futures_util::StreamExt;
use hotro_app::mail::inbox;
use hotro_core::{Policy, Role};
use hotro_server::{App, AppState, Clock, ServerConfig, Settings, auth};
use hotro_store::{Location, NewStaff, Store};
use std::time::Instant;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A customer's mail of a realistic size (about 1.5 KB): UTF-8 Vietnamese, a quoted earlier
/// message, the headers a relay adds.
fn message(run: &str, i: usize) -> Vec<u8> {
    format!(
        "Received: from mx{i}.example.vn by mail.congty.vn; Sun, 22 Nov 2026 09:00:00 +0700\r\n\
         From: Khách hàng {i} <khach{i}.{run}@example.vn>\r\nTo: hotro@congty.vn\r\n\
         Subject: =?UTF-8?B?{subject}?=\r\nDate: Sun, 22 Nov 2026 09:00:00 +0700\r\n\
         Message-ID: <{run}-{i}@example.vn>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         Kính gửi bộ phận hỗ trợ,\r\n\r\nTừ sáng nay website của công ty tôi không truy cập được, \
         trang chủ báo lỗi 502. Tôi đã thử xóa bộ nhớ đệm và dùng trình duyệt khác nhưng vẫn \
         không được. Xin kiểm tra giúp tên miền và hosting của chúng tôi.\r\n\r\n\
         Mã khách hàng: KH-{i:05}\r\nĐiện thoại: 0903 123 456\r\n\r\nTrân trọng,\r\nKhách hàng {i}\r\n\r\n\
         On Sat, 21 Nov 2026, hotro@congty.vn wrote:\r\n> Kính thưa quý khách,\r\n\
         > Chúng tôi đã nhận được yêu cầu của quý khách.\r\n> Cám ơn quý khách.\r\n",
        subject = "V2Vic2l0ZSBraMO0bmcgdHJ1eSBj4bqtcCDEkcaw4bujYw==",
    )
    .into_bytes()
}

async fn open_store() -> (Store, Option<tempfile::TempDir>, &'static str) {
    match std::env::var("HOTRO_BENCH_DATABASE_URL") {
        Ok(url) => {
            let backend = if url.starts_with("sqlite:") {
                "SQLite (WAL, synchronous=FULL), a given store"
            } else {
                "PostgreSQL"
            };
            let store = Store::open(&Location::Url(url)).await.expect("store opens");
            (store, None, backend)
        }
        Err(_) => {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = Store::open(&Location::DataDir(dir.path().to_owned()))
                .await
                .expect("store opens");
            (store, Some(dir), "SQLite (WAL, synchronous=FULL)")
        }
    }
}

fn report(path: &str, n: usize, started: Instant) {
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{path:<40} {n:>6} messages in {secs:>7.2} s = {:>7.0} messages/s",
        n as f64 / secs
    );
}

#[tokio::main]
async fn main() {
    let n = env_number("HOTRO_BENCH_MESSAGES", 4000);
    let concurrency = env_number("HOTRO_BENCH_CONCURRENCY", 64);
    let (store, _dir, backend) = open_store().await;
    // Each run its own message ids, so a reused PostgreSQL database measures new mail, not
    // duplicates.
    let run = format!("{}", jiff::Timestamp::now().as_millisecond());
    let app = App::new(
        store.clone(),
        Policy::builtin(),
        Clock::system(),
        Settings::default(),
    );
    let state = AppState::new(
        app,
        ServerConfig {
            public_per_minute: 0,
            ..ServerConfig::default()
        },
    );
    println!("mail intake on {backend}, {concurrency} in flight");

    // The pipeline as the MTA pipe and IMAP polling call it.
    let mails: Vec<Vec<u8>> = (0..n).map(|i| message(&format!("{run}p"), i)).collect();
    let started = Instant::now();
    futures_util::stream::iter(mails)
        .map(|raw| {
            let state = state.clone();
            tokio::spawn(async move { inbox::ingest(&state, raw).await.expect("stored") })
        })
        .buffer_unordered(concurrency)
        .for_each(|done| async move {
            done.expect("task");
        })
        .await;
    report("inbox::ingest (pipe, IMAP)", n, started);

    // The same over HTTP, with a real mail-intake token (the only kind the route takes),
    // through the whole router.
    let staff = store
        .add_staff(
            NewStaff {
                email: format!("bench.{run}@example.vn"),
                name: "Bench".into(),
                department: "other".into(),
                role: Role::Admin,
                password_hash: auth::hash_password("benchmark-password").expect("hash"),
            },
            jiff::Timestamp::now(),
        )
        .await
        .expect("staff");
    let (token, hash) = auth::new_api_token();
    store
        .add_token_with(
            hotro_store::NewToken {
                staff_id: staff.id,
                token_hash: hash,
                label: "bench".into(),
                scope: hotro_core::TokenScope::MailInbound,
                expires_at: None,
            },
            jiff::Timestamp::now(),
        )
        .await
        .expect("token");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let url = format!(
        "http://{}/api/v1/mail/inbound",
        listener.local_addr().unwrap()
    );
    tokio::spawn(hotro_server::serve(listener, state.clone()));
    let client = reqwest::Client::new();
    let mails: Vec<Vec<u8>> = (0..n).map(|i| message(&format!("{run}h"), i)).collect();
    let started = Instant::now();
    futures_util::stream::iter(mails)
        .map(|raw| {
            client
                .post(&url)
                .bearer_auth(&token)
                .header("content-type", "message/rfc822")
                .body(raw)
                .send()
        })
        .buffer_unordered(concurrency)
        .for_each(|r| async move {
            let status = r.expect("response").status();
            assert_eq!(status, reqwest::StatusCode::ACCEPTED);
        })
        .await;
    report("POST /api/v1/mail/inbound (HTTP)", n, started);
}
