//! Fuzz target for the whole inbound pipeline's decisions (issue 4, SC-4, CH-7): raw bytes are
//! parsed, then every pure step `hotro_app::mail::inbox::ingest` takes with what it read runs on
//! it — the sender's address checked, the language chosen, the threading keys read, the new
//! text split from the quote, the intake rules applied to the ticket the mail would open (and,
//! when the rules refuse a field, to the neutral ticket the pipeline falls back to), the
//! customer's command the mail would be on an existing ticket, and the policy's confirmation and
//! notices rendered in the chosen language. Only the store's writes are left out.
//!
//! Every step must accept whatever the parser yields: a panic anywhere is a finding, and so
//! is a mail that would be lost (no ticket even from the neutral fallback).

#![no_main]

use hotro_core::contact::Email;
use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::text::limits;
use hotro_core::ticket::CustomerCommand;
use hotro_core::{Actor, Channel, Event, EventRecord, Language, Policy, Status, Ticket, to_customer};
use hotro_mail::{Limits, parse, ticket_code_in_subject, wrote_english};
use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::builtin)
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_message_bytes: 256 * 1024,
        ..Limits::default()
    };
    let mail = parse(data, &limits);
    let now: Timestamp = "2026-11-20T02:00:00Z".parse().unwrap();
    let policy = policy();

    // Who wrote, in which language, and which ticket it may belong to.
    let sender = mail
        .from
        .as_ref()
        .and_then(|m| Email::parse("from", &m.address).ok())
        .map(|e| e.as_str().to_ascii_lowercase());
    let language = if wrote_english(&mail) {
        Language::En
    } else {
        Language::Vi
    };
    let _ = mail.referenced_ids();
    if let Some(subject) = &mail.subject {
        let _ = ticket_code_in_subject(subject, &policy.ticket_code_prefix);
    }
    for cc in &mail.cc {
        let _ = Email::parse("cc", &cc.address);
    }

    // The ticket it would open, as the pipeline builds it.
    let new_text = mail.split_text().new_text.trim().to_owned();
    let description = if new_text.is_empty() {
        "(thư không có nội dung)".to_owned()
    } else {
        cut(&new_text, limits::DESCRIPTION)
    };
    let mut input = NewTicket {
        kind: Some("request".into()),
        channel: Some(Channel::Email.as_str().into()),
        customer_name: mail
            .from
            .as_ref()
            .and_then(|m| m.name.clone())
            .or_else(|| sender.clone())
            .map(|n| cut(&n, limits::NAME))
            .or_else(|| Some("(không rõ người gửi)".into())),
        customer_email: sender.clone(),
        subject: mail
            .subject
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| cut(s, limits::SUBJECT))
            .or_else(|| Some("(không có tiêu đề)".into())),
        description: Some(description),
        ..NewTicket::default()
    };
    let mut intake = match intake::validate(&input, Source::Mail, policy, now) {
        Ok(intake) => intake,
        Err(_) => {
            input.customer_name = Some("(không rõ người gửi)".into());
            input.customer_email = None;
            input.subject = Some("(không có tiêu đề)".into());
            if intake::validate(&input, Source::Mail, policy, now).is_err() {
                input.description = Some("(thư không có nội dung)".into());
            }
            // CH-7: the neutral fallback always yields a ticket; nothing is lost.
            intake::validate(&input, Source::Mail, policy, now)
                .expect("the neutral ticket of an unreadable mail is always valid")
        }
    };
    intake.set_language(language);
    let record = EventRecord {
        at: now,
        actor: Actor::Customer,
        event: intake.into_event("HT-2026-000001"),
    };
    let mut ticket = Ticket::received(&record).expect("intake yields a ticket");

    // The same mail as a message on that ticket, waiting for the customer (SL-5).
    ticket.status = Status::WaitingCustomer;
    let command = if mail.is_automatic() {
        CustomerCommand::AutomaticReply {
            channel: Channel::Email,
            body: new_text.clone(),
            reference: mail.message_id.clone(),
        }
    } else {
        CustomerCommand::AddInformation {
            channel: Channel::Email,
            body: cut(&new_text, limits::DESCRIPTION),
            attachments: Vec::new(),
            reference: mail.message_id.clone(),
        }
    };
    if let Ok(events) = ticket.decide_customer(&command) {
        for e in &events {
            ticket.apply(e);
        }
        // An out-of-office answer never ends the wait for the customer.
        if mail.is_automatic() {
            assert_eq!(ticket.status, Status::WaitingCustomer);
        }
    }

    // TR-1: what the customer would be sent, by the functions that decide it: the
    // confirmation, the refusal, and a notice for every status the policy announces.
    let subject = ticket.subject.clone();
    let language = ticket.customer.language.unwrap_or(Language::Vi);
    let link = "https://hotro.example.vn/track/{code}?secret=x";
    let to = "khach@example.vn";
    let confirmation = to_customer::confirmation(policy, &subject, to, link, language);
    assert!(!confirmation.subject.contains('\n'));
    let refused = to_customer::refused(policy, &subject, to, 25, language);
    assert!(!refused.subject.contains('\n'));
    ticket.customer.email = Some(to.into());
    for (status, _) in &policy.notices.status {
        let change = EventRecord {
            at: now,
            actor: Actor::System,
            event: Event::StatusChanged {
                from: ticket.status,
                to: *status,
                reason: None,
            },
        };
        for (_, notice) in to_customer::after_events(&ticket, 2, &[change], policy) {
            assert!(!notice.subject.contains('\n') && !notice.subject.contains('\r'));
        }
    }
});
