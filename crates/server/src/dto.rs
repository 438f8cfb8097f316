//! The JSON shapes of the API, documented for OpenAPI. Requests are read field by field
//! (see `body.rs`) so that every error is reported; these request types describe them.

use hotro_core::event::{Actor, Event, TimeBarred};
use hotro_core::sla::{ClockStatus, SlaStatus};
use hotro_core::{StaffMember, Ticket};
use hotro_store::{QueueItem, TicketView, TimelineEntry};
use serde::Serialize;
use utoipa::ToSchema;

// ---- requests (documentation of what the handlers read) ----------------------------------

/// A new ticket. Complaints also need `incident_date` and `complaint_category`; feedback
/// needs `current_feature`, `proposed_improvement` and `reason` (CH-6).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct NewTicketBody {
    /// `request` | `complaint` | `feedback`
    pub kind: String,
    /// `email` | `web` | `chat` | `phone` | `walk_in` | `post` | `social` | `app` | `api`;
    /// public intake defaults to `web` and refuses `phone`, `walk_in` and `post`.
    pub channel: Option<String>,
    pub customer: CustomerBody,
    /// At most 300 characters.
    pub subject: String,
    /// At most 20,000 characters.
    pub description: String,
    /// A topic id of the policy; it decides the department (RT-2).
    pub topic: Option<String>,
    /// Complaint: `YYYY-MM-DD`, not in the future.
    pub incident_date: Option<String>,
    /// Complaint: `service_quality` | `business`.
    pub complaint_category: Option<String>,
    pub requested_resolution: Option<String>,
    pub current_feature: Option<String>,
    pub proposed_improvement: Option<String>,
    pub reason: Option<String>,
}

/// The customer; online submissions need an e-mail or a phone number.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct CustomerBody {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// A written answer (RP-1, RP-2); optionally moves the status in the same step.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ReplyBody {
    /// Must begin with the policy greeting; on e-mail, end with the policy closing.
    pub body: String,
    /// Defaults to the ticket's channel.
    pub channel: Option<String>,
    /// A status to move to after the reply, e.g. `answered`.
    pub status: Option<String>,
    pub reason: Option<String>,
    pub outcome: Option<OutcomeBody>,
    pub meeting: Option<MeetingBody>,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct NoteBody {
    pub body: String,
}

/// A status change; `reason` is required to close an unresolved ticket or refer it out.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct StatusBody {
    pub status: String,
    pub reason: Option<String>,
    pub outcome: Option<OutcomeBody>,
    pub meeting: Option<MeetingBody>,
}

/// How a complaint was settled (CP-2); amounts in whole đồng.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct OutcomeBody {
    /// `exchange` | `refund` | `compensating_service` | `other` | `no_fault`
    pub kind: String,
    pub amount: Option<i64>,
    pub note: Option<String>,
}

/// An invitation to meet (CP-1).
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct MeetingBody {
    /// RFC 3339, e.g. `2026-11-25T09:00:00+07:00`.
    pub at: String,
    pub place: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct TransferBody {
    pub department: String,
    pub reason: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct PriorityBody {
    /// `urgent` | `high` | `normal` | `low`
    pub priority: String,
    pub reason: String,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

// ---- responses ---------------------------------------------------------------------------

/// A ticket just received.
#[derive(Serialize, ToSchema)]
pub struct CreatedTicket {
    pub code: String,
    /// The customer's secret link to follow the ticket (TR-2).
    pub tracking_url: String,
    /// The secret in that link, for integrations that build their own.
    pub tracking_secret: String,
    pub kind: String,
    pub status: String,
    pub department: String,
    pub received_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct StaffDto {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: String,
}

impl From<&StaffMember> for StaffDto {
    fn from(s: &StaffMember) -> Self {
        StaffDto {
            id: s.id,
            email: s.email.clone(),
            name: s.name.clone(),
            department: s.department.clone(),
            role: s.role.as_str().into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CustomerDto {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// Who did something on the timeline.
#[derive(Serialize, ToSchema)]
pub struct ActorDto {
    /// `staff` | `customer` | `system`
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TimelineEntryDto {
    pub seq: i64,
    pub at: String,
    pub actor: ActorDto,
    /// The event: `type` names it (`received`, `taken`, `replied`, `note_added`,
    /// `status_changed`, `round_started`, `meeting_invited`, `outcome_recorded`,
    /// `transferred`, `priority_changed`) and the other members are its details.
    #[schema(value_type = Object)]
    pub event: serde_json::Value,
}

impl TimelineEntryDto {
    fn staff_view(e: &TimelineEntry) -> TimelineEntryDto {
        TimelineEntryDto {
            seq: e.seq,
            at: e.at.to_string(),
            actor: match e.actor {
                Actor::Staff { id } => ActorDto {
                    kind: "staff",
                    id: Some(id),
                    name: e.actor_name.clone(),
                },
                Actor::Customer => ActorDto {
                    kind: "customer",
                    id: None,
                    name: None,
                },
                Actor::System => ActorDto {
                    kind: "system",
                    id: None,
                    name: None,
                },
            },
            event: serde_json::to_value(&e.event).unwrap_or_default(),
        }
    }
}

/// A ticket as staff see it: everything, with its timeline.
#[derive(Serialize, ToSchema)]
pub struct TicketDto {
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub department: String,
    pub topic: Option<String>,
    pub priority: String,
    pub status: String,
    pub assignee: Option<AssigneeDto>,
    pub customer: CustomerDto,
    pub subject: String,
    pub description: String,
    #[schema(value_type = Option<Object>)]
    pub complaint: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub feedback: Option<serde_json::Value>,
    /// Complaint round, 1 or 2 (CP-1).
    pub complaint_round: u8,
    #[schema(value_type = Option<Object>)]
    pub meeting: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub outcome: Option<serde_json::Value>,
    pub received_at: String,
    /// The policy version whose deadlines apply (PL-2).
    pub policy_version: String,
    /// SL-2, SL-3, SL-5, QF-3: the ticket's clocks at the time of the request.
    pub sla: Option<SlaDto>,
    /// SL-4: set when the complaint came after the policy's time bar.
    pub time_barred: Option<TimeBarDto>,
    /// RT-3: the topic the policy's phrase rules found, when it differs from the topic.
    pub suggested_topic: Option<String>,
    pub timeline: Vec<TimelineEntryDto>,
}

/// Every clock of a ticket; a clock the policy does not set for it is absent.
#[derive(Serialize, ToSchema)]
pub struct SlaDto {
    pub acknowledge: Option<ClockDto>,
    pub resolve: Option<ClockDto>,
    /// QF-3: take-up deadline after the customer's previous issue was done.
    pub start: Option<ClockDto>,
}

/// One SLA clock.
#[derive(Serialize, ToSchema)]
pub struct ClockDto {
    pub within: u32,
    /// `working_hours`, `working_days` or `calendar_days`.
    pub unit: String,
    /// When the limit is reached; null while paused (SL-5), as it moves on resume.
    pub due_at: Option<String>,
    /// When the warning threshold is reached (SL-6).
    pub warn_at: Option<String>,
    pub met_at: Option<String>,
    /// `on_time`, `warning` or `breached`.
    pub state: String,
    /// Paused while the ticket waits for the customer (SL-5).
    pub paused: bool,
    /// Working minutes (working units) or seconds (calendar days) left; negative when late.
    pub remaining: i64,
    pub warned: bool,
    pub escalated: bool,
}

impl From<&SlaStatus> for SlaDto {
    fn from(s: &SlaStatus) -> Self {
        let clock = |c: &Option<ClockStatus>| {
            c.as_ref().map(|c| ClockDto {
                within: c.within,
                unit: c.unit.as_str().into(),
                due_at: c.due_at.map(|t| t.to_string()),
                warn_at: c.warn_at.map(|t| t.to_string()),
                met_at: c.met_at.map(|t| t.to_string()),
                state: c.state.as_str().into(),
                paused: c.paused,
                remaining: c.remaining,
                warned: c.warned,
                escalated: c.escalated,
            })
        };
        SlaDto {
            acknowledge: clock(&s.acknowledge),
            resolve: clock(&s.resolve),
            start: clock(&s.start),
        }
    }
}

/// SL-4: why a complaint is out of time.
#[derive(Serialize, ToSchema)]
pub struct TimeBarDto {
    /// `service_quality` or `business`.
    pub category: String,
    /// The policy's limit for the category, in days after the incident.
    pub limit_days: u32,
    pub days_after_incident: i64,
}

impl From<&TimeBarred> for TimeBarDto {
    fn from(t: &TimeBarred) -> Self {
        TimeBarDto {
            category: t.category.as_str().into(),
            limit_days: t.limit_days,
            days_after_incident: t.days_after_incident,
        }
    }
}

/// The suggested topic recorded at intake (RT-3).
fn suggested_topic(v: &TicketView) -> Option<String> {
    v.timeline.first().and_then(|e| match &e.event {
        Event::Received(r) => r.suggested_topic.clone(),
        _ => None,
    })
}

#[derive(Serialize, ToSchema)]
pub struct AssigneeDto {
    pub id: i64,
    pub name: Option<String>,
}

fn json<T: Serialize>(v: &Option<T>) -> Option<serde_json::Value> {
    v.as_ref().and_then(|v| serde_json::to_value(v).ok())
}

impl From<&TicketView> for TicketDto {
    fn from(v: &TicketView) -> Self {
        let t = &v.ticket;
        TicketDto {
            code: t.code.clone(),
            kind: t.kind.as_str().into(),
            channel: t.channel.as_str().into(),
            department: t.department.clone(),
            topic: t.topic.clone(),
            priority: t.priority.as_str().into(),
            status: t.status.as_str().into(),
            assignee: t.assignee.map(|id| AssigneeDto {
                id,
                name: v.assignee_name.clone(),
            }),
            customer: CustomerDto {
                id: v.customer_id,
                name: t.customer.name.clone(),
                email: t.customer.email.clone(),
                phone: t.customer.phone.clone(),
                address: t.customer.address.clone(),
            },
            subject: t.subject.clone(),
            description: t.description.clone(),
            complaint: json(&t.complaint),
            feedback: json(&t.feedback),
            complaint_round: t.round,
            meeting: json(&t.meeting),
            outcome: json(&t.outcome),
            received_at: t.received_at.to_string(),
            policy_version: t.policy_version.clone(),
            sla: None,
            time_barred: t.time_barred.as_ref().map(TimeBarDto::from),
            suggested_topic: suggested_topic(v),
            timeline: v
                .timeline
                .iter()
                .map(TimelineEntryDto::staff_view)
                .collect(),
        }
    }
}

/// One entry of the customer's timeline: what was said to them and where their ticket
/// stands — never internal notes, reasons, priorities or staff names.
#[derive(Serialize, ToSchema)]
pub struct PublicEntryDto {
    pub at: String,
    /// `received` | `replied` | `customer_wrote` | `accepted` | `rated` | `status_changed` |
    /// `round_started` | `meeting_invited` | `outcome_recorded` | `transferred`
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    /// Files the customer sent with this entry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentDto>,
}

/// A stored file, by its digest.
#[derive(Serialize, ToSchema)]
pub struct AttachmentDto {
    pub sha256: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
}

impl From<&hotro_core::attachment::Attachment> for AttachmentDto {
    fn from(a: &hotro_core::attachment::Attachment) -> Self {
        AttachmentDto {
            sha256: a.sha256.clone(),
            name: a.name.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
        }
    }
}

/// The customer's tracking view (TR-2).
#[derive(Serialize, ToSchema)]
pub struct PublicTicketDto {
    pub code: String,
    pub kind: String,
    pub status: String,
    pub subject: String,
    /// The department's name, as the policy publishes it.
    pub department: String,
    pub complaint_round: u8,
    pub received_at: String,
    /// SL-4: the complaint came after the time bar; the written answer is in the timeline.
    pub time_barred: Option<TimeBarDto>,
    pub timeline: Vec<PublicEntryDto>,
}

impl PublicTicketDto {
    pub fn new(v: &TicketView, department_name: impl Fn(&str) -> String) -> PublicTicketDto {
        let t: &Ticket = &v.ticket;
        let timeline = v
            .timeline
            .iter()
            .filter_map(|e| {
                let at = e.at.to_string();
                let entry = |kind| PublicEntryDto {
                    at: at.clone(),
                    kind,
                    body: None,
                    channel: None,
                    status: None,
                    department: None,
                    details: None,
                    attachments: Vec::new(),
                };
                Some(match &e.event {
                    Event::Received(r) => PublicEntryDto {
                        body: Some(r.description.clone()),
                        channel: Some(r.channel.as_str().into()),
                        attachments: r.attachments.iter().map(AttachmentDto::from).collect(),
                        ..entry("received")
                    },
                    Event::Replied { channel, body } => PublicEntryDto {
                        body: Some(body.clone()),
                        channel: Some(channel.as_str().into()),
                        ..entry("replied")
                    },
                    Event::StatusChanged { to, .. } => PublicEntryDto {
                        status: Some(to.as_str().into()),
                        ..entry("status_changed")
                    },
                    Event::RoundStarted { round } => PublicEntryDto {
                        details: Some(serde_json::json!({ "round": round })),
                        ..entry("round_started")
                    },
                    Event::MeetingInvited(m) => PublicEntryDto {
                        details: serde_json::to_value(m).ok(),
                        ..entry("meeting_invited")
                    },
                    Event::OutcomeRecorded(o) => PublicEntryDto {
                        details: serde_json::to_value(o).ok(),
                        ..entry("outcome_recorded")
                    },
                    Event::CustomerWrote {
                        channel,
                        body,
                        attachments,
                        ..
                    } => PublicEntryDto {
                        body: Some(body.clone()),
                        channel: Some(channel.as_str().into()),
                        attachments: attachments.iter().map(AttachmentDto::from).collect(),
                        ..entry("customer_wrote")
                    },
                    Event::Accepted => entry("accepted"),
                    Event::Rated { score, comment } => PublicEntryDto {
                        body: comment.clone(),
                        details: Some(serde_json::json!({ "score": score })),
                        ..entry("rated")
                    },
                    Event::Transferred { to, .. } => PublicEntryDto {
                        department: Some(department_name(to)),
                        ..entry("transferred")
                    },
                    // Everything else is internal (who took it, notes, priorities, SLA
                    // warnings); a new kind of event stays hidden until it is listed here.
                    _ => return None,
                })
            })
            .collect();
        PublicTicketDto {
            code: t.code.clone(),
            kind: t.kind.as_str().into(),
            status: t.status.as_str().into(),
            subject: t.subject.clone(),
            department: department_name(&t.department),
            complaint_round: t.round,
            received_at: t.received_at.to_string(),
            time_barred: t.time_barred.as_ref().map(TimeBarDto::from),
            timeline,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QueueItemDto {
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub department: String,
    pub topic: Option<String>,
    pub priority: String,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub customer_name: String,
    pub subject: String,
    pub received_at: String,
    pub updated_at: String,
    /// SL-2: acknowledgement due, while it runs (absent when met, paused or not applicable).
    pub acknowledge_due_at: Option<String>,
    /// SL-3: resolution due, while it runs.
    pub resolve_due_at: Option<String>,
    /// QF-3: the customer's next issue must be taken up by then.
    pub start_by_at: Option<String>,
    /// SL-5: the clocks are paused while the ticket waits for the customer.
    pub paused: bool,
    /// SL-4: the complaint came after the time bar.
    pub time_barred: bool,
}

impl From<&QueueItem> for QueueItemDto {
    fn from(q: &QueueItem) -> Self {
        QueueItemDto {
            code: q.code.clone(),
            kind: q.kind.clone(),
            channel: q.channel.clone(),
            department: q.department.clone(),
            topic: q.topic.clone(),
            priority: q.priority.clone(),
            status: q.status.clone(),
            assignee_id: q.assignee_id,
            assignee_name: q.assignee_name.clone(),
            customer_name: q.customer_name.clone(),
            subject: q.subject.clone(),
            received_at: q.received_at.to_string(),
            updated_at: q.updated_at.to_string(),
            acknowledge_due_at: q.due.ack_due_at.map(|t| t.to_string()),
            resolve_due_at: q.due.resolve_due_at.map(|t| t.to_string()),
            start_by_at: q.due.start_by_at.map(|t| t.to_string()),
            paused: q.due.paused,
            time_barred: q.due.time_barred,
        }
    }
}

/// The queue in order (QF-1); pass `next` as `after` for the following page.
#[derive(Serialize, ToSchema)]
pub struct QueueDto {
    pub items: Vec<QueueItemDto>,
    pub next: Option<String>,
}

/// What a command did, and where the ticket stands after it.
#[derive(Serialize, ToSchema)]
pub struct CommandResult {
    pub code: String,
    pub status: String,
    pub department: String,
    pub priority: String,
    pub assignee_id: Option<i64>,
    pub complaint_round: u8,
    /// The types of the events recorded, in order.
    pub events: Vec<String>,
}
