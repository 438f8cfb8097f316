//! What happened to a ticket: the append-only event log every read table is built from (SC-3).
//!
//! Events are serialisable on purpose: their JSON form is the permanent record that is
//! stored, hashed into the chain and replayed. Renaming a field here changes history's
//! meaning, so fields are only ever added (with defaults), never renamed.

use crate::attachment::Attachment;
use crate::kinds::{Channel, ComplaintCategory, Kind, Language, Priority, Status};
use crate::sla::SlaClock;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Who caused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Actor {
    Staff { id: i64 },
    Customer,
    System,
}

impl Actor {
    /// Compact text form for the `actor` column: `staff:12`, `customer`, `system`.
    pub fn to_column(self) -> String {
        match self {
            Actor::Staff { id } => format!("staff:{id}"),
            Actor::Customer => "customer".into(),
            Actor::System => "system".into(),
        }
    }

    pub fn from_column(text: &str) -> Option<Actor> {
        match text {
            "customer" => Some(Actor::Customer),
            "system" => Some(Actor::System),
            _ => text
                .strip_prefix("staff:")?
                .parse()
                .ok()
                .map(|id| Actor::Staff { id }),
        }
    }
}

/// An event with when and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRecord {
    pub at: Timestamp,
    pub actor: Actor,
    pub event: Event,
}

/// The customer's contact details as given at intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The language to write to them in (TR-1); absent means Vietnamese, the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

/// What a complaint must state (CH-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplaintDetails {
    pub incident_date: Date,
    pub category: ComplaintCategory,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_resolution: Option<String>,
}

/// What product feedback must state (CH-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackDetails {
    pub current_feature: String,
    pub proposed_improvement: String,
    pub reason: String,
}

/// A ticket's first event: everything known when it arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Received {
    pub code: String,
    pub kind: Kind,
    pub channel: Channel,
    pub department: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    pub priority: Priority,
    pub customer: CustomerDetails,
    pub subject: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<FeedbackDetails>,
    pub policy_version: String,
    /// SL-4: set when the complaint came after the policy's time bar; it is still recorded
    /// and answered in writing with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_barred: Option<TimeBarred>,
    /// RT-3: the topic the policy's phrase rules found in the text, when it differs from the
    /// one given; the agent confirms it (by a transfer) or ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_topic: Option<String>,
    /// Evidence and other files sent with the contact (CH-6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// RT-3: the product feature or performance area a feedback concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_area: Option<String>,
    /// RT-3: what the policy's rules read in the text and why; absent on tickets received
    /// before the rules were applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<ClassificationNote>,
}

/// RT-3: one field the rules decided, and the phrase (as the policy writes it) that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matched {
    /// `kind`, `topic`, `priority`, `feature_area` or `complaint_category`.
    pub field: String,
    pub value: String,
    pub phrase: String,
}

/// RT-3: the rules' reading of a ticket's text at intake, shown to the agent who accepts or
/// corrects it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassificationNote {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<Matched>,
    /// Topics whose phrases occur besides the one chosen: the text speaks of several matters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_topics: Vec<String>,
    /// The fields the rules set on the ticket (the door chose the others).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applied: Vec<String>,
    /// RT-2: the rules could not place the text, so it went to the triage department.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unclassified: bool,
}

/// RT-3: an agent accepts or corrects what a ticket was classified as; `from_*` is what it
/// was. Recorded even when nothing changes (an accepted suggestion), since every decision on
/// the rules' reading is training data for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reclassification {
    pub from_kind: Kind,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_feature_area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_area: Option<String>,
    /// The agent took the rules' suggestion as it was.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub accepted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The department the new topic belongs to, when the ticket moves there (a `Transferred`
    /// follows, RT-4); the SLA targets are chosen with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A ticket that becomes a complaint: what it states (SL-4), from its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_barred: Option<TimeBarred>,
}

/// SL-4: why a complaint is out of time, with the policy's numbers at intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeBarred {
    pub category: ComplaintCategory,
    /// The policy's limit for the category, in days after the incident.
    pub limit_days: u32,
    /// Days from the incident to the day the complaint was received (Vietnam dates).
    pub days_after_incident: i64,
}

/// An invitation to meet the customer (CP-1, round answers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub at: Timestamp,
    pub place: String,
}

/// How a complaint was settled (CP-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Exchange,
    Refund,
    CompensatingService,
    Other,
    NoFault,
}

impl OutcomeKind {
    pub const ALL: &'static [OutcomeKind] = &[
        OutcomeKind::Exchange,
        OutcomeKind::Refund,
        OutcomeKind::CompensatingService,
        OutcomeKind::Other,
        OutcomeKind::NoFault,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Exchange => "exchange",
            OutcomeKind::Refund => "refund",
            OutcomeKind::CompensatingService => "compensating_service",
            OutcomeKind::Other => "other",
            OutcomeKind::NoFault => "no_fault",
        }
    }

    pub fn parse(text: &str) -> Option<OutcomeKind> {
        OutcomeKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == text)
    }
}

/// A recorded outcome; `amount` is in whole Vietnamese đồng.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub kind: OutcomeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One thing that happened to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Received(Box<Received>),
    Taken {
        agent: i64,
    },
    /// A written answer to the customer (RP-1), on the channel it was sent by.
    Replied {
        channel: Channel,
        body: String,
    },
    /// An internal note, never shown to the customer (RP-3).
    NoteAdded {
        body: String,
    },
    StatusChanged {
        from: Status,
        to: Status,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The second and last round of a disputed complaint begins (CP-1).
    RoundStarted {
        round: u8,
    },
    MeetingInvited(Meeting),
    OutcomeRecorded(Outcome),
    /// CP-2: the outcome a written answer to a complaint proposes; the customer's acceptance
    /// records it (`OutcomeRecorded`), a dispute sets it aside.
    OutcomeProposed(Outcome),
    /// The ticket moved to another department, with the reason (RT-4).
    Transferred {
        from: String,
        to: String,
        reason: String,
    },
    /// The only way to move a ticket in the queue (QF-1).
    PriorityChanged {
        from: Priority,
        to: Priority,
        reason: String,
    },
    /// RT-3: an agent corrects the topic the ticket was filed or classified under.
    TopicChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
        reason: String,
    },
    /// RP-3: the department asks another department for its input, without a transfer.
    ConsultationRequested {
        number: u32,
        department: String,
        question: String,
    },
    /// RP-3: the consulted department's answer, kept as internal information.
    ConsultationAnswered {
        number: u32,
        department: String,
        answer: String,
    },
    /// SL-6: the warning threshold of a clock passed; the responsible agent (if any) and the
    /// department's active leads are told.
    SlaWarned {
        clock: SlaClock,
        due_at: Timestamp,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<i64>,
        /// Absent in logs written before leads were warned too.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        leads: Vec<i64>,
    },
    /// SL-6: a clock's due instant passed; the ticket escalates to the department's lead and
    /// the breach is on record for reports.
    SlaEscalated {
        clock: SlaClock,
        due_at: Timestamp,
        department: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lead: Option<i64>,
        /// Every active lead of the department, all told; absent in older logs.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        leads: Vec<i64>,
    },
    /// SL-6: at a breach the ticket is assigned to the department's lead (`lead`), who must
    /// act on it; unlike `Taken` it meets no clock, since nobody took the ticket up.
    EscalatedTo {
        lead: i64,
    },
    /// Issue 16: a lead or an administrator (`by`) handed the ticket to `agent`, saying why.
    /// Like `EscalatedTo` it meets no clock: being given a ticket is not taking it up.
    Assigned {
        agent: i64,
        by: i64,
        reason: String,
    },
    /// QF-3: the customer's previous issue (`previous`) is done, so this one must be taken up
    /// by `by`.
    StartByScheduled {
        by: Timestamp,
        previous: String,
    },
    /// The customer wrote to the ticket (more information, a dispute's reason, a reopening's
    /// reason), on the channel they used (TR-2).
    CustomerWrote {
        channel: Channel,
        body: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
        /// The sender's own reference for the message (a chat widget's message id), so that
        /// a message sent again after a dropped connection is recognised.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// Written by the customer's machine (an out-of-office answer), not by them: kept in
        /// the timeline, but it answers no question and ends no pause (SL-5).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        automatic: bool,
    },
    /// The customer accepted the answer (CP-1); a status change to `resolved` follows.
    Accepted,
    /// The customer's satisfaction after resolution (CP-4), 1 to 5.
    Rated {
        score: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// RT-3: an agent accepted or corrected the ticket's kind, topic and feature area.
    Reclassified(Box<Reclassification>),
}

impl Event {
    /// The event's type name, as stored in the `kind` column.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::Received(_) => "received",
            Event::Taken { .. } => "taken",
            Event::Replied { .. } => "replied",
            Event::NoteAdded { .. } => "note_added",
            Event::StatusChanged { .. } => "status_changed",
            Event::RoundStarted { .. } => "round_started",
            Event::MeetingInvited(_) => "meeting_invited",
            Event::OutcomeRecorded(_) => "outcome_recorded",
            Event::OutcomeProposed(_) => "outcome_proposed",
            Event::Transferred { .. } => "transferred",
            Event::PriorityChanged { .. } => "priority_changed",
            Event::TopicChanged { .. } => "topic_changed",
            Event::ConsultationRequested { .. } => "consultation_requested",
            Event::ConsultationAnswered { .. } => "consultation_answered",
            Event::SlaWarned { .. } => "sla_warned",
            Event::SlaEscalated { .. } => "sla_escalated",
            Event::EscalatedTo { .. } => "escalated_to",
            Event::Assigned { .. } => "assigned",
            Event::StartByScheduled { .. } => "start_by_scheduled",
            Event::CustomerWrote { .. } => "customer_wrote",
            Event::Accepted => "accepted",
            Event::Rated { .. } => "rated",
            Event::Reclassified(_) => "reclassified",
        }
    }

    /// The canonical JSON stored in the log and hashed into the chain.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("events always serialise")
    }

    pub fn from_json(text: &str) -> Result<Event, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_column_round_trips() {
        for a in [Actor::Staff { id: 42 }, Actor::Customer, Actor::System] {
            assert_eq!(Actor::from_column(&a.to_column()), Some(a));
        }
        assert_eq!(Actor::from_column("staff:x"), None);
    }

    #[test]
    fn event_json_round_trips() {
        let e = Event::PriorityChanged {
            from: Priority::Normal,
            to: Priority::Urgent,
            reason: "Khách hàng VIP mất dịch vụ".into(),
        };
        let json = e.to_json();
        assert!(json.starts_with(r#"{"type":"priority_changed""#), "{json}");
        assert_eq!(Event::from_json(&json).unwrap(), e);
    }

    #[test]
    fn sl6_a_warning_logged_before_leads_were_named_still_reads() {
        let old = r#"{"type":"sla_warned","clock":"acknowledge","due_at":"2026-03-02T03:00:00Z","agent":7}"#;
        let Event::SlaWarned { agent, leads, .. } = Event::from_json(old).unwrap() else {
            panic!("not a warning");
        };
        assert_eq!((agent, leads), (Some(7), Vec::new()));
    }
}
