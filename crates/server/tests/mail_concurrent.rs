//! The same message arriving several times at once — two IMAP pollers, an MTA retrying while
//! the first delivery is still being written, two nodes on one PostgreSQL — is stored once
//! (issue 4, CH-7): one ticket, one confirmation, every copy's raw bytes kept and pointing to
//! that ticket.

mod common;

use common::*;
use hotro_app::mail::inbox::{self, Outcome};
use hotro_app::{App, Clock, Settings};
use hotro_core::Policy;
use hotro_store::{Location, Store};
use jiff::Timestamp;

/// Copies of one message that differ in their bytes (each relay adds its own `Received`
/// line), so only the `Message-ID` says they are the same.
fn copy(relay: usize) -> String {
    format!(
        "Received: from relay{relay}.example.vn by mx.congty.vn\r\n\
         From: Trần Thị Bích <bich@example.vn>\r\nSubject: Không đăng nhập được\r\n\
         Message-ID: <same-message@example.vn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Tôi không đăng nhập được vào hệ thống từ sáng nay.\r\n"
    )
}

async fn same_message_id_at_once_is_stored_once(postgres: bool) {
    let app = spawn_app(postgres).await;
    let copies = 8;
    let posts = (0..copies).map(|relay| post_inbound(&app, copy(relay)));
    let mut outcomes = Vec::new();
    let mut codes = Vec::new();
    for (code, outcome) in futures_util::future::join_all(posts).await {
        outcomes.push(outcome);
        codes.push(code);
    }
    outcomes.sort();
    let mut expected = vec!["duplicate".to_owned(); copies - 1];
    expected.push("new".into());
    assert_eq!(outcomes, expected);
    codes.dedup();
    assert_eq!(codes.len(), 1, "every copy points to one ticket: {codes:?}");
    let outbox = app.store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1, "one confirmation: {outbox:?}");
    // Every copy's bytes are kept, recorded against that one ticket.
    for relay in 0..copies {
        let sha = hotro_core::attachment::sha256_hex(copy(relay).as_bytes());
        let (code, _) = app.store.raw_mail_outcome(&sha).await.unwrap().unwrap();
        assert_eq!(code, codes[0]);
    }
}
on_both_backends!(same_message_id_at_once_is_stored_once);

/// Two nodes — two stores on one PostgreSQL database, as two `hotro serve` processes behind a
/// load balancer — take in copies of one message at the same time: one ticket.
#[tokio::test]
async fn two_nodes_on_postgres_store_a_message_once() {
    let url = hotro_testkit::fresh_postgres_url().await;
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let store = Store::open(&Location::Url(url.clone())).await.unwrap();
        let now: Timestamp = NOW.parse().unwrap();
        nodes.push(App::new(
            store,
            Policy::builtin(),
            Clock::from_fn(move || now),
            Settings::default(),
        ));
    }
    let copies = 8;
    let work = (0..copies).map(|relay| {
        let node = nodes[relay % 2].clone();
        async move {
            inbox::ingest(&node, copy(relay).into_bytes())
                .await
                .unwrap()
        }
    });
    let done = futures_util::future::join_all(work).await;
    let new = done.iter().filter(|d| d.outcome == Outcome::New).count();
    assert_eq!(new, 1, "{done:?}");
    assert!(done.iter().all(|d| d.code == done[0].code), "{done:?}");
    assert_eq!(nodes[0].store.outbox().await.unwrap().len(), 1);
}
