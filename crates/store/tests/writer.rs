//! The write path's batches (issue 6, SE-1): a command that fails after writing a message
//! leaves nothing of it in the search index, the command beside it in the same batch is kept
//! and found, and the message id the failed one gave back is used again without a clash.
//! On SQLite index rows wait for the end of the batch (`Tx::at_commit`), so a failed job
//! must take its own with it; PostgreSQL runs the same story.

use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::search::SearchQuery;
use hotro_core::{Actor, Policy, Role, StaffMember};
use hotro_store::{Extras, InboundMail, NewStaff, SearchFilter, SearchRequest, Store, StoreError};
use jiff::Timestamp;
use std::sync::Arc;

mod common;
use common::TestDb;

fn now() -> Timestamp {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

fn ticket(policy: &Policy, subject: &str) -> hotro_core::intake::Intake {
    let input = NewTicket {
        kind: Some("request".into()),
        customer_name: Some("Trần Thị Mai".into()),
        customer_email: Some("mai@example.vn".into()),
        subject: Some(subject.into()),
        description: Some("Xin hỗ trợ.".into()),
        channel: Some("email".into()),
        ..NewTicket::default()
    };
    intake::validate(&input, Source::Staff, policy, now()).unwrap()
}

/// The extras of a ticket made from a mail with this `Message-ID`.
fn from_mail(message_id: &str, sha: &str) -> Extras {
    Extras {
        inbound: Some(InboundMail {
            raw_sha256: sha.into(),
            message_id: Some(message_id.into()),
            outcome: "new".into(),
            reused_id: false,
        }),
        ..Extras::default()
    }
}

async fn found(store: &Store, admin: &StaffMember, words: &str) -> Vec<String> {
    let request = SearchRequest {
        query: SearchQuery::parse("q", words).unwrap(),
        filter: SearchFilter::default(),
        limit: 20,
        offset: 0,
    };
    let page = store.search(admin, &request).await.unwrap();
    page.hits.into_iter().map(|h| h.code).collect()
}

async fn failed_command_leaves_no_index_rows(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    store.record_policy(policy.clone(), now()).await.unwrap();
    let admin = store
        .add_staff(
            NewStaff {
                email: "admin@hotro.test".into(),
                name: "Quản trị".into(),
                department: "other".into(),
                role: Role::Admin,
                password_hash: "$argon2id$test".into(),
            },
            now(),
        )
        .await
        .unwrap();
    let receive = |subject: &str, extras: Extras| {
        let store = store.clone();
        let intake = ticket(&policy, subject);
        async move {
            store
                .receive_with(
                    intake,
                    Actor::Customer,
                    "HT".into(),
                    "h".into(),
                    now(),
                    extras,
                )
                .await
        }
    };
    receive("Máy giặt kêu to", from_mail("<m1@example.vn>", "a"))
        .await
        .unwrap();

    // The same mail again fails after its ticket and message are written (the Message-ID is
    // taken), beside a command that succeeds; sent together they share a batch on SQLite.
    let (copy, other) = tokio::join!(
        receive("Ngựa vằn sọc đen", from_mail("<m1@example.vn>", "b")),
        receive("Hươu cao cổ", Extras::default()),
    );
    assert!(
        matches!(copy, Err(StoreError::Duplicate(_))),
        "the copy is refused: {copy:?}"
    );
    let other = other.unwrap();
    assert_eq!(
        found(&store, &admin, "ngua van").await,
        Vec::<String>::new()
    );
    assert_eq!(found(&store, &admin, "huou cao co").await, vec![other.code]);

    // Message ids given back by the rollback are used again; their index rows do not clash.
    let next = receive("Voi rừng Tây Nguyên", Extras::default())
        .await
        .unwrap();
    assert_eq!(found(&store, &admin, "voi rung").await, vec![next.code]);
    assert_eq!(
        found(&store, &admin, "ngua van").await,
        Vec::<String>::new()
    );
    let audit = store.verify_chains().await.unwrap();
    assert!(audit.broken.is_empty(), "{audit:?}");
    assert_eq!(audit.tickets, 3);
}

#[tokio::test]
async fn failed_command_leaves_no_index_rows_sqlite() {
    failed_command_leaves_no_index_rows(false).await;
}

#[tokio::test]
async fn failed_command_leaves_no_index_rows_postgres() {
    failed_command_leaves_no_index_rows(true).await;
}
