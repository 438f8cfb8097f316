//! The bulk path (`Store::receive_many`, behind `hotro bench seed`, issue 6) writes what the
//! one-request-at-a-time path writes: the same ticket state, timeline, clocks and an intact
//! hash chain (SC-3), with a refused step skipped and counted. On SQLite and PostgreSQL.

use hotro_core::event::{Outcome, OutcomeKind};
use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::ticket::{CustomerCommand, StatusChange};
use hotro_core::{Actor, Channel, Command, Policy, Role, StaffMember, Status};
use hotro_store::{BulkStep, BulkTicket, NewStaff, Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

mod common;
use common::TestDb;

fn received_at() -> Timestamp {
    "2026-11-16T02:00:00Z".parse().unwrap()
}

fn minutes(n: i64) -> Timestamp {
    received_at() + SignedDuration::from_mins(n)
}

fn complaint(email: &str) -> NewTicket {
    NewTicket {
        kind: Some("complaint".into()),
        channel: Some("web".into()),
        customer_name: Some("Nguyễn Văn An".into()),
        customer_email: Some(email.into()),
        subject: Some("Khiếu nại hóa đơn tại Đà Nẵng".into()),
        description: Some("Số tiền trên hóa đơn không khớp với báo giá.".into()),
        incident_date: Some("2026-11-14".into()),
        complaint_category: Some("business".into()),
        ..NewTicket::default()
    }
}

/// What happens to the ticket after intake, one refused step included (a resolved
/// complaint cannot go back to `new`).
fn steps(agent: &StaffMember, policy: &Policy) -> Vec<BulkStep> {
    let staff = |command: Command, at: Timestamp| BulkStep::Staff {
        staff: agent.clone(),
        command: Box::new(command),
        at,
    };
    let mut resolve = StatusChange::to(Status::Resolved);
    resolve.outcome = Some(Outcome {
        kind: OutcomeKind::Refund,
        amount: Some(250_000),
        note: None,
    });
    vec![
        staff(Command::Take, minutes(5)),
        staff(
            Command::ChangeStatus(StatusChange::to(Status::Acknowledged)),
            minutes(10),
        ),
        staff(
            Command::Reply {
                body: format!(
                    "{}, chúng tôi đang kiểm tra hóa đơn.",
                    policy.reply.greeting
                ),
                channel: None,
                then: None,
                outcome: None,
            },
            minutes(20),
        ),
        BulkStep::Customer {
            command: CustomerCommand::AddInformation {
                channel: Channel::Web,
                body: "Tôi gửi thêm số đơn hàng 12345.".into(),
                attachments: Vec::new(),
                reference: None,
            },
            at: minutes(30),
        },
        staff(
            Command::ChangeStatus(StatusChange::to(Status::InProgress)),
            minutes(40),
        ),
        staff(Command::ChangeStatus(resolve), minutes(60)),
        staff(
            Command::ChangeStatus(StatusChange::to(Status::New)),
            minutes(70),
        ),
    ]
}

async fn bulk_matches_one_at_a_time(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    store
        .record_policy(policy.clone(), received_at())
        .await
        .unwrap();
    let agent = store
        .add_staff(
            NewStaff {
                email: "lan@example.vn".into(),
                name: "Trần Thị Lan".into(),
                department: "customer".into(),
                role: Role::Admin,
                password_hash: "$argon2id$test".into(),
            },
            received_at(),
        )
        .await
        .unwrap();
    let intake_of = |email: &str| {
        intake::validate(&complaint(email), Source::Public, &policy, received_at()).unwrap()
    };

    // One at a time, as over HTTP.
    let one = store
        .receive(
            intake_of("a@example.vn"),
            Actor::Customer,
            "HT".into(),
            "secret-a".into(),
            received_at(),
        )
        .await
        .unwrap()
        .code;
    let mut refused_one = 0;
    for step in steps(&agent, &policy) {
        let done = match step {
            BulkStep::Staff { staff, command, at } => {
                store
                    .execute(&staff, &one, *command, policy.clone(), at)
                    .await
            }
            BulkStep::Customer { command, at } => {
                store
                    .execute_as_customer(&one, "secret-a", command, policy.clone(), at)
                    .await
            }
        };
        match done {
            Ok(_) => {}
            Err(StoreError::Rejected(_)) => refused_one += 1,
            Err(e) => panic!("step failed: {e}"),
        }
    }

    // In bulk.
    let report = store
        .receive_many(
            vec![BulkTicket {
                intake: intake_of("b@example.vn"),
                actor: Actor::Customer,
                tracking_hash: "secret-b".into(),
                received_at: received_at(),
                steps: steps(&agent, &policy),
            }],
            "HT".into(),
            policy.clone(),
        )
        .await
        .unwrap();
    assert_eq!((report.tickets, report.commands, report.refused), (1, 6, 1));
    assert_eq!(refused_one, 1);
    let bulk = store
        .queue(&agent, &hotro_store::QueueQuery::default())
        .await
        .unwrap();
    assert!(bulk.is_empty(), "both tickets are resolved, none is queued");

    let a = store.ticket_view(&agent, &one).await.unwrap();
    let b_code = format!("HT-2026-{:06}", 2);
    let b = store.ticket_view(&agent, &b_code).await.unwrap();
    assert_eq!(b.ticket.status, Status::Resolved);
    assert_eq!(
        (a.ticket.status, a.ticket.assignee, a.ticket.replies),
        (b.ticket.status, b.ticket.assignee, b.ticket.replies)
    );
    assert_eq!(a.ticket.outcome, b.ticket.outcome);
    let kinds = |v: &hotro_store::TicketView| -> Vec<(&'static str, Timestamp)> {
        v.timeline
            .iter()
            .map(|e| (e.event.type_name(), e.at))
            .collect()
    };
    assert_eq!(kinds(&a), kinds(&b));
    assert_eq!(
        store.due_times(&one).await.unwrap(),
        store.due_times(&b_code).await.unwrap()
    );
    let audit = store.verify_chains().await.unwrap();
    assert_eq!((audit.tickets, audit.broken.len()), (2, 0));
}

#[tokio::test]
async fn bulk_matches_one_at_a_time_sqlite() {
    bulk_matches_one_at_a_time(false).await;
}

#[tokio::test]
async fn bulk_matches_one_at_a_time_postgres() {
    bulk_matches_one_at_a_time(true).await;
}
