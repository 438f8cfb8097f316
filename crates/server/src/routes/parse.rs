//! Reading request fields into core commands, with every shape error collected.

use crate::body::Fields;
use hotro_core::event::{Meeting, Outcome, OutcomeKind};
use hotro_core::intake::NewTicket;
use hotro_core::ticket::StatusChange;
use hotro_core::{Channel, Priority, Status};
use jiff::Timestamp;

/// Reads a vocabulary value: unknown text is a `one_of` error.
pub fn vocabulary<T>(f: &mut Fields, name: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let raw = f.string(name)?;
    let parsed = parse(raw.trim());
    if parsed.is_none() {
        f.error(name, "one_of");
    }
    parsed
}

pub fn channel(f: &mut Fields, name: &str) -> Option<Channel> {
    vocabulary(f, name, Channel::parse)
}

pub fn status(f: &mut Fields, name: &str) -> Option<Status> {
    vocabulary(f, name, Status::parse)
}

pub fn priority(f: &mut Fields, name: &str) -> Option<Priority> {
    vocabulary(f, name, Priority::parse)
}

/// The fields of a new ticket, flat, as the core intake rules take them.
pub fn new_ticket(f: &mut Fields) -> NewTicket {
    let mut t = NewTicket {
        kind: f.string("kind"),
        channel: f.string("channel"),
        subject: f.string("subject"),
        description: f.string("description"),
        topic: f.string("topic"),
        incident_date: f.string("incident_date"),
        complaint_category: f.string("complaint_category"),
        requested_resolution: f.string("requested_resolution"),
        current_feature: f.string("current_feature"),
        proposed_improvement: f.string("proposed_improvement"),
        reason: f.string("reason"),
        ..NewTicket::default()
    };
    if let Some(mut c) = f.object("customer") {
        t.customer_name = c.string("name");
        t.customer_email = c.string("email");
        t.customer_phone = c.string("phone");
        t.customer_address = c.string("address");
        f.absorb(c);
    }
    t
}

/// `status`, `reason`, `outcome` and `meeting`; `None` when no status was given.
pub fn status_change(f: &mut Fields) -> Option<StatusChange> {
    let to = status(f, "status");
    let reason = f.string("reason");
    let outcome = f.object("outcome").and_then(|mut o| {
        let kind = vocabulary(&mut o, "kind", OutcomeKind::parse);
        if kind.is_none() && !o.has_error("kind") {
            o.error("kind", "required");
        }
        let amount = o.integer("amount");
        let note = o.string("note");
        f.absorb(o);
        kind.map(|kind| Outcome { kind, amount, note })
    });
    let meeting = f.object("meeting").and_then(|mut m| {
        let at = match m.string("at") {
            None => {
                m.error("at", "required");
                None
            }
            Some(raw) => raw.trim().parse::<Timestamp>().ok().or_else(|| {
                m.error("at", "datetime");
                None
            }),
        };
        let place = m.string("place").unwrap_or_default();
        f.absorb(m);
        at.map(|at| Meeting { at, place })
    });
    to.map(|to| StatusChange {
        to,
        reason,
        outcome,
        meeting,
    })
}
