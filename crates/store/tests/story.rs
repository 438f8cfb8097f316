//! The store's story, run on SQLite and on PostgreSQL alike: intake, department scoping
//! (RT-4), queue order (QF-1), replies and their rules (RP-2), transfers, group commit,
//! and the tamper-evident log (SC-3).
//!
//! One file on purpose: the store's story told in order, run on both backends.

use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::ticket::StatusChange;
use hotro_core::{Actor, Command, Event, Policy, Priority, Rejection, Role, StaffMember, Status};
use hotro_store::{NewStaff, QueueQuery, Store, StoreError};
use jiff::Timestamp;
use std::sync::Arc;

mod common;
use common::TestDb;

fn now() -> Timestamp {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

fn complaint(name: &str, email: &str) -> NewTicket {
    NewTicket {
        kind: Some("complaint".into()),
        customer_name: Some(name.into()),
        customer_email: Some(email.into()),
        subject: Some("Hosting ngừng hoạt động".into()),
        description: Some("Website của tôi không truy cập được từ ngày 10/11.".into()),
        incident_date: Some("2026-11-10".into()),
        complaint_category: Some("service_quality".into()),
        ..NewTicket::default()
    }
}

async fn staff(store: &Store, email: &str, department: &str, role: Role) -> StaffMember {
    store
        .add_staff(
            NewStaff {
                email: email.into(),
                name: format!("Nhân viên {email}"),
                department: department.into(),
                role,
                password_hash: "$argon2id$test".into(),
            },
            now(),
        )
        .await
        .unwrap()
}

async fn receive(store: &Store, input: NewTicket, at: Timestamp) -> String {
    let policy = Policy::builtin();
    let intake = intake::validate(&input, Source::Public, &policy, at).unwrap();
    store
        .receive(
            intake,
            Actor::Customer,
            "HT".into(),
            "secret-hash".into(),
            at,
        )
        .await
        .unwrap()
        .code
}

fn reply(body: &str) -> Command {
    Command::Reply {
        body: body.into(),
        channel: None,
        then: None,
        outcome: None,
    }
}

async fn story(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    let care = staff(&store, "lan@example.vn", "customer", Role::Agent).await;
    let sales = staff(&store, "minh@example.vn", "sales", Role::Agent).await;
    let admin = staff(&store, "admin@example.vn", "other", Role::Admin).await;
    assert!(matches!(
        store
            .add_staff(
                NewStaff {
                    email: "lan@example.vn".into(),
                    name: "x".into(),
                    department: "sales".into(),
                    role: Role::Agent,
                    password_hash: "x".into()
                },
                now()
            )
            .await,
        Err(StoreError::Duplicate("staff.email"))
    ));

    // Intake: codes follow the policy prefix, the year and a sequence.
    let mut feed = store.subscribe();
    let code = receive(&store, complaint("Nguyễn Văn An", "an@example.vn"), now()).await;
    assert_eq!(code, "HT-2026-000001");
    // Live views hear of each committed change.
    let change = feed.try_recv().unwrap();
    assert_eq!(
        (change.code.as_str(), change.departments),
        (code.as_str(), vec!["customer".to_owned()])
    );

    // RT-4: another department's staff see nothing and can do nothing.
    assert!(matches!(
        store.ticket_view(&sales, &code).await,
        Err(StoreError::NotFound)
    ));
    let take = store
        .execute(&sales, &code, Command::Take, policy.clone(), now())
        .await;
    assert!(matches!(take, Err(StoreError::NotFound)), "{take:?}");
    assert!(
        store
            .queue(
                &sales,
                &QueueQuery {
                    limit: 50,
                    ..Default::default()
                }
            )
            .await
            .unwrap()
            .is_empty()
    );
    let peek = QueueQuery {
        department: Some("customer".into()),
        limit: 50,
        ..Default::default()
    };
    assert!(matches!(
        store.queue(&sales, &peek).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.queue(&admin, &peek).await.unwrap().len(), 1);

    // The owning department takes it and answers; the greeting rule holds (RP-2).
    store
        .execute(&care, &code, Command::Take, policy.clone(), now())
        .await
        .unwrap();
    let refused = store
        .execute(&care, &code, reply("Chào anh An"), policy.clone(), now())
        .await;
    match refused {
        Err(StoreError::Rejected(Rejection::Invalid(fields))) => {
            assert_eq!(fields[0].rule, "reply.greeting")
        }
        other => panic!("expected reply.greeting, got {other:?}"),
    }
    let answer = Command::Reply {
        body: "Kính thưa quý khách, chúng tôi đã khôi phục dịch vụ.".into(),
        channel: None,
        then: Some(StatusChange::to(Status::Answered)),
        outcome: None,
    };
    store
        .execute(&care, &code, answer, policy.clone(), now())
        .await
        .unwrap();
    let view = store.ticket_view(&care, &code).await.unwrap();
    assert_eq!(view.ticket.status, Status::Answered);
    assert_eq!(view.ticket.assignee, Some(care.id));
    assert_eq!(
        view.assignee_name.as_deref(),
        Some("Nhân viên lan@example.vn")
    );
    let kinds: Vec<&str> = view.timeline.iter().map(|e| e.event.type_name()).collect();
    assert_eq!(kinds, ["received", "taken", "replied", "status_changed"]);

    // QF-1: queue order is priority, then time received; a priority change needs a reason.
    let later = now() + jiff::SignedDuration::from_mins(5);
    let second = receive(&store, complaint("Lê Thị Cúc", "cuc@example.vn"), later).await;
    let third = receive(
        &store,
        complaint("Phạm Văn Dũng", "dung@example.vn"),
        later + jiff::SignedDuration::from_mins(1),
    )
    .await;
    let urgent = Command::ChangePriority {
        priority: Priority::Urgent,
        reason: "Mất dịch vụ thanh toán".into(),
    };
    store
        .execute(&care, &third, urgent, policy.clone(), later)
        .await
        .unwrap();
    let queue = store
        .queue(
            &care,
            &QueueQuery {
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let order: Vec<&str> = queue.iter().map(|q| q.code.as_str()).collect();
    assert_eq!(order, [third.as_str(), code.as_str(), second.as_str()]);
    // Filters narrow the queue without changing its order.
    let urgent_only = QueueQuery {
        limit: 50,
        filter: hotro_store::QueueFilter {
            priority: Some("urgent".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let filtered = store.queue(&care, &urgent_only).await.unwrap();
    assert_eq!(
        filtered.iter().map(|q| q.code.as_str()).collect::<Vec<_>>(),
        [third.as_str()]
    );
    let mine = QueueQuery {
        limit: 50,
        filter: hotro_store::QueueFilter {
            assignee_id: Some(care.id),
            status: Some("answered".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    assert_eq!(store.queue(&care, &mine).await.unwrap()[0].code, code);
    // The cursor continues exactly after a given line.
    let rest = store
        .queue(
            &care,
            &QueueQuery {
                after: Some(queue[0].position),
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(rest[0].code, code);

    // RT-4: a transfer is recorded and moves the ticket out of sight.
    let transfer = Command::Transfer {
        department: "sales".into(),
        reason: "Liên quan hóa đơn".into(),
    };
    store
        .execute(&care, &second, transfer, policy.clone(), later)
        .await
        .unwrap();
    assert!(matches!(
        store.ticket_view(&care, &second).await,
        Err(StoreError::NotFound)
    ));
    let moved = store.ticket_view(&sales, &second).await.unwrap();
    assert!(matches!(
        moved.timeline.last().unwrap().event,
        Event::Transferred { .. }
    ));

    // The customer's tracking view needs the secret.
    assert!(store.tracked_ticket(&code, "secret-hash").await.is_ok());
    assert!(matches!(
        store.tracked_ticket(&code, "guess").await,
        Err(StoreError::NotFound)
    ));

    // SC-3: the chain verifies, and an edit made behind hotro's back is found and named.
    let report = store.verify_chains().await.unwrap();
    assert_eq!((report.tickets, report.broken.len()), (3, 0), "{report:?}");
    assert_eq!(report.events, 4 + 2 + 1 + 1);
    db.tamper(
        "UPDATE events SET payload = replace(payload, 'khôi phục', 'ngừng') \
         WHERE kind = 'replied'",
    )
    .await;
    let report = store.verify_chains().await.unwrap();
    assert_eq!(report.broken.len(), 1, "{report:?}");
    assert_eq!(report.broken[0].code, code);
    assert_eq!(report.broken[0].seq, Some(3));

    // Deleting the newest event is found too: the ticket row remembers the head.
    db.tamper(&format!(
        "DELETE FROM events WHERE seq = 2 AND ticket_id = (SELECT id FROM tickets WHERE code = '{third}')"
    ))
    .await;
    let report = store.verify_chains().await.unwrap();
    let broken: Vec<&str> = report.broken.iter().map(|b| b.code.as_str()).collect();
    assert_eq!(broken, [code.as_str(), third.as_str()]);
}

/// Many concurrent intakes all commit, each answered once durable, with unique codes.
async fn concurrent_intake(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            receive(
                &store,
                complaint(&format!("Khách {i}"), &format!("k{i}@example.vn")),
                now(),
            )
            .await
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.unwrap());
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 200);
    assert_eq!(codes.last().unwrap(), "HT-2026-000200");
    // A refused command inside a batch does not spoil its neighbours.
    let policy = Arc::new(Policy::builtin());
    let care = staff(&store, "lan@example.vn", "customer", Role::Agent).await;
    let mut tasks = Vec::new();
    for (i, code) in codes.iter().take(20).enumerate() {
        let (store, care, policy, code) =
            (store.clone(), care.clone(), policy.clone(), code.clone());
        let body = if i % 2 == 0 {
            "Kính thưa quý khách, đã xong."
        } else {
            "Xin chào"
        };
        tasks.push(tokio::spawn(async move {
            store
                .execute(&care, &code, reply(body), policy, now())
                .await
                .is_ok()
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        accepted += usize::from(t.await.unwrap());
    }
    assert_eq!(accepted, 10);
    let report = store.verify_chains().await.unwrap();
    assert_eq!(
        (report.tickets, report.events, report.broken.len()),
        (200, 210, 0)
    );
}

#[tokio::test]
async fn store_story_sqlite() {
    story(false).await;
}

#[tokio::test]
async fn store_story_postgres() {
    story(true).await;
}

#[tokio::test]
async fn group_commit_sqlite() {
    concurrent_intake(false).await;
}

#[tokio::test]
async fn concurrent_intake_postgres() {
    concurrent_intake(true).await;
}

/// TR-2, CP-1, CP-4: the customer acts on their ticket with the tracking secret only.
async fn customer_actions(postgres: bool) {
    use hotro_core::ticket::CustomerCommand;
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    let care = staff(&store, "lan@example.vn", "customer", Role::Agent).await;
    let code = receive(&store, complaint("An", "an@example.vn"), now()).await;
    // CH-6: evidence is stored once by its digest and readable through the ticket only.
    let pdf = b"%PDF-1.7 hoa don 0012".to_vec();
    let file = store
        .put_attachment(
            "hóa đơn.pdf".into(),
            "application/pdf".into(),
            pdf.clone(),
            now(),
        )
        .await
        .unwrap();
    let again = store
        .put_attachment(
            "copy.pdf".into(),
            "application/pdf".into(),
            pdf.clone(),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(file.sha256, again.sha256);
    let info = CustomerCommand::AddInformation {
        channel: hotro_core::Channel::Web,
        body: "Xin gửi thêm hóa đơn.".into(),
        attachments: vec![file.clone(), file.clone()],
        reference: None,
    };
    // A wrong secret is told "not found", exactly like a missing ticket; nothing is written.
    let wrong = store
        .execute_as_customer(&code, "guess", info.clone(), policy.clone(), now())
        .await;
    assert!(matches!(wrong, Err(StoreError::NotFound)), "{wrong:?}");
    let done = store
        .execute_as_customer(&code, "secret-hash", info, policy.clone(), now())
        .await
        .unwrap();
    assert_eq!(done.events[0].type_name(), "customer_wrote");
    let got = store
        .attachment_for_customer(&code, "secret-hash", &file.sha256)
        .await
        .unwrap();
    assert_eq!(
        (got.content, got.attachment.name.as_str()),
        (pdf.clone(), "hóa đơn.pdf")
    );
    assert!(
        store
            .attachment_for_customer(&code, "guess", &file.sha256)
            .await
            .is_err()
    );
    assert!(
        store
            .attachment_for_staff(&care, &code, &file.sha256)
            .await
            .is_ok()
    );
    let sales = staff(&store, "minh@example.vn", "sales", Role::Agent).await;
    assert!(matches!(
        store
            .attachment_for_staff(&sales, &code, &file.sha256)
            .await,
        Err(StoreError::NotFound)
    ));
    let answer = Command::Reply {
        body: "Kính thưa quý khách, chúng tôi đã hoàn tiền.".into(),
        channel: None,
        then: Some(StatusChange::to(Status::Answered)),
        // CP-2: the answer proposes the settlement the customer's acceptance records.
        outcome: Some(Box::new(hotro_core::event::Outcome {
            kind: hotro_core::event::OutcomeKind::Refund,
            amount: Some(250_000),
            note: None,
        })),
    };
    store
        .execute(&care, &code, answer, policy.clone(), now())
        .await
        .unwrap();
    let accepted = store
        .execute_as_customer(
            &code,
            "secret-hash",
            CustomerCommand::Accept,
            policy.clone(),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(accepted.ticket.status, Status::Resolved);
    assert_eq!(
        accepted.ticket.outcome.as_ref().map(|o| o.amount),
        Some(Some(250_000))
    );
    let rate = CustomerCommand::Rate {
        score: 5,
        comment: Some("Rất hài lòng".into()),
    };
    store
        .execute_as_customer(&code, "secret-hash", rate, policy.clone(), now())
        .await
        .unwrap();
    let view = store.ticket_view(&care, &code).await.unwrap();
    assert_eq!(view.ticket.rating, Some(5));
    assert!(matches!(
        view.timeline.last().unwrap().actor,
        Actor::Customer
    ));
    assert!(store.verify_chains().await.unwrap().broken.is_empty());
}

/// A store that counted codes before (SQLite's counter; on PostgreSQL the counter older
/// versions kept) goes on from its last number, and a new year starts again at 1. On
/// PostgreSQL the numbers come from a sequence per prefix and year from then on.
async fn codes_continue_from_the_count(postgres: bool) {
    let db = TestDb::new(postgres).await;
    // The schema first; then the count an earlier version left, behind the store's back.
    Store::open(&db.location()).await.unwrap().close().await;
    db.tamper("INSERT INTO counters (name, value) VALUES ('ticket:HT:2026', 41)")
        .await;
    let store = Store::open(&db.location()).await.unwrap();
    let first = receive(&store, complaint("Khách", "a@example.vn"), now()).await;
    let second = receive(&store, complaint("Khách", "a@example.vn"), now()).await;
    assert_eq!(
        (first.as_str(), second.as_str()),
        ("HT-2026-000042", "HT-2026-000043")
    );
    let next_year: Timestamp = "2027-01-04T02:00:00Z".parse().unwrap();
    let mut input = complaint("Khách", "a@example.vn");
    input.incident_date = Some("2027-01-02".into());
    assert_eq!(receive(&store, input, next_year).await, "HT-2027-000001");
}

#[tokio::test]
async fn codes_continue_from_the_count_sqlite() {
    codes_continue_from_the_count(false).await;
}

#[tokio::test]
async fn codes_continue_from_the_count_postgres() {
    codes_continue_from_the_count(true).await;
}

#[tokio::test]
async fn customer_actions_sqlite() {
    customer_actions(false).await;
}

#[tokio::test]
async fn customer_actions_postgres() {
    customer_actions(true).await;
}
