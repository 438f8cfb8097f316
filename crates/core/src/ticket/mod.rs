//! A ticket's current state, rebuilt by folding its events, and the commands that change it.

mod command;
mod customer;
mod status;
#[cfg(test)]
mod tests;

pub use command::{Command, Context, StatusChange};
pub use customer::CustomerCommand;
pub use status::allowed_next;

use crate::event::{
    ComplaintDetails, CustomerDetails, Event, EventRecord, FeedbackDetails, Meeting, Outcome,
    TimeBarred,
};
use crate::kinds::{Channel, Kind, Priority, Status};
use jiff::Timestamp;

/// The state of one ticket, as its events left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    pub code: String,
    pub kind: Kind,
    pub channel: Channel,
    pub department: String,
    pub topic: Option<String>,
    pub priority: Priority,
    pub status: Status,
    pub assignee: Option<i64>,
    pub customer: CustomerDetails,
    pub subject: String,
    pub description: String,
    pub complaint: Option<ComplaintDetails>,
    pub feedback: Option<FeedbackDetails>,
    pub received_at: Timestamp,
    pub policy_version: String,
    /// Complaint round, 1 or 2 (CP-1).
    pub round: u8,
    pub meeting: Option<Meeting>,
    pub outcome: Option<Outcome>,
    /// CP-2: the outcome the last written answer proposed, until it is accepted (and so
    /// recorded), superseded by a recorded one, or disputed.
    pub proposed_outcome: Option<Outcome>,
    pub replies: u32,
    /// SL-4: the complaint came after the time bar.
    pub time_barred: Option<TimeBarred>,
    /// CP-1: the customer accepted the answer (since the last reopening).
    pub accepted: bool,
    /// CP-4: the customer's rating of this resolution, 1 to 5.
    pub rating: Option<u8>,
    /// RP-3: questions put to other departments, in order.
    pub consultations: Vec<Consultation>,
    /// RT-3: the feature or performance area a feedback concerns.
    pub feature_area: Option<String>,
    /// RT-3: the rules could not place it and no agent has classified it yet (RT-2).
    pub unclassified: bool,
    /// RT-3: an agent has accepted or corrected the classification.
    pub reclassified: bool,
    /// RP-2 in a chat: staff have already greeted the visitor in this conversation, so
    /// later messages in it need not begin with the greeting again.
    pub chat_greeted: bool,
}

/// A question put to another department (RP-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    pub number: u32,
    pub department: String,
    pub answered: bool,
}

impl Ticket {
    /// Rebuilds a ticket from its full history; `None` unless the first event is `Received`.
    pub fn from_history(records: &[EventRecord]) -> Option<Ticket> {
        let (first, rest) = records.split_first()?;
        let mut ticket = Ticket::received(first)?;
        for r in rest {
            ticket.apply(&r.event);
        }
        Some(ticket)
    }

    /// The state right after intake.
    pub fn received(record: &EventRecord) -> Option<Ticket> {
        let Event::Received(r) = &record.event else {
            return None;
        };
        Some(Ticket {
            code: r.code.clone(),
            kind: r.kind,
            channel: r.channel,
            department: r.department.clone(),
            topic: r.topic.clone(),
            priority: r.priority,
            status: Status::New,
            assignee: None,
            customer: r.customer.clone(),
            subject: r.subject.clone(),
            description: r.description.clone(),
            complaint: r.complaint.clone(),
            feedback: r.feedback.clone(),
            received_at: record.at,
            policy_version: r.policy_version.clone(),
            round: 1,
            meeting: None,
            outcome: None,
            proposed_outcome: None,
            replies: 0,
            accepted: false,
            rating: None,
            consultations: Vec::new(),
            time_barred: r.time_barred,
            feature_area: r.feature_area.clone(),
            unclassified: r.classification.as_ref().is_some_and(|c| c.unclassified),
            reclassified: false,
            chat_greeted: false,
        })
    }

    /// Applies one later event. Events were checked when they were decided, so applying
    /// never fails; a `Received` after the first is ignored.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Received(_)
            | Event::NoteAdded { .. }
            | Event::SlaWarned { .. }
            | Event::SlaEscalated { .. }
            | Event::StartByScheduled { .. }
            | Event::CustomerWrote { .. } => {}
            Event::Accepted => self.accepted = true,
            Event::Rated { score, .. } => self.rating = Some(*score),
            Event::Taken { agent } => self.assignee = Some(*agent),
            Event::EscalatedTo { lead } => self.assignee = Some(*lead),
            Event::Assigned { agent, .. } => self.assignee = Some(*agent),
            Event::Replied { channel, .. } => {
                self.replies += 1;
                // Every chat reply was checked when decided, so the first one greeted.
                if *channel == Channel::Chat {
                    self.chat_greeted = true;
                }
            }
            Event::StatusChanged { to, .. } => {
                self.status = *to;
                // A reopened ticket is a new chance to resolve it, judged afresh.
                if *to == Status::Reopened {
                    self.accepted = false;
                    self.rating = None;
                }
                // A disputed or reopened answer's proposal is not the settlement any more.
                if matches!(to, Status::Reopened | Status::Disputed) {
                    self.proposed_outcome = None;
                }
            }
            Event::RoundStarted { round } => self.round = *round,
            Event::MeetingInvited(m) => self.meeting = Some(m.clone()),
            Event::OutcomeRecorded(o) => {
                self.outcome = Some(o.clone());
                self.proposed_outcome = None;
            }
            Event::OutcomeProposed(o) => self.proposed_outcome = Some(o.clone()),
            Event::Transferred { to, .. } => {
                self.department = to.clone();
                self.assignee = None;
            }
            Event::PriorityChanged { to, .. } => self.priority = *to,
            Event::TopicChanged { to, .. } => self.topic = Some(to.clone()),
            Event::ConsultationRequested {
                number, department, ..
            } => self.consultations.push(Consultation {
                number: *number,
                department: department.clone(),
                answered: false,
            }),
            Event::Reclassified(r) => {
                self.kind = r.kind;
                self.topic = r.topic.clone();
                self.feature_area = r.feature_area.clone();
                if r.complaint.is_some() {
                    self.complaint = r.complaint.clone();
                    self.time_barred = r.time_barred;
                }
                self.unclassified = false;
                self.reclassified = true;
            }
            Event::ConsultationAnswered { number, .. } => {
                if let Some(c) = self.consultations.iter_mut().find(|c| c.number == *number) {
                    c.answered = true;
                }
            }
        }
    }

    /// CP-2: whether the customer may accept the answer now: the ticket is answered, and a
    /// complaint has a written answer and an outcome (proposed or recorded) to settle with.
    pub fn may_accept(&self) -> bool {
        self.status == Status::Answered
            && (self.kind != Kind::Complaint
                || (self.replies > 0
                    && (self.proposed_outcome.is_some() || self.outcome.is_some())))
    }
}
