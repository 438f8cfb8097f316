//! The policy engine's story on SQLite and PostgreSQL: due times stored with the ticket
//! (SL-2, SL-3), the pause (SL-5), policy versions (PL-2), timers firing warnings and
//! escalations exactly once across restarts (SL-6), the next-issue hand-off (QF-3) and the
//! written answer to a time-barred complaint (SL-4). Time is simulated; nothing sleeps.
//!
//! One file on purpose: one story, step by step on one simulated clock; splitting it would
//! split the time line.

use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::sla::SlaClock;
use hotro_core::sla::notice::AlertWords;
use hotro_core::ticket::StatusChange;
use hotro_core::{Actor, Command, Event, Policy, Role, StaffMember, Status};
use hotro_store::{NewStaff, Store};
use jiff::Timestamp;
use std::sync::Arc;

mod common;
use common::TestDb;

/// The alert mails' words; their texts are the app's catalogues', not the store's business.
fn words() -> Arc<AlertWords> {
    Arc::new(AlertWords::default())
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

async fn staff(store: &Store, email: &str, department: &str, role: Role) -> StaffMember {
    store
        .add_staff(
            NewStaff {
                email: email.into(),
                name: format!("NV {email}"),
                department: department.into(),
                role,
                password_hash: "$argon2id$test".into(),
            },
            at("2026-01-01T00:00:00Z"),
        )
        .await
        .unwrap()
}

fn complaint(email: &str, incident: &str) -> NewTicket {
    NewTicket {
        kind: Some("complaint".into()),
        customer_name: Some("Nguyễn Văn An".into()),
        customer_email: Some(email.into()),
        subject: Some("Dịch vụ gián đoạn".into()),
        description: Some("Website ngừng hoạt động.".into()),
        incident_date: Some(incident.into()),
        complaint_category: Some("service_quality".into()),
        ..NewTicket::default()
    }
}

fn request(email: &str, subject: &str) -> NewTicket {
    NewTicket {
        kind: Some("request".into()),
        customer_name: Some("Trần Thị Bình".into()),
        customer_email: Some(email.into()),
        subject: Some(subject.into()),
        description: Some("Xin hỗ trợ.".into()),
        ..NewTicket::default()
    }
}

async fn receive(store: &Store, policy: &Policy, input: NewTicket, now: Timestamp) -> String {
    let intake = intake::validate(&input, Source::Public, policy, now).unwrap();
    store
        .receive(intake, Actor::Customer, "HT".into(), "h".into(), now)
        .await
        .unwrap()
        .code
}

async fn set_status(store: &Store, who: &StaffMember, code: &str, to: Status, now: Timestamp) {
    store
        .execute(
            who,
            code,
            Command::ChangeStatus(StatusChange::to(to)),
            Arc::new(Policy::builtin()),
            now,
        )
        .await
        .unwrap();
}

async fn sla_story(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let location = db.location();
    let store = Store::open(&location).await.unwrap();
    let policy = Policy::builtin();
    store
        .record_policy(Arc::new(policy.clone()), at("2026-01-01T00:00:00Z"))
        .await
        .unwrap();
    let agent = staff(&store, "lan@example.vn", "customer", Role::Agent).await;
    let lead = staff(&store, "hoa@example.vn", "customer", Role::Lead).await;

    // SL-2: received at 16:00 on the Friday before Tết 2026; the acknowledgement is due
    // after the weekend and Tết (16–20/02), on Monday 02/03 at 10:00.
    let friday = at("2026-02-13T16:00:00+07:00");
    let tet = receive(
        &store,
        &policy,
        complaint("an@example.vn", "2026-02-10"),
        friday,
    )
    .await;
    let due = store.due_times(&tet).await.unwrap();
    assert_eq!(due.ack_due_at, Some(at("2026-03-02T10:00:00+07:00")));
    // SL-3: 20 calendar days (seed 002) under the built-in policy.
    assert_eq!(due.resolve_due_at, Some(at("2026-03-05T16:00:00+07:00")));
    assert!(!due.paused && !due.time_barred);
    // The queue carries the same due times, for agents to see what is urgent.
    let queue = store
        .queue(
            &agent,
            &hotro_store::QueueQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(queue[0].code, tet);
    assert_eq!(queue[0].due, due);

    // PL-2: a new policy version halves the acknowledgement time; the open ticket keeps its
    // deadlines, a ticket received under the new version gets the new ones.
    let newer = Policy::from_toml(
        &hotro_core::policy::DEFAULT_POLICY_TOML
            .replace("version = \"2026.3\"", "version = \"2026.4\"")
            .replace("published = \"2026-01-01\"", "published = \"2026-02-01\"")
            .replace("within = 48", "within = 24"),
    )
    .unwrap();
    let newer = Arc::new(newer);
    store
        .record_policy(newer.clone(), at("2026-02-14T00:00:00Z"))
        .await
        .unwrap();
    store
        .execute(
            &agent,
            &tet,
            Command::Note {
                body: "Đã xem".into(),
            },
            newer.clone(),
            at("2026-02-14T01:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        store.due_times(&tet).await.unwrap().ack_due_at,
        Some(at("2026-03-02T10:00:00+07:00"))
    );
    let later = receive(
        &store,
        &newer,
        complaint("cuong@example.vn", "2026-02-10"),
        friday,
    )
    .await;
    assert_eq!(
        store.due_times(&later).await.unwrap().ack_due_at,
        Some(at("2026-02-25T13:00:00+07:00"))
    );
    // A changed text under a recorded version is refused: it would move old deadlines.
    let edited = Policy::from_toml(
        &hotro_core::policy::DEFAULT_POLICY_TOML.replace("within = 48", "within = 40"),
    )
    .unwrap();
    assert!(matches!(
        store
            .record_policy(Arc::new(edited), at("2026-02-15T00:00:00Z"))
            .await,
        Err(hotro_store::StoreError::Duplicate(_))
    ));
    let versions = store.policy_versions().await.unwrap();
    let names: Vec<&str> = versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(names, ["2026.3", "2026.4"]);

    // SL-6: the 2026.4 ticket passed its warning and due times first: its agent is warned
    // and its lead gets the escalation; the first ticket is not touched before 75 % (36
    // working hours, Thu 26/02 16:00).
    let fired = store
        .run_due_jobs(at("2026-02-26T15:59:00+07:00"), words())
        .await
        .unwrap();
    assert!(fired.iter().all(|(code, _)| code == &later), "{fired:?}");
    assert!(fired.iter().any(|(_, e)| matches!(e,
        Event::SlaEscalated { clock: SlaClock::Acknowledge, lead: Some(l), .. } if *l == lead.id)));
    assert!(
        fired
            .iter()
            .any(|(_, e)| matches!(e, Event::SlaWarned { .. }))
    );
    let fired = store
        .run_due_jobs(at("2026-02-26T16:00:00+07:00"), words())
        .await
        .unwrap();
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(fired[0].0, tet);
    assert!(matches!(
        fired[0].1,
        Event::SlaWarned {
            clock: SlaClock::Acknowledge,
            ..
        }
    ));
    assert!(
        store
            .run_due_jobs(at("2026-02-26T16:00:00+07:00"), words())
            .await
            .unwrap()
            .is_empty()
    );

    // Exactly once across restarts: a second store on the same database finds nothing new
    // for the same instant, and fires the breach of the first ticket at its due time.
    store.close().await;
    drop(store);
    let store = Store::open(&location).await.unwrap();
    assert!(
        store
            .run_due_jobs(at("2026-02-26T16:30:00+07:00"), words())
            .await
            .unwrap()
            .is_empty()
    );
    let fired = store
        .run_due_jobs(at("2026-03-02T10:00:00+07:00"), words())
        .await
        .unwrap();
    // The resolution clocks' warnings (75 % of 20 days, waiting for Monday's opening) fire
    // too; the acknowledgement escalation of the first ticket fires once, to the lead.
    let escalations: Vec<&(String, Event)> = fired
        .iter()
        .filter(|(_, e)| matches!(e, Event::SlaEscalated { .. }))
        .collect();
    assert_eq!(escalations.len(), 1, "{fired:?}");
    assert_eq!(escalations[0].0, tet);
    assert!(
        matches!(&escalations[0].1, Event::SlaEscalated { clock: SlaClock::Acknowledge, department, lead: Some(l), .. }
        if department == "customer" && *l == lead.id)
    );
    assert!(
        store
            .run_due_jobs(at("2026-03-03T10:00:00+07:00"), words())
            .await
            .unwrap()
            .is_empty()
    );
    let counts = store
        .sla_counts(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts.escalations, 2);
    assert!(counts.warnings >= 1);

    // SL-5: waiting for the customer pauses the resolution clock and keeps what is left.
    let monday = at("2026-11-02T08:00:00+07:00");
    let paused = receive(
        &store,
        &policy,
        complaint("dung@example.vn", "2026-11-01"),
        monday,
    )
    .await;
    set_status(
        &store,
        &agent,
        &paused,
        Status::Acknowledged,
        at("2026-11-02T09:00:00+07:00"),
    )
    .await;
    set_status(
        &store,
        &agent,
        &paused,
        Status::WaitingCustomer,
        at("2026-11-03T08:00:00+07:00"),
    )
    .await;
    let due = store.due_times(&paused).await.unwrap();
    assert!(due.paused);
    assert_eq!(due.resolve_due_at, None);
    // No timer fires for a paused clock (earlier tickets' remaining alerts do fire).
    let fired = store
        .run_due_jobs(at("2026-11-30T00:00:00+07:00"), words())
        .await
        .unwrap();
    assert!(fired.iter().all(|(code, _)| code != &paused), "{fired:?}");
    set_status(
        &store,
        &agent,
        &paused,
        Status::InProgress,
        at("2026-11-13T08:00:00+07:00"),
    )
    .await;
    let due = store.due_times(&paused).await.unwrap();
    assert!(!due.paused);
    assert_eq!(due.resolve_due_at, Some(at("2026-12-02T08:00:00+07:00")));

    // SL-4: 100 days after the incident, a service-quality complaint is still recorded,
    // marked time-barred, and answered in writing by the system in the intake's own commit.
    let barred = receive(
        &store,
        &policy,
        complaint("em@example.vn", "2026-08-01"),
        monday,
    )
    .await;
    assert!(store.due_times(&barred).await.unwrap().time_barred);
    let view = store.ticket_view(&agent, &barred).await.unwrap();
    assert!(view.ticket.time_barred.is_some());
    assert!(
        view.timeline
            .iter()
            .any(|e| e.actor == Actor::System && matches!(e.event, Event::Replied { .. }))
    );
    assert_eq!(view.ticket.replies, 1);
    assert!(
        view.timeline.iter().any(|e| matches!(&e.event,
            Event::Replied { body, .. } if body.contains("quá thời hiệu") && body.contains(&barred))),
        "SL-4: the answer states the reason and names the complaint"
    );

    // QF-3: a customer with two open requests; when the first is done, the second must be
    // taken up within 24 hours. Requests the rules cannot place are the triage department's.
    let other = staff(
        &store,
        "khoa@example.vn",
        policy.triage_department(),
        Role::Agent,
    )
    .await;
    let first = receive(
        &store,
        &policy,
        request("giang@example.vn", "Câu hỏi một"),
        monday,
    )
    .await;
    let second = receive(
        &store,
        &policy,
        request("giang@example.vn", "Câu hỏi hai"),
        monday,
    )
    .await;
    assert_eq!(store.due_times(&second).await.unwrap().start_by_at, None);
    let done_at = at("2026-11-04T10:00:00+07:00");
    set_status(&store, &other, &first, Status::Resolved, done_at).await;
    assert_eq!(
        store.due_times(&second).await.unwrap().start_by_at,
        Some(at("2026-11-05T10:00:00+07:00"))
    );
    let view = store.ticket_view(&other, &second).await.unwrap();
    assert!(view.timeline.iter().any(|e| matches!(&e.event,
        Event::StartByScheduled { previous, .. } if previous == &first)));
    let status = store
        .sla_status(
            &view
                .timeline
                .iter()
                .map(|e| hotro_core::EventRecord {
                    at: e.at,
                    actor: e.actor,
                    event: e.event.clone(),
                })
                .collect::<Vec<_>>(),
            at("2026-11-05T10:00:01+07:00"),
        )
        .await
        .unwrap();
    assert_eq!(
        status.start.unwrap().state,
        hotro_core::sla::ClockState::Breached
    );
    // Taking it up meets the clock; the start-by time is cleared from the read row.
    store
        .execute(
            &other,
            &second,
            Command::Take,
            Arc::new(Policy::builtin()),
            done_at,
        )
        .await
        .unwrap();
    assert_eq!(store.due_times(&second).await.unwrap().start_by_at, None);
}

#[tokio::test]
async fn sla_story_sqlite() {
    sla_story(false).await;
}

#[tokio::test]
async fn sla_story_postgres() {
    sla_story(true).await;
}

/// SL-6 with several nodes: two stores on one database run the due jobs at the same time;
/// every alert is recorded exactly once (PostgreSQL: `FOR UPDATE SKIP LOCKED` and the
/// ticket lock; SQLite: one writer at a time, and the history check).
async fn two_nodes_fire_each_alert_once(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let location = db.location();
    let a = Store::open(&location).await.unwrap();
    let b = Store::open(&location).await.unwrap();
    let policy = Policy::builtin();
    let monday = at("2026-11-02T08:00:00+07:00");
    let mut codes = Vec::new();
    for i in 0..12 {
        let email = format!("kh{i}@example.vn");
        codes.push(receive(&a, &policy, complaint(&email, "2026-11-01"), monday).await);
    }
    // After the acknowledgement breach (Mon 09/11 11:00) and before the resolution warning.
    let now = at("2026-11-10T08:00:00+07:00");
    let (x, y) = tokio::join!(a.run_due_jobs(now, words()), b.run_due_jobs(now, words()));
    let mut fired = x.unwrap();
    fired.extend(y.unwrap());
    for code in &codes {
        let warnings = fired
            .iter()
            .filter(|(c, e)| c == code && matches!(e, Event::SlaWarned { .. }))
            .count();
        let escalations = fired
            .iter()
            .filter(|(c, e)| c == code && matches!(e, Event::SlaEscalated { .. }))
            .count();
        assert_eq!((warnings, escalations), (1, 1), "{code}: {fired:?}");
    }
    let (x, y) = tokio::join!(a.run_due_jobs(now, words()), b.run_due_jobs(now, words()));
    assert!(x.unwrap().is_empty() && y.unwrap().is_empty());
    let counts = b
        .sla_counts(monday, at("2026-12-01T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!((counts.warnings, counts.escalations), (12, 12));
}

#[tokio::test]
async fn two_nodes_fire_each_alert_once_sqlite() {
    two_nodes_fire_each_alert_once(false).await;
}

#[tokio::test]
async fn two_nodes_fire_each_alert_once_postgres() {
    two_nodes_fire_each_alert_once(true).await;
}
