//! What staff ask of a ticket, and the rules that turn a request into events or a rejection.
//!
//! One file on purpose: `decide` is one match over the commands, each arm a few lines, and
//! reading them side by side is how the status machine's rules are checked.

use super::Ticket;
use super::status::allowed_next;
use crate::event::{ComplaintDetails, Event, Meeting, Outcome, OutcomeKind, Reclassification};
use crate::kinds::{Channel, ComplaintCategory, Kind, Priority, Status};
use crate::policy::Policy;
use crate::rejection::{FieldError, Rejection};
use crate::reply;
use crate::staff::{Role, StaffMember};
use crate::text::{self, limits};
use jiff::Timestamp;

/// Everything a rule may consult besides the ticket.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub staff: &'a StaffMember,
    pub policy: &'a Policy,
    pub now: Timestamp,
    /// The member of staff an `Assign` names, as the store found them among the *active*
    /// staff (`None`: no such active member). The store knows staff, the rule here decides.
    pub assignee: Option<&'a StaffMember>,
}

/// A requested status change with what the target status needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub to: Status,
    pub reason: Option<String>,
    /// CP-2: how a complaint was settled; required to resolve a complaint.
    pub outcome: Option<Outcome>,
    /// CP-1: an invitation to meet, sent with a complaint's answer.
    pub meeting: Option<Meeting>,
}

impl StatusChange {
    pub fn to(to: Status) -> StatusChange {
        StatusChange {
            to,
            reason: None,
            outcome: None,
            meeting: None,
        }
    }
}

/// A command from a member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The caller becomes the responsible agent.
    Take,
    /// Issue 16: a lead (or an administrator) hands the ticket to `agent`, saying why — the
    /// reassignment `conflict.ticket.taken_by_other` promises.
    Assign {
        agent: i64,
        reason: String,
    },
    /// A written answer to the customer; `channel` defaults to the ticket's channel, and
    /// `then` moves the status in the same step (for example to `answered`). On a complaint
    /// it may propose an `outcome`, which the customer's acceptance records (CP-2; boxed,
    /// so every command stays small).
    Reply {
        body: String,
        channel: Option<Channel>,
        then: Option<StatusChange>,
        outcome: Option<Box<Outcome>>,
    },
    /// An internal note (RP-3).
    Note {
        body: String,
    },
    ChangeStatus(StatusChange),
    /// RT-4: the only way a ticket leaves its department.
    Transfer {
        department: String,
        reason: String,
    },
    /// QF-1: the only way a ticket moves in the queue.
    ChangePriority {
        priority: Priority,
        reason: String,
    },
    /// RT-3: corrects the topic within the ticket's department; a topic of another
    /// department needs a transfer (RT-4), so a correction never moves a ticket silently.
    ChangeTopic {
        topic: String,
        reason: String,
    },
    /// RP-3: ask another department for input; the ticket stays where it is.
    Consult {
        department: String,
        question: String,
    },
    /// RP-3: the consulted department answers question `number`.
    AnswerConsultation {
        number: u32,
        answer: String,
    },
    /// RT-3: accept (`accepted`) or correct what the rules read: kind, topic, feature area.
    /// A topic of another department moves the ticket there by a recorded transfer (RT-4);
    /// a ticket that becomes a complaint gets its details from its text and its clocks.
    Reclassify {
        kind: Kind,
        topic: Option<String>,
        feature_area: Option<String>,
        accepted: bool,
        reason: Option<String>,
    },
}

impl Ticket {
    /// Decides a command: the events it causes, or why it is refused.
    pub fn decide(&self, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Rejection> {
        // RT-4 again, in the rules themselves: the store already hides other
        // departments' tickets, and this keeps a mistake there from becoming a leak.
        // The consulted department may answer its own question, and nothing else (RP-3).
        let consulted = match command {
            Command::AnswerConsultation { number, .. } => self
                .consultations
                .iter()
                .any(|c| c.number == *number && c.department == ctx.staff.department),
            _ => false,
        };
        if !ctx.staff.may_handle_ticket(&self.department, self.priority) && !consulted {
            return Err(Rejection::NotFound);
        }
        match command {
            Command::Take => self.take(ctx.staff),
            Command::Assign { agent, reason } => self.assign(*agent, reason, ctx),
            Command::Reply {
                body,
                channel,
                then,
                outcome,
            } => self.reply(body, *channel, then.as_ref(), outcome.as_deref(), ctx),
            Command::Note { body } => {
                let body = text::required("body", body, limits::REPLY).map_err(one)?;
                Ok(vec![Event::NoteAdded { body }])
            }
            Command::ChangeStatus(change) => self.change_status(change, false, ctx),
            Command::Transfer { department, reason } => self.transfer(department, reason, ctx),
            Command::ChangeTopic { topic, reason } => self.change_topic(topic, reason, ctx),
            Command::Consult {
                department,
                question,
            } => self.consult(department, question, ctx),
            Command::AnswerConsultation { number, answer } => {
                self.answer_consultation(*number, answer, ctx)
            }
            Command::Reclassify {
                kind,
                topic,
                feature_area,
                accepted,
                reason,
            } => self.reclassify(
                *kind,
                topic.as_deref(),
                feature_area.as_deref(),
                *accepted,
                reason.as_deref(),
                ctx,
            ),
            Command::ChangePriority { priority, reason } => {
                let reason = text::required("reason", reason, limits::REASON).map_err(one)?;
                if *priority == self.priority {
                    return Err(Rejection::field("priority", "priority.unchanged"));
                }
                Ok(vec![Event::PriorityChanged {
                    from: self.priority,
                    to: *priority,
                    reason,
                }])
            }
        }
    }

    fn take(&self, staff: &StaffMember) -> Result<Vec<Event>, Rejection> {
        if matches!(self.status, Status::Closed | Status::ReferredExternal) {
            return Err(Rejection::Conflict {
                rule: "ticket.closed",
            });
        }
        match self.assignee {
            Some(id) if id == staff.id => Err(Rejection::Conflict {
                rule: "ticket.already_yours",
            }),
            // Taking a colleague's ticket is a lead's decision, not a race between agents.
            Some(_) if staff.role == Role::Agent => Err(Rejection::Conflict {
                rule: "ticket.taken_by_other",
            }),
            _ => Ok(vec![Event::Taken { agent: staff.id }]),
        }
    }

    /// Only a lead of the ticket's department or an administrator assigns; the assignee is an
    /// active member who may handle the ticket's department (RT-4), and the reason is said.
    fn assign(&self, agent: i64, reason: &str, ctx: &Context<'_>) -> Result<Vec<Event>, Rejection> {
        let by = ctx.staff;
        let lead_here = by.role == Role::Lead && by.department == self.department;
        if !lead_here && by.role != Role::Admin {
            return Err(Rejection::Conflict {
                rule: "assign.lead_only",
            });
        }
        if matches!(self.status, Status::Closed | Status::ReferredExternal) {
            return Err(Rejection::Conflict {
                rule: "ticket.closed",
            });
        }
        let mut errors = Vec::new();
        match ctx.assignee {
            Some(a) if a.id == agent && a.may_handle(&self.department) => {
                if self.assignee == Some(agent) {
                    errors.push(FieldError::new("agent", "assign.unchanged"));
                }
            }
            _ => errors.push(FieldError::new("agent", "assign.outside_department")),
        }
        let reason = text::required("reason", reason, limits::REASON)
            .map_err(|e| errors.push(e))
            .ok();
        if !errors.is_empty() {
            return Err(Rejection::Invalid(errors));
        }
        Ok(vec![Event::Assigned {
            agent,
            by: by.id,
            reason: reason.unwrap_or_default(),
        }])
    }

    fn reply(
        &self,
        body: &str,
        channel: Option<Channel>,
        then: Option<&StatusChange>,
        proposed: Option<&Outcome>,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        if matches!(self.status, Status::Closed | Status::ReferredExternal) {
            return Err(Rejection::Conflict {
                rule: "ticket.closed",
            });
        }
        let body = text::required("body", body, limits::REPLY).map_err(one)?;
        let channel = channel.unwrap_or(self.channel);
        // RP-2: a chat is one conversation; the greeting opens it, and the staff's later
        // messages in it are lines of the same talk, not new letters. Other channels keep the
        // greeting (and e-mail the closing) on every answer.
        let greeted = channel == Channel::Chat && self.chat_greeted;
        let mut errors = if greeted {
            Vec::new()
        } else {
            reply::check_for(&body, channel, ctx.policy, self.customer.language)
                .err()
                .unwrap_or_default()
        };
        if channel == Channel::Email && self.customer.email.is_none() {
            errors.push(FieldError::new("channel", "channel.no_email"));
        }
        // CP-2: only a complaint's answer proposes how it is settled.
        let proposal = match proposed {
            None => None,
            Some(_) if self.kind != Kind::Complaint => {
                errors.push(FieldError::new("outcome", "outcome.not_allowed"));
                None
            }
            Some(o) => check_outcome(o).map_err(|e| errors.extend(e)).ok(),
        };
        if !errors.is_empty() {
            return Err(Rejection::Invalid(errors));
        }
        let mut events = vec![Event::Replied { channel, body }];
        events.extend(proposal.map(Event::OutcomeProposed));
        if let Some(change) = then {
            events.extend(self.change_status(change, true, ctx)?);
        }
        Ok(events)
    }

    /// `replied`: a written answer goes out in the same command, before the change.
    fn change_status(
        &self,
        change: &StatusChange,
        replied: bool,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        let (from, to) = (self.status, change.to);
        if !allowed_next(from, self.kind, self.round).contains(&to) {
            return Err(Rejection::IllegalTransition { from, to });
        }
        // CP-2 (seed 001: every matter is answered in writing): a complaint is not settled
        // or closed before the customer has had a written answer.
        let ends = matches!(to, Status::Resolved | Status::Closed);
        if ends && self.kind == Kind::Complaint && self.replies == 0 && !replied {
            return Err(Rejection::Conflict {
                rule: "complaint.answer_required",
            });
        }
        let mut errors = Vec::new();
        let reason = match text::optional("reason", change.reason.as_deref(), limits::REASON) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        // Leaving a ticket unsolved, or handing it to an authority, must say why.
        let needs_reason =
            to == Status::ReferredExternal || (to == Status::Closed && from != Status::Resolved);
        if needs_reason && reason.is_none() && errors.is_empty() {
            errors.push(FieldError::new("reason", "required"));
        }
        let mut events = Vec::new();
        if from == Status::Disputed
            && self.round == 1
            && matches!(
                to,
                Status::InProgress | Status::WaitingCustomer | Status::Answered
            )
        {
            events.push(Event::RoundStarted { round: 2 });
        }
        if let Some(meeting) = &change.meeting {
            if self.kind != Kind::Complaint || to != Status::Answered {
                errors.push(FieldError::new("meeting", "meeting.not_allowed"));
            } else {
                match check_meeting(meeting, ctx.now) {
                    Ok(m) => events.push(Event::MeetingInvited(m)),
                    Err(e) => errors.extend(e),
                }
            }
        }
        if let Some(outcome) = &change.outcome {
            if self.kind != Kind::Complaint
                || !matches!(to, Status::Answered | Status::Resolved | Status::Closed)
            {
                errors.push(FieldError::new("outcome", "outcome.not_allowed"));
            } else {
                match check_outcome(outcome) {
                    Ok(o) => events.push(Event::OutcomeRecorded(o)),
                    Err(e) => errors.extend(e),
                }
            }
        }
        // CP-2 (seed 004): a complaint is not settled or closed until its outcome is on
        // record — given here, or recorded before.
        if ends
            && self.kind == Kind::Complaint
            && self.outcome.is_none()
            && change.outcome.is_none()
        {
            errors.push(FieldError::new("outcome", "complaint.outcome_required"));
        }
        if !errors.is_empty() {
            return Err(Rejection::Invalid(errors));
        }
        events.push(Event::StatusChanged { from, to, reason });
        Ok(events)
    }

    fn change_topic(
        &self,
        topic: &str,
        reason: &str,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        let mut errors = Vec::new();
        match ctx.policy.department_of_topic(topic) {
            None => errors.push(FieldError::new("topic", "topic.unknown")),
            Some(d) if d.id != self.department => {
                errors.push(FieldError::new("topic", "topic.other_department"))
            }
            Some(_) if self.topic.as_deref() == Some(topic) => {
                errors.push(FieldError::new("topic", "topic.unchanged"))
            }
            Some(_) => {}
        }
        let reason = text::required("reason", reason, limits::REASON)
            .map_err(|e| errors.push(e))
            .ok();
        if !errors.is_empty() {
            return Err(Rejection::Invalid(errors));
        }
        Ok(vec![Event::TopicChanged {
            from: self.topic.clone(),
            to: topic.to_owned(),
            reason: reason.unwrap_or_default(),
        }])
    }

    /// A transfer or a consultation names another department of the policy, with a text
    /// (`field`), on a ticket that is not closed: the text cleaned, or every broken rule.
    fn to_other_department(
        &self,
        department: &str,
        (field, text, max): (&str, &str, usize),
        ctx: &Context<'_>,
    ) -> Result<String, Rejection> {
        let mut errors = Vec::new();
        if ctx.policy.department(department).is_none() {
            errors.push(FieldError::new("department", "department.unknown"));
        } else if department == self.department {
            errors.push(FieldError::new("department", "department.same"));
        }
        let cleaned = text::required(field, text, max)
            .map_err(|e| errors.push(e))
            .ok();
        if !errors.is_empty() {
            return Err(Rejection::Invalid(errors));
        }
        if matches!(self.status, Status::Closed | Status::ReferredExternal) {
            return Err(Rejection::Conflict {
                rule: "ticket.closed",
            });
        }
        Ok(cleaned.unwrap_or_default())
    }

    fn transfer(
        &self,
        department: &str,
        reason: &str,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        let reason =
            self.to_other_department(department, ("reason", reason, limits::REASON), ctx)?;
        Ok(vec![Event::Transferred {
            from: self.department.clone(),
            to: department.to_owned(),
            reason,
        }])
    }
}

impl Ticket {
    fn consult(
        &self,
        department: &str,
        question: &str,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        let question =
            self.to_other_department(department, ("question", question, limits::SHORT_TEXT), ctx)?;
        Ok(vec![Event::ConsultationRequested {
            number: self.consultations.len() as u32 + 1,
            department: department.to_owned(),
            question,
        }])
    }

    fn answer_consultation(
        &self,
        number: u32,
        answer: &str,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        let Some(c) = self.consultations.iter().find(|c| c.number == number) else {
            return Err(Rejection::NotFound);
        };
        // Only the department asked answers, or staff who span departments.
        if c.department != ctx.staff.department && !ctx.staff.role.sees_all_departments() {
            return Err(Rejection::NotFound);
        }
        if c.answered {
            return Err(Rejection::Conflict {
                rule: "consultation.answered",
            });
        }
        let answer = text::required("answer", answer, limits::REPLY).map_err(one)?;
        Ok(vec![Event::ConsultationAnswered {
            number,
            department: c.department.clone(),
            answer,
        }])
    }
}

impl Ticket {
    /// RT-3: every acceptance or correction is one recorded `Reclassified` event (training
    /// data for the rules); a move to another department follows as a `Transferred` (RT-4).
    fn reclassify(
        &self,
        kind: Kind,
        topic: Option<&str>,
        feature_area: Option<&str>,
        accepted: bool,
        reason: Option<&str>,
        ctx: &Context<'_>,
    ) -> Result<Vec<Event>, Rejection> {
        if matches!(self.status, Status::Closed | Status::ReferredExternal) {
            return Err(Rejection::Conflict {
                rule: "ticket.closed",
            });
        }
        let mut errors = Vec::new();
        let topic = topic.map(str::trim).filter(|t| !t.is_empty());
        let feature_area = feature_area.map(str::trim).filter(|a| !a.is_empty());
        let department = match topic {
            None => None,
            Some(t) => match ctx.policy.department_of_topic(t) {
                None => {
                    errors.push(FieldError::new("topic", "topic.unknown"));
                    None
                }
                Some(d) => (d.id != self.department).then(|| d.id.clone()),
            },
        };
        if let Some(a) = feature_area {
            if ctx.policy.feature_area(a).is_none() {
                errors.push(FieldError::new("feature_area", "feature_area.unknown"));
            } else if kind != Kind::Feedback {
                errors.push(FieldError::new("feature_area", "not_for_kind"));
            }
        }
        // Once answered, a ticket's rounds and outcome follow its kind: changing it then
        // would rewrite what the customer was already told.
        let early = matches!(
            self.status,
            Status::New | Status::Acknowledged | Status::InProgress | Status::WaitingCustomer
        ) && self.round == 1
            && self.outcome.is_none()
            && self.proposed_outcome.is_none()
            && self.meeting.is_none();
        if kind != self.kind && !early {
            errors.push(FieldError::new("kind", "kind.too_late"));
        }
        let reason = text::optional("reason", reason, limits::REASON)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let unchanged = kind == self.kind
            && topic == self.topic.as_deref()
            && feature_area == self.feature_area.as_deref();
        if unchanged && !accepted && errors.is_empty() {
            errors.push(FieldError::new("kind", "reclassify.unchanged"));
        }
        if !errors.is_empty() {
            return Err(Rejection::Invalid(errors));
        }
        // A request or feedback that becomes a complaint states its incident as the text
        // does, else the day it was received (SL-4), judged on the day it was received.
        let complaint = (kind == Kind::Complaint && self.complaint.is_none()).then(|| {
            let received = self
                .received_at
                .to_zoned(crate::intake::vietnam_zone())
                .date();
            let text = format!("{}\n{}", self.subject, self.description);
            let category = ctx
                .policy
                .classify(&text)
                .complaint_category
                .unwrap_or(ComplaintCategory::ServiceQuality);
            ComplaintDetails {
                incident_date: crate::incident::date_in_text(&text, received).unwrap_or(received),
                category,
                requested_resolution: None,
            }
        });
        let time_barred = complaint
            .as_ref()
            .and_then(|c| crate::intake::time_bar(c, ctx.policy, self.received_at));
        let mut events = vec![Event::Reclassified(Box::new(Reclassification {
            from_kind: self.kind,
            kind,
            from_topic: self.topic.clone(),
            topic: topic.map(str::to_owned),
            from_feature_area: self.feature_area.clone(),
            feature_area: feature_area.map(str::to_owned),
            accepted,
            reason: reason.clone(),
            department: department.clone(),
            complaint,
            time_barred,
        }))];
        if let Some(to) = department {
            events.push(Event::Transferred {
                from: self.department.clone(),
                to,
                reason: reason.unwrap_or_else(|| {
                    format!("Phân loại lại theo chủ đề {}", topic.unwrap_or_default())
                }),
            });
        }
        Ok(events)
    }
}

fn one(e: FieldError) -> Rejection {
    Rejection::Invalid(vec![e])
}

fn check_meeting(meeting: &Meeting, now: Timestamp) -> Result<Meeting, Vec<FieldError>> {
    let mut errors = Vec::new();
    if meeting.at <= now {
        errors.push(FieldError::new("meeting.at", "meeting.in_past"));
    }
    let place = text::required("meeting.place", &meeting.place, limits::ADDRESS)
        .map_err(|e| errors.push(e))
        .ok();
    match place {
        Some(place) if errors.is_empty() => Ok(Meeting {
            at: meeting.at,
            place,
        }),
        _ => Err(errors),
    }
}

fn check_outcome(outcome: &Outcome) -> Result<Outcome, Vec<FieldError>> {
    let mut errors = Vec::new();
    match (outcome.kind, outcome.amount) {
        (_, Some(a)) if a < 0 => errors.push(FieldError::new("outcome.amount", "amount.negative")),
        (OutcomeKind::Refund, None | Some(0)) => {
            errors.push(FieldError::new("outcome.amount", "required"))
        }
        (OutcomeKind::NoFault, Some(_)) => {
            errors.push(FieldError::new("outcome.amount", "not_for_kind"))
        }
        _ => {}
    }
    let note = text::optional("outcome.note", outcome.note.as_deref(), limits::SHORT_TEXT)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if outcome.kind == OutcomeKind::Other && note.is_none() && errors.is_empty() {
        errors.push(FieldError::new("outcome.note", "required"));
    }
    if errors.is_empty() {
        Ok(Outcome {
            kind: outcome.kind,
            amount: outcome.amount,
            note,
        })
    } else {
        Err(errors)
    }
}
