//! The bodies of the ticket commands, each one type that the OpenAPI document shows and the
//! handler reads (`body::ReadBody`), and the command it becomes.

use crate::body::{Fields, ReadBody};
use hotro_core::event::{Meeting, Outcome, OutcomeKind};
use hotro_core::ticket::StatusChange;
use hotro_core::{Channel, Command, Kind, Priority, Status};
use jiff::Timestamp;
use utoipa::ToSchema;

/// A written answer (RP-1, RP-2); optionally moves the status in the same step.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    /// Must begin with the policy greeting; on e-mail, end with the policy closing.
    pub body: String,
    /// Defaults to the ticket's channel.
    #[schema(value_type = Option<String>, pattern = "^(email|web|chat|phone|walk_in|post|social|app|api)$")]
    pub channel: Option<Channel>,
    /// A status to move to after the reply, e.g. `answered`.
    #[schema(value_type = Option<String>, pattern = "^(new|acknowledged|in_progress|waiting_customer|answered|disputed|resolved|referred_external|closed|reopened)$")]
    pub status: Option<Status>,
    pub reason: Option<String>,
    /// On a complaint (CP-2): the outcome this answer proposes, recorded when the customer
    /// accepts; with `status` `resolved` or `closed`, the outcome recorded now.
    pub outcome: Option<OutcomeBody>,
    pub meeting: Option<MeetingBody>,
}

impl ReadBody for ReplyBody {
    fn read(f: &mut Fields) -> Self {
        let body = f.string("body").unwrap_or_default();
        let channel = f.vocabulary("channel", Channel::parse);
        let (status, reason, outcome, meeting) = read_status_change(f);
        ReplyBody {
            body,
            channel,
            status,
            reason,
            outcome,
            meeting,
        }
    }
}

impl From<ReplyBody> for Command {
    fn from(b: ReplyBody) -> Command {
        // An answer that settles the matter records its outcome; any other proposes it.
        let settles = matches!(b.status, Some(Status::Resolved | Status::Closed));
        let (recorded, proposed) = if settles {
            (b.outcome, None)
        } else {
            (None, b.outcome.map(|o| Box::new(Outcome::from(o))))
        };
        Command::Reply {
            body: b.body,
            channel: b.channel,
            then: status_change(b.status, b.reason, recorded, b.meeting),
            outcome: proposed,
        }
    }
}

/// An internal note, never shown to the customer (RP-3).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub body: String,
}

impl ReadBody for NoteBody {
    fn read(f: &mut Fields) -> Self {
        NoteBody {
            body: f.string("body").unwrap_or_default(),
        }
    }
}

impl From<NoteBody> for Command {
    fn from(b: NoteBody) -> Command {
        Command::Note { body: b.body }
    }
}

/// A status change; `reason` is required to close an unresolved ticket or refer it out.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    #[schema(value_type = String, pattern = "^(new|acknowledged|in_progress|waiting_customer|answered|disputed|resolved|referred_external|closed|reopened)$")]
    pub status: Option<Status>,
    pub reason: Option<String>,
    pub outcome: Option<OutcomeBody>,
    pub meeting: Option<MeetingBody>,
}

impl ReadBody for StatusBody {
    fn read(f: &mut Fields) -> Self {
        let (status, reason, outcome, meeting) = read_status_change(f);
        // After the other fields, as it always was reported.
        if status.is_none() && !f.has_error("status") {
            f.error("status", "required");
        }
        StatusBody {
            status,
            reason,
            outcome,
            meeting,
        }
    }
}

impl From<StatusBody> for Command {
    /// Of a body read without errors, which always has a status.
    fn from(b: StatusBody) -> Command {
        let change = status_change(b.status, b.reason, b.outcome, b.meeting);
        Command::ChangeStatus(change.expect("a body without errors names a status"))
    }
}

/// How a complaint was settled (CP-2); amounts in whole đồng.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeBody {
    /// `exchange` | `refund` | `compensating_service` | `other` | `no_fault`
    #[schema(value_type = String, pattern = "^(exchange|refund|compensating_service|other|no_fault)$")]
    pub kind: OutcomeKind,
    pub amount: Option<i64>,
    pub note: Option<String>,
}

impl OutcomeBody {
    /// The nested object's fields; `None` when its kind is missing or unknown.
    fn read(o: &mut Fields) -> Option<OutcomeBody> {
        let kind = o.required_vocabulary("kind", OutcomeKind::parse);
        let amount = o.integer("amount");
        let note = o.string("note");
        kind.map(|kind| OutcomeBody { kind, amount, note })
    }
}

/// An invitation to meet (CP-1).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingBody {
    /// RFC 3339, e.g. `2026-11-25T09:00:00+07:00`.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub place: String,
}

impl MeetingBody {
    /// The nested object's fields; `None` when its time is missing or not a date-time.
    fn read(m: &mut Fields) -> Option<MeetingBody> {
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
        at.map(|at| MeetingBody { at, place })
    }
}

/// `status`, `reason`, `outcome` and `meeting`, shared by a reply and a status change.
fn read_status_change(
    f: &mut Fields,
) -> (
    Option<Status>,
    Option<String>,
    Option<OutcomeBody>,
    Option<MeetingBody>,
) {
    let status = f.vocabulary("status", Status::parse);
    let reason = f.string("reason");
    let outcome = f.object("outcome").and_then(|mut o| {
        let outcome = OutcomeBody::read(&mut o);
        f.absorb(o);
        outcome
    });
    let meeting = f.object("meeting").and_then(|mut m| {
        let meeting = MeetingBody::read(&mut m);
        f.absorb(m);
        meeting
    });
    (status, reason, outcome, meeting)
}

/// The change asked for; `None` when no status was given.
fn status_change(
    to: Option<Status>,
    reason: Option<String>,
    outcome: Option<OutcomeBody>,
    meeting: Option<MeetingBody>,
) -> Option<StatusChange> {
    to.map(|to| StatusChange {
        to,
        reason,
        outcome: outcome.map(Outcome::from),
        meeting: meeting.map(|m| Meeting {
            at: m.at,
            place: m.place,
        }),
    })
}

/// A transfer to another department, with the reason (RT-4).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    pub department: String,
    pub reason: String,
}

impl ReadBody for TransferBody {
    fn read(f: &mut Fields) -> Self {
        TransferBody {
            department: f.string("department").unwrap_or_default(),
            reason: f.string("reason").unwrap_or_default(),
        }
    }
}

impl From<TransferBody> for Command {
    fn from(b: TransferBody) -> Command {
        Command::Transfer {
            department: b.department,
            reason: b.reason,
        }
    }
}

/// A new priority, with the reason (QF-1).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityBody {
    /// `urgent` | `high` | `normal` | `low`
    #[schema(value_type = String, pattern = "^(urgent|high|normal|low)$")]
    pub priority: Option<Priority>,
    pub reason: String,
}

impl ReadBody for PriorityBody {
    fn read(f: &mut Fields) -> Self {
        PriorityBody {
            priority: f.required_vocabulary("priority", Priority::parse),
            reason: f.string("reason").unwrap_or_default(),
        }
    }
}

impl From<PriorityBody> for Command {
    /// Of a body read without errors, which always has a priority.
    fn from(b: PriorityBody) -> Command {
        Command::ChangePriority {
            priority: b.priority.expect("a body without errors names a priority"),
            reason: b.reason,
        }
    }
}

/// RT-3: what a topic correction carries.
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicBody {
    /// A topic id of the policy, of the ticket's own department.
    pub topic: String,
    pub reason: String,
}

impl ReadBody for TopicBody {
    fn read(f: &mut Fields) -> Self {
        TopicBody {
            topic: f.string("topic").unwrap_or_default(),
            reason: f.string("reason").unwrap_or_default(),
        }
    }
}

impl From<TopicBody> for Command {
    fn from(b: TopicBody) -> Command {
        Command::ChangeTopic {
            topic: b.topic,
            reason: b.reason,
        }
    }
}

/// RT-3: the agent's classification of a ticket: accept the rules' suggestion (`accepted`)
/// or correct kind, topic and feature area. A topic of another department moves the ticket
/// there, recorded as a transfer (RT-4).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationBody {
    /// `request` | `complaint` | `feedback`
    #[schema(value_type = String, pattern = "^(request|complaint|feedback)$")]
    pub kind: Option<Kind>,
    /// A topic id of the policy; absent for none.
    pub topic: Option<String>,
    /// A feature area id of the policy (feedback only); absent for none.
    pub feature_area: Option<String>,
    /// The rules' suggestion is taken as it is; recorded even when nothing changes.
    pub accepted: Option<bool>,
    pub reason: Option<String>,
}

impl ReadBody for ClassificationBody {
    fn read(f: &mut Fields) -> Self {
        ClassificationBody {
            kind: f.required_vocabulary("kind", Kind::parse),
            topic: f.string("topic"),
            feature_area: f.string("feature_area"),
            accepted: f.boolean("accepted"),
            reason: f.string("reason"),
        }
    }
}

impl From<ClassificationBody> for Command {
    /// Of a body read without errors, which always has a kind.
    fn from(b: ClassificationBody) -> Command {
        Command::Reclassify {
            kind: b.kind.expect("a body without errors names a kind"),
            topic: b.topic,
            feature_area: b.feature_area,
            accepted: b.accepted.unwrap_or(false),
            reason: b.reason,
        }
    }
}

impl From<OutcomeBody> for Outcome {
    fn from(o: OutcomeBody) -> Outcome {
        Outcome {
            kind: o.kind,
            amount: o.amount,
            note: o.note,
        }
    }
}
