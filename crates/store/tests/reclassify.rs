//! RT-2, RT-3 in the store, on SQLite and PostgreSQL alike: text the rules cannot place is in
//! the triage department's queue; an agent's reclassification is recorded in the log, changes
//! the read row (kind, topic, department) and plans a new complaint's clocks (SL-2, SL-3).

use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::{Actor, Command, Event, Kind, Policy, Role, StaffMember};
use hotro_store::{NewStaff, QueueFilter, QueueQuery, Store, StoreError};
use jiff::Timestamp;
use std::sync::Arc;

mod common;
use common::TestDb;

fn now() -> Timestamp {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

async fn staff(store: &Store, email: &str, department: &str) -> StaffMember {
    store
        .add_staff(
            NewStaff {
                email: email.into(),
                name: format!("NV {email}"),
                department: department.into(),
                role: Role::Agent,
                password_hash: "$argon2id$test".into(),
            },
            now(),
        )
        .await
        .unwrap()
}

fn queue(kind: &str) -> QueueQuery {
    QueueQuery {
        limit: 50,
        filter: QueueFilter {
            kind: Some(kind.into()),
            ..QueueFilter::default()
        },
        ..QueueQuery::default()
    }
}

async fn reclassification(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    let care = staff(&store, "lan@example.vn", "customer").await;
    let tech = staff(&store, "hung@example.vn", "technical").await;
    // A mail the rules cannot place: a request in the triage department, marked.
    let input = NewTicket {
        channel: Some("email".into()),
        customer_name: Some("Cường".into()),
        customer_email: Some("cuong@example.vn".into()),
        subject: Some("Hỏi việc".into()),
        description: Some("Từ ngày 18/11 tôi gặp trục trặc, xin xem giúp.".into()),
        ..NewTicket::default()
    };
    let intake = intake::validate(&input, Source::Mail, &policy, now()).unwrap();
    let code = store
        .receive(intake, Actor::Customer, "HT".into(), "h".into(), now())
        .await
        .unwrap()
        .code;
    let view = store.ticket_view(&care, &code).await.unwrap();
    assert_eq!(view.ticket.department, policy.triage_department());
    assert!(view.ticket.unclassified);
    let listed = store.queue(&care, &queue("request")).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(store.due_times(&code).await.unwrap().ack_due_at, None);

    // The agent reads a complaint: recorded, the row's kind changes, clocks are planned.
    store
        .execute(
            &care,
            &code,
            Command::Reclassify {
                kind: Kind::Complaint,
                topic: None,
                feature_area: None,
                accepted: false,
                reason: Some("Khách khiếu nại".into()),
            },
            policy.clone(),
            now(),
        )
        .await
        .unwrap();
    assert!(
        store
            .queue(&care, &queue("request"))
            .await
            .unwrap()
            .is_empty()
    );
    let listed = store.queue(&care, &queue("complaint")).await.unwrap();
    assert_eq!(listed[0].code, code);
    let due = store.due_times(&code).await.unwrap();
    assert!(
        due.ack_due_at.is_some() && due.resolve_due_at.is_some(),
        "{due:?}"
    );
    let view = store.ticket_view(&care, &code).await.unwrap();
    assert_eq!(view.ticket.kind, Kind::Complaint);
    let incident = view.ticket.complaint.as_ref().unwrap().incident_date;
    assert_eq!(incident.to_string(), "2026-11-18");
    assert!(matches!(
        &view.timeline.last().unwrap().event,
        Event::Reclassified(r) if r.from_kind == Kind::Request && r.reason.is_some()
    ));

    // Back to a request about a domain: it moves to technical by a recorded transfer.
    store
        .execute(
            &care,
            &code,
            Command::Reclassify {
                kind: Kind::Request,
                topic: Some("hosting_domain".into()),
                feature_area: None,
                accepted: true,
                reason: None,
            },
            policy.clone(),
            now(),
        )
        .await
        .unwrap();
    assert!(matches!(
        store.ticket_view(&care, &code).await,
        Err(StoreError::NotFound)
    ));
    let view = store.ticket_view(&tech, &code).await.unwrap();
    assert_eq!(view.ticket.topic.as_deref(), Some("hosting_domain"));
    let kinds: Vec<&str> = view.timeline.iter().map(|e| e.event.type_name()).collect();
    assert_eq!(
        kinds,
        ["received", "reclassified", "reclassified", "transferred"]
    );
    let listed = store.queue(&tech, &queue("request")).await.unwrap();
    assert_eq!(listed[0].topic.as_deref(), Some("hosting_domain"));
    assert!(store.verify_chains().await.unwrap().broken.is_empty());
}

#[tokio::test]
async fn rt3_reclassification_sqlite() {
    reclassification(false).await;
}

#[tokio::test]
async fn rt3_reclassification_postgres() {
    reclassification(true).await;
}
