//! SL-6 written (issue 15): a warning names the responsible agent and every active lead of
//! the department, each gets a notification and a mail held to working hours; a breach hands
//! the ticket to the lead in its read row, lists it for the leads and counts it per
//! department. On SQLite and PostgreSQL, with a simulated clock.

use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::sla::SlaClock;
use hotro_core::sla::notice::{AlertLanguage, AlertWords};
use hotro_core::{Actor, Command, Event, Policy, Role, StaffMember};
use hotro_store::{NewStaff, QueueQuery, Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

mod common;
use common::TestDb;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn words() -> Arc<AlertWords> {
    let language = |w: &str| AlertLanguage {
        warning_subject: format!("{w} [{{code}}]"),
        warning_body: format!("{w} {{clock}} {{due}}"),
        breach_subject: format!("{w}! [{{code}}]"),
        breach_body: format!("{w}! {{clock}} {{due}}"),
        clocks: vec![(SlaClock::Acknowledge, format!("{w}-ack"))],
    };
    Arc::new(AlertWords {
        vi: language("Sắp hạn"),
        en: language("Due soon"),
    })
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

/// Runs the timers hour by hour from `from` until `stop` says the fired events are enough.
async fn run_until(
    store: &Store,
    from: Timestamp,
    stop: impl Fn(&Event) -> bool,
) -> (Timestamp, Vec<Event>) {
    let mut now = from;
    for _ in 0..24 * 40 {
        now += SignedDuration::from_hours(1);
        let fired = store.run_due_jobs(now, words()).await.unwrap();
        if fired.iter().any(|(_, e)| stop(e)) {
            return (now, fired.into_iter().map(|(_, e)| e).collect());
        }
    }
    panic!("nothing fired");
}

async fn sl6_warning_names_agent_and_leads_and_breach_assigns_the_lead(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    store
        .record_policy(policy.clone(), at("2026-01-01T00:00:00Z"))
        .await
        .unwrap();
    let agent = staff(&store, "lan@example.vn", "customer", Role::Agent).await;
    let lead = staff(&store, "hoa@example.vn", "customer", Role::Lead).await;
    let second = staff(&store, "mai@example.vn", "customer", Role::Lead).await;
    let elsewhere = staff(&store, "tuan@example.vn", "sales", Role::Lead).await;
    let admin = staff(&store, "admin@example.vn", "customer", Role::Admin).await;

    let monday = at("2026-11-02T08:00:00+07:00");
    let input = NewTicket {
        kind: Some("complaint".into()),
        customer_name: Some("Nguyễn Văn An".into()),
        customer_email: Some("an@example.vn".into()),
        subject: Some("Dịch vụ gián đoạn".into()),
        description: Some("Website ngừng hoạt động.".into()),
        incident_date: Some("2026-11-01".into()),
        complaint_category: Some("service_quality".into()),
        ..NewTicket::default()
    };
    let intake = intake::validate(&input, Source::Public, &policy, monday).unwrap();
    let code = store
        .receive(intake, Actor::Customer, "HT".into(), "h".into(), monday)
        .await
        .unwrap()
        .code;
    store
        .execute(&agent, &code, Command::Take, policy.clone(), monday)
        .await
        .unwrap();

    // The warning names the agent and both leads of the department, not the other's lead.
    let (warned_at, fired) = run_until(&store, monday, |e| {
        matches!(
            e,
            Event::SlaWarned {
                clock: SlaClock::Acknowledge,
                ..
            }
        )
    })
    .await;
    assert!(
        fired.iter().any(|e| matches!(e,
            Event::SlaWarned { agent: Some(a), leads, .. } if *a == agent.id && leads == &[lead.id, second.id])),
        "{fired:?}"
    );
    for person in [&agent, &lead, &second] {
        let mine = store.notifications(person.id, 50).await.unwrap();
        assert_eq!(mine.len(), 1, "{}: {mine:?}", person.email);
        assert_eq!((mine[0].kind.as_str(), &mine[0].code), ("warning", &code));
        assert_eq!(store.unread_notifications(person.id).await.unwrap(), 1);
    }
    assert!(
        store
            .notifications(elsewhere.id, 50)
            .await
            .unwrap()
            .is_empty()
    );
    // Marked read by its owner only; someone else's is not found.
    let note = store.notifications(agent.id, 50).await.unwrap()[0].id;
    assert!(matches!(
        store.mark_notification_read(lead.id, note, warned_at).await,
        Err(StoreError::NotFound)
    ));
    store
        .mark_notification_read(agent.id, note, warned_at)
        .await
        .unwrap();
    assert_eq!(store.unread_notifications(agent.id).await.unwrap(), 0);
    assert_eq!(store.unread_notifications(lead.id).await.unwrap(), 1);
    // One mail each, Vietnamese then English, never threaded into the customer's mail.
    let mails = store.outbox().await.unwrap();
    let staff_mails: Vec<_> = mails
        .iter()
        .filter(|m| m.kind == "staff.sla_warned")
        .collect();
    let mut to: Vec<&str> = staff_mails.iter().map(|m| m.recipient.as_str()).collect();
    to.sort();
    assert_eq!(to, ["hoa@example.vn", "lan@example.vn", "mai@example.vn"]);
    let m = staff_mails[0];
    assert!(
        m.subject
            .starts_with(&format!("Sắp hạn [{code}] / Due soon [{code}]"))
    );
    assert!(m.body.contains("Sắp hạn-ack") && m.body.contains("Due soon-ack"));
    assert!(m.in_reply_to.is_none() && m.references.is_empty());

    // The breach: the ticket is handed to the first lead, in the read row too.
    let (breached_at, fired) = run_until(&store, warned_at, |e| {
        matches!(
            e,
            Event::SlaEscalated {
                clock: SlaClock::Acknowledge,
                ..
            }
        )
    })
    .await;
    assert!(
        fired
            .iter()
            .any(|e| matches!(e, Event::EscalatedTo { lead: l } if *l == lead.id)),
        "{fired:?}"
    );
    let row = store
        .queue(
            &lead,
            &QueueQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.code == code)
        .unwrap();
    assert_eq!(row.assignee_id, Some(lead.id));
    let view = store.ticket_view(&lead, &code).await.unwrap();
    assert_eq!(view.ticket.assignee, Some(lead.id));
    // The leads and the agent it was taken from are told.
    for person in [&agent, &lead, &second] {
        let mine = store.notifications(person.id, 50).await.unwrap();
        assert_eq!(mine[0].kind, "breach", "{}", person.email);
    }
    // The lead's list: the breach, then the warning, with what to do; none for the other
    // department's lead; an administrator sees every department's.
    let list = store.escalations(&lead, 50).await.unwrap();
    let kinds: Vec<&str> = list.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(&kinds[..2], ["breach", "warning"], "{list:?}");
    assert_eq!(list[0].assignee, Some(lead.id));
    assert!(list[0].open && list[0].at == breached_at);
    assert!(store.escalations(&elsewhere, 50).await.unwrap().is_empty());
    assert_eq!(
        store.escalations(&admin, 50).await.unwrap().len(),
        list.len()
    );
    // Reports: one breach for the customer department.
    let counts = store
        .breaches_by_department(monday, at("2027-01-01T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(counts, [("customer".to_owned(), 1)]);
    // Repeating records nothing and tells nobody twice.
    assert!(
        store
            .run_due_jobs(breached_at, words())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.notifications(second.id, 50).await.unwrap().len(), 2);
}

#[tokio::test]
async fn sl6_warning_names_agent_and_leads_and_breach_assigns_the_lead_sqlite() {
    sl6_warning_names_agent_and_leads_and_breach_assigns_the_lead(false).await;
}

#[tokio::test]
async fn sl6_warning_names_agent_and_leads_and_breach_assigns_the_lead_postgres() {
    sl6_warning_names_agent_and_leads_and_breach_assigns_the_lead(true).await;
}

/// Without a lead in the department the breach is recorded and listed, and the ticket stays
/// with its agent; the list says someone must assign it... once a lead exists to read it.
async fn sl6_without_a_lead_the_breach_stays_and_is_listed(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    let monday = at("2026-11-02T08:00:00+07:00");
    let input = NewTicket {
        kind: Some("complaint".into()),
        customer_name: Some("Lê Văn Cường".into()),
        customer_email: Some("cuong@example.vn".into()),
        subject: Some("Chậm".into()),
        description: Some("Dịch vụ chậm.".into()),
        incident_date: Some("2026-11-01".into()),
        complaint_category: Some("service_quality".into()),
        ..NewTicket::default()
    };
    let intake = intake::validate(&input, Source::Public, &policy, monday).unwrap();
    let code = store
        .receive(intake, Actor::Customer, "HT".into(), "h".into(), monday)
        .await
        .unwrap()
        .code;
    let (_, fired) = run_until(&store, monday, |e| {
        matches!(e, Event::SlaEscalated { lead: None, .. })
    })
    .await;
    assert!(!fired.iter().any(|e| matches!(e, Event::EscalatedTo { .. })));
    let lead = staff(&store, "hoa@example.vn", "customer", Role::Lead).await;
    let list = store.escalations(&lead, 50).await.unwrap();
    let breach = list.iter().find(|e| e.kind == "breach").unwrap();
    assert_eq!((&breach.code, breach.assignee), (&code, None));
}

#[tokio::test]
async fn sl6_without_a_lead_the_breach_stays_and_is_listed_sqlite() {
    sl6_without_a_lead_the_breach_stays_and_is_listed(false).await;
}

#[tokio::test]
async fn sl6_without_a_lead_the_breach_stays_and_is_listed_postgres() {
    sl6_without_a_lead_the_breach_stays_and_is_listed(true).await;
}
