//! A ticket as its customer sees it on the tracking link (TR-2): what was said to them and
//! where it stands, nothing internal.

use super::TimeBarDto;
use hotro_core::event::Event;
use hotro_core::{Status, Ticket};
use hotro_store::TicketView;
use serde::Serialize;
use utoipa::ToSchema;

/// One entry of the customer's timeline: what was said to them and where their ticket
/// stands — never internal notes, priorities or staff names, and of the reasons only why a
/// ticket was closed or referred (CP-2).
#[derive(Serialize, ToSchema)]
pub struct PublicEntryDto {
    pub at: String,
    /// `received` | `replied` | `customer_wrote` | `accepted` | `rated` | `status_changed` |
    /// `round_started` | `meeting_invited` | `outcome_proposed` | `outcome_recorded` |
    /// `transferred`
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
                    // CP-2: why a ticket was closed unsolved (or referred) is the customer's to
                    // read; other reasons are the staff's.
                    Event::StatusChanged { to, reason, .. } => PublicEntryDto {
                        status: Some(to.as_str().into()),
                        body: reason
                            .clone()
                            .filter(|_| matches!(to, Status::Closed | Status::ReferredExternal)),
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
                    // CP-2: what the answer proposes is what the customer accepts.
                    Event::OutcomeProposed(o) => PublicEntryDto {
                        details: serde_json::to_value(o).ok(),
                        ..entry("outcome_proposed")
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
