//! Issue 16, customer history, on SQLite and PostgreSQL alike: one person writing by web form,
//! phone and e-mail — with the address in another case and the number in international form —
//! is one customer; their history lists what the viewer may handle, newest first, and counts
//! the rest; a person none of whose tickets the viewer may handle is not found; records made
//! before the keys existed are found again once the store has filled them in.

use hotro_core::contact::ContactKey;
use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::{Actor, Policy, Role, StaffMember};
use hotro_store::{NewStaff, Store, StoreError};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;

mod common;
use common::TestDb;

fn now() -> Timestamp {
    "2026-11-20T02:00:00Z".parse().unwrap()
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
            now(),
        )
        .await
        .unwrap()
}

struct Filed {
    code: String,
    customer_id: i64,
}

#[allow(clippy::too_many_arguments)]
async fn file(
    store: &Store,
    policy: &Policy,
    source: Source,
    input: NewTicket,
    at: Timestamp,
    admin: &StaffMember,
) -> Filed {
    let intake = intake::validate(&input, source, policy, at).unwrap();
    let code = store
        .receive(intake, Actor::Customer, "HT".into(), "h".into(), at)
        .await
        .unwrap()
        .code;
    let customer_id = store.ticket_view(admin, &code).await.unwrap().customer_id;
    Filed { code, customer_id }
}

async fn one_person_across_channels(postgres: bool) {
    let db = TestDb::new(postgres).await;
    let store = Store::open(&db.location()).await.unwrap();
    let policy = Arc::new(Policy::builtin());
    let admin = staff(&store, "admin@example.vn", "other", Role::Admin).await;
    let care = staff(&store, "lan@example.vn", "customer", Role::Agent).await;
    let sales = staff(&store, "minh@example.vn", "sales", Role::Agent).await;
    let design = staff(&store, "thu@example.vn", "design", Role::Agent).await;

    // A complaint on the web form: name, e-mail with capitals, a national phone number.
    let web = file(
        &store,
        &policy,
        Source::Public,
        NewTicket {
            kind: Some("complaint".into()),
            channel: Some("web".into()),
            customer_name: Some("Đặng Thị Ánh".into()),
            customer_email: Some("Ánh.Đặng@Example.vn".into()),
            customer_phone: Some("0903 123 456".into()),
            subject: Some("Khiếu nại hóa đơn".into()),
            description: Some("Hóa đơn tháng 11 tính sai tiền.".into()),
            incident_date: Some("2026-11-15".into()),
            complaint_category: Some("business".into()),
            ..NewTicket::default()
        },
        now(),
        &admin,
    )
    .await;
    // A call the next day: the number read out in international form, no e-mail.
    let phone = file(
        &store,
        &policy,
        Source::Staff,
        NewTicket {
            kind: Some("request".into()),
            channel: Some("phone".into()),
            customer_name: Some("Chị Ánh".into()),
            customer_phone: Some("+84 903 123 456".into()),
            subject: Some("Hỏi báo giá gói hosting".into()),
            description: Some("Khách gọi hỏi báo giá.".into()),
            topic: Some("quotation".into()),
            ..NewTicket::default()
        },
        now() + SignedDuration::from_hours(24),
        &admin,
    )
    .await;
    // A mail two days later, from the address in lower case.
    let mail = file(
        &store,
        &policy,
        Source::Mail,
        NewTicket {
            channel: Some("email".into()),
            customer_name: Some("Ánh".into()),
            customer_email: Some("ánh.đặng@example.vn".into()),
            subject: Some("Khiếu nại hóa đơn tháng 11".into()),
            description: Some("Tôi vẫn chưa nhận được trả lời về hóa đơn.".into()),
            ..NewTicket::default()
        },
        now() + SignedDuration::from_hours(48),
        &admin,
    )
    .await;
    assert_eq!(
        phone.customer_id, web.customer_id,
        "the number in another form"
    );
    assert_eq!(
        mail.customer_id, web.customer_id,
        "the address in another case"
    );

    // The customer department sees its two tickets, newest first, and one elsewhere.
    let h = store
        .customer_history(&care, web.customer_id)
        .await
        .unwrap();
    let codes: Vec<&str> = h.tickets.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, [mail.code.as_str(), web.code.as_str()]);
    assert_eq!(h.elsewhere, 1);
    assert_eq!(h.name, "Đặng Thị Ánh");
    assert_eq!(h.phone.as_deref(), Some("0903123456"));
    let channels: Vec<&str> = h.tickets.iter().map(|t| t.channel.as_str()).collect();
    assert_eq!(channels, ["email", "web"]);
    // Sales sees the call only; an administrator all three, across channels.
    let h = store
        .customer_history(&sales, web.customer_id)
        .await
        .unwrap();
    assert_eq!(h.tickets.len(), 1);
    assert_eq!(h.tickets[0].code, phone.code);
    assert_eq!(h.elsewhere, 2);
    let h = store
        .customer_history(&admin, web.customer_id)
        .await
        .unwrap();
    assert_eq!(h.tickets.len(), 3);
    assert_eq!(h.elsewhere, 0);
    // RT-4: a department with none of the person's tickets finds nobody.
    assert!(matches!(
        store.customer_history(&design, web.customer_id).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.customer_history(&admin, 999_999).await,
        Err(StoreError::NotFound)
    ));

    // Found by contact, written any way.
    for typed in ["ÁNH.ĐẶNG@EXAMPLE.VN", "84903123456", "0903.123.456"] {
        let key = ContactKey::read(typed).unwrap();
        let found = store.customers_by_contact(&care, &key).await.unwrap();
        assert_eq!(found.len(), 1, "{typed}");
        assert_eq!(found[0].id, web.customer_id);
        assert_eq!(found[0].tickets, 2);
        assert!(
            store
                .customers_by_contact(&design, &key)
                .await
                .unwrap()
                .is_empty(),
            "{typed}"
        );
    }

    // Records from before the keys: emptied behind the store's back, filled in on opening.
    drop(store);
    db.tamper(
        "UPDATE customers SET email_key = NULL, phone_key = NULL; \
         DELETE FROM counters WHERE name = 'customers:keyed'",
    )
    .await;
    let store = Store::open(&db.location()).await.unwrap();
    let key = ContactKey::read("+84 903 123 456").unwrap();
    let found = store.customers_by_contact(&admin, &key).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].tickets, 3);
}

#[tokio::test]
async fn customer_history_sqlite() {
    one_person_across_channels(false).await;
}

#[tokio::test]
async fn customer_history_postgres() {
    one_person_across_channels(true).await;
}
