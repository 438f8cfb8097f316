//! What the customer is sent for which events (TR-1, RP-1, SL-4), decided without a store.

use super::*;
use crate::intake::{self, NewTicket, Source};
use crate::kinds::{Kind, Status};
use jiff::Timestamp;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A ticket received at `now`, by `channel`, from a customer with or without an address.
fn received(kind: Kind, channel: Channel, email: bool, incident: &str, now: Timestamp) -> Ticket {
    let policy = Policy::builtin();
    let input = NewTicket {
        kind: Some(kind.as_str().into()),
        channel: Some(channel.as_str().into()),
        customer_name: Some("Trần Thị Bình".into()),
        customer_email: email.then(|| "binh@example.vn".into()),
        customer_phone: (!email).then(|| "0901234567".into()),
        subject: Some("Hóa đơn sai".into()),
        description: Some("Hóa đơn tháng 10 tính sai số tiền.".into()),
        incident_date: (kind == Kind::Complaint).then(|| incident.into()),
        complaint_category: (kind == Kind::Complaint).then(|| "service_quality".into()),
        ..NewTicket::default()
    };
    let intake = intake::validate(&input, Source::Staff, &policy, now).unwrap();
    let records = intake.into_records("HT-2026-000007", Actor::Customer, now, &policy);
    Ticket::from_history(&records).unwrap()
}

fn by_staff(event: Event) -> EventRecord {
    EventRecord {
        at: at("2026-11-20T03:00:00Z"),
        actor: Actor::Staff { id: 1 },
        event,
    }
}

fn moved(from: Status, to: Status) -> Event {
    Event::StatusChanged {
        from,
        to,
        reason: None,
    }
}

#[test]
fn tr1_one_notice_per_command_for_the_last_announced_change() {
    let policy = Policy::builtin();
    let now = at("2026-11-20T02:00:00Z");
    let t = received(Kind::Request, Channel::Web, true, "", now);
    let records = [
        by_staff(moved(Status::New, Status::Acknowledged)),
        by_staff(moved(Status::Acknowledged, Status::InProgress)),
        by_staff(moved(Status::InProgress, Status::WaitingCustomer)),
    ];
    let mails = after_events(&t, 4, &records, &policy);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (i, mail) = &mails[0];
    assert_eq!(*i, 2);
    assert_eq!(mail.key, "notice:HT-2026-000007:6");
    assert_eq!(mail.kind, "notice.waiting_customer");
    assert!(mail.automatic && mail.body.starts_with("Kính thưa quý khách"));
}

#[test]
fn rp1_an_email_answer_goes_out_and_replaces_the_notice() {
    let policy = Policy::builtin();
    let now = at("2026-11-20T02:00:00Z");
    let t = received(Kind::Request, Channel::Email, true, "", now);
    let records = [
        by_staff(Event::Replied {
            channel: Channel::Email,
            body: "Kính thưa quý khách, … Trân trọng.".into(),
        }),
        by_staff(moved(Status::InProgress, Status::Answered)),
    ];
    let mails = after_events(&t, 2, &records, &policy);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0].1;
    assert_eq!(
        (mail.key.as_str(), mail.kind.as_str(), mail.subject.as_str()),
        (
            "reply:HT-2026-000007:2",
            "reply",
            "Re: [HT-2026-000007] Hóa đơn sai"
        )
    );
    assert!(!mail.automatic);
}

#[test]
fn tr1_nothing_for_the_customers_own_moves_or_without_an_address() {
    let policy = Policy::builtin();
    let now = at("2026-11-20T02:00:00Z");
    let t = received(Kind::Request, Channel::Web, true, "", now);
    let own = EventRecord {
        actor: Actor::Customer,
        ..by_staff(moved(Status::Answered, Status::Resolved))
    };
    assert!(after_events(&t, 2, &[own], &policy).is_empty());
    let phone = received(Kind::Request, Channel::Phone, false, "", now);
    let change = by_staff(moved(Status::New, Status::Acknowledged));
    assert!(after_events(&phone, 2, &[change], &policy).is_empty());
}

#[test]
fn sl4_the_late_complaint_is_answered_in_writing_in_its_intake() {
    let now = at("2026-11-20T02:00:00Z");
    // By phone with an address: the answer goes by e-mail, stating the numbers.
    let t = received(Kind::Complaint, Channel::Phone, true, "2026-08-01", now);
    let Some(Event::Replied { channel, body }) = time_barred_answer(&t, &Policy::builtin()) else {
        panic!("a late complaint is answered");
    };
    assert_eq!(channel, Channel::Email);
    assert!(body.starts_with("Kính thưa quý khách"), "{body}");
    assert!(
        body.contains("HT-2026-000007") && body.contains("01/08/2026"),
        "{body}"
    );
    assert!(body.contains("quá thời hiệu"), "{body}");
    // By phone without one: by letter.
    let t = received(Kind::Complaint, Channel::Phone, false, "2026-08-01", now);
    assert!(matches!(
        time_barred_answer(&t, &Policy::builtin()),
        Some(Event::Replied {
            channel: Channel::Post,
            ..
        })
    ));
    // In time: no answer, and intake's records are the reception alone.
    let t = received(Kind::Complaint, Channel::Web, true, "2026-11-10", now);
    assert!(time_barred_answer(&t, &Policy::builtin()).is_none());
    assert_eq!(t.replies, 0);
}

#[test]
fn cp2_closing_a_request_needs_a_reason_the_customer_sees() {
    let policy = Policy::builtin();
    let now = at("2026-11-20T02:00:00Z");
    let t = received(Kind::Request, Channel::Web, true, "", now);
    let closed = by_staff(Event::StatusChanged {
        from: Status::InProgress,
        to: Status::Closed,
        reason: Some("Trùng với phiếu HT-2026-000009".into()),
    });
    let mails = after_events(&t, 4, &[closed], &policy);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0].1;
    assert_eq!(mail.kind, "notice.closed");
    assert!(mail.subject.contains("HT-2026-000007"), "{}", mail.subject);
    assert!(
        mail.body.contains("Lý do: Trùng với phiếu HT-2026-000009"),
        "{}",
        mail.body
    );
    assert!(mail.body.starts_with("Kính thưa quý khách"));
}
