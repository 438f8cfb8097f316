//! A ticket as staff see it: every field, its SLA clocks and its timeline.

use hotro_core::event::{Actor, Event, TimeBarred};
use hotro_core::sla::{ClockStatus, SlaStatus};
use hotro_store::{TicketView, TimelineEntry};
use serde::Serialize;
use utoipa::ToSchema;

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
    /// `status_changed`, `round_started`, `meeting_invited`, `outcome_proposed`,
    /// `outcome_recorded`, `transferred`, `priority_changed`, `sla_warned`, `sla_escalated`,
    /// `escalated_to`, …) and the other members are its details.
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
    /// RT-3: the product feature or performance area a feedback concerns.
    pub feature_area: Option<String>,
    /// RT-3: what the rules read at intake and why; absent on tickets older than the rules.
    pub classification: Option<ClassificationDto>,
}

/// RT-3: the rules' reading of a ticket's text at intake.
#[derive(Serialize, ToSchema)]
pub struct ClassificationDto {
    /// The rules could not place the ticket and no agent has classified it yet: it is in the
    /// policy's triage department (RT-2).
    pub unclassified: bool,
    /// An agent has accepted or corrected the classification.
    pub reviewed: bool,
    /// Each field the rules decided, with the phrase that decided it.
    pub matched: Vec<MatchedDto>,
    /// Other topics whose phrases occur in the text.
    pub other_topics: Vec<String>,
    /// The fields the rules set on the ticket.
    pub applied: Vec<String>,
}

/// One field the rules decided and why.
#[derive(Serialize, ToSchema)]
pub struct MatchedDto {
    /// `kind`, `topic`, `priority`, `feature_area` or `complaint_category`.
    pub field: String,
    pub value: String,
    /// The policy's phrase found in the text.
    pub phrase: String,
}

/// Every clock of a ticket; a clock the policy does not set for it is absent.
#[derive(Serialize, ToSchema)]
pub struct SlaDto {
    pub acknowledge: Option<ClockDto>,
    pub resolve: Option<ClockDto>,
    /// QF-3: take-up deadline after the customer's previous issue was done.
    pub start: Option<ClockDto>,
    /// Seed 002: a written answer or an invitation to meet, when the policy sets a limit.
    pub first_answer: Option<ClockDto>,
}

/// One SLA clock.
#[derive(Serialize, ToSchema)]
pub struct ClockDto {
    pub within: u32,
    /// `working_hours`, `working_days`, `calendar_days` or `hours` (wall-clock).
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
            first_answer: clock(&s.first_answer),
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
fn classification(v: &TicketView) -> Option<ClassificationDto> {
    let note = v.timeline.first().and_then(|e| match &e.event {
        Event::Received(r) => r.classification.clone(),
        _ => None,
    })?;
    Some(ClassificationDto {
        unclassified: v.ticket.unclassified,
        reviewed: v.ticket.reclassified,
        matched: note
            .matched
            .into_iter()
            .map(|m| MatchedDto {
                field: m.field,
                value: m.value,
                phrase: m.phrase,
            })
            .collect(),
        other_topics: note.other_topics,
        applied: note.applied,
    })
}

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
            feature_area: t.feature_area.clone(),
            classification: classification(v),
        }
    }
}
