//! What customers may do on their own ticket from the tracking page or by mail: add
//! information (TR-2), accept or dispute an answer (CP-1), rate the resolution and reopen
//! the ticket (CP-4). The caller has already proved, by the tracking secret, who they are.

use super::Ticket;
use super::status::allowed_next;
use crate::attachment::Attachment;
use crate::event::Event;
use crate::kinds::{Channel, Kind, Status};
use crate::rejection::{FieldError, Rejection};
use crate::text::{self, limits};

/// A customer's request on their ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerCommand {
    /// More information or files; answering a question resumes the clocks (SL-5).
    AddInformation {
        channel: Channel,
        body: String,
        attachments: Vec<Attachment>,
        /// The sender's reference for the message (see `Event::CustomerWrote`).
        reference: Option<String>,
    },
    /// An automatic answer from the customer's side (an out-of-office reply, RFC 3834) that
    /// reached the ticket: recorded as such, it changes nothing else — a question asked stays
    /// open and its pause goes on (SL-5), a closed ticket stays closed.
    AutomaticReply {
        channel: Channel,
        body: String,
        reference: Option<String>,
    },
    /// The answer settles the matter.
    Accept,
    /// The answer of a complaint does not settle it; the next round begins (CP-1).
    Dispute { channel: Channel, reason: String },
    /// Satisfaction with the resolution, 1 to 5, with an optional comment (CP-4).
    Rate { score: i64, comment: Option<String> },
    /// The matter came back (CP-4).
    Reopen { channel: Channel, reason: String },
}

fn closed(status: Status) -> bool {
    matches!(status, Status::Closed | Status::ReferredExternal)
}

impl Ticket {
    /// Decides a customer's command: the events it causes, or why it is refused.
    pub fn decide_customer(&self, command: &CustomerCommand) -> Result<Vec<Event>, Rejection> {
        let status = |to: Status, reason: Option<String>| Event::StatusChanged {
            from: self.status,
            to,
            reason,
        };
        match command {
            CustomerCommand::AddInformation {
                channel,
                body,
                attachments,
                reference,
            } => {
                if closed(self.status) {
                    return Err(Rejection::Conflict {
                        rule: "ticket.closed",
                    });
                }
                let mut errors = crate::attachment::check(attachments);
                // Files alone are information enough, and so is text alone.
                let body = if body.trim().is_empty() && !attachments.is_empty() {
                    String::new()
                } else {
                    text::required("body", body, limits::DESCRIPTION)
                        .map_err(|e| errors.push(e))
                        .unwrap_or_default()
                };
                if !errors.is_empty() {
                    return Err(Rejection::Invalid(errors));
                }
                let mut events = vec![Event::CustomerWrote {
                    channel: *channel,
                    body,
                    attachments: attachments.clone(),
                    reference: reference.clone(),
                    automatic: false,
                }];
                if self.status == Status::WaitingCustomer {
                    events.push(status(Status::InProgress, None));
                }
                Ok(events)
            }
            CustomerCommand::AutomaticReply {
                channel,
                body,
                reference,
            } => Ok(vec![Event::CustomerWrote {
                channel: *channel,
                body: machine_text(body),
                attachments: Vec::new(),
                reference: reference.clone(),
                automatic: true,
            }]),
            CustomerCommand::Accept => {
                if self.status != Status::Answered {
                    return Err(Rejection::IllegalTransition {
                        from: self.status,
                        to: Status::Resolved,
                    });
                }
                // CP-2: a complaint ends only with a written answer and a recorded outcome,
                // also when the customer accepts: the one the answer proposed.
                if self.kind == Kind::Complaint {
                    if self.replies == 0 {
                        return Err(Rejection::Conflict {
                            rule: "complaint.answer_required",
                        });
                    }
                    let mut events = vec![Event::Accepted];
                    match (&self.proposed_outcome, &self.outcome) {
                        (Some(p), _) => events.push(Event::OutcomeRecorded(p.clone())),
                        (None, Some(_)) => {}
                        (None, None) => {
                            return Err(Rejection::Conflict {
                                rule: "complaint.outcome_required",
                            });
                        }
                    }
                    events.push(status(Status::Resolved, None));
                    return Ok(events);
                }
                Ok(vec![Event::Accepted, status(Status::Resolved, None)])
            }
            CustomerCommand::Dispute { channel, reason } => {
                if self.kind != Kind::Complaint
                    || !allowed_next(self.status, self.kind, self.round).contains(&Status::Disputed)
                {
                    return Err(Rejection::IllegalTransition {
                        from: self.status,
                        to: Status::Disputed,
                    });
                }
                let reason = text::required("reason", reason, limits::DESCRIPTION).map_err(one)?;
                Ok(vec![
                    Event::CustomerWrote {
                        channel: *channel,
                        body: reason,
                        attachments: Vec::new(),
                        reference: None,
                        automatic: false,
                    },
                    status(Status::Disputed, None),
                ])
            }
            CustomerCommand::Rate { score, comment } => {
                if !matches!(self.status, Status::Resolved | Status::Closed) {
                    return Err(Rejection::Conflict {
                        rule: "rating.not_resolved",
                    });
                }
                if self.rating.is_some() {
                    return Err(Rejection::Conflict {
                        rule: "rating.already_given",
                    });
                }
                let mut errors = Vec::new();
                if !(1..=5).contains(score) {
                    errors.push(FieldError::new("score", "score.range"));
                }
                let comment = text::optional("comment", comment.as_deref(), limits::SHORT_TEXT)
                    .map_err(|e| errors.push(e))
                    .ok()
                    .flatten();
                if !errors.is_empty() {
                    return Err(Rejection::Invalid(errors));
                }
                Ok(vec![Event::Rated {
                    score: *score as u8,
                    comment,
                }])
            }
            CustomerCommand::Reopen { channel, reason } => {
                if !matches!(self.status, Status::Resolved | Status::Closed) {
                    return Err(Rejection::IllegalTransition {
                        from: self.status,
                        to: Status::Reopened,
                    });
                }
                let reason = text::required("reason", reason, limits::DESCRIPTION).map_err(one)?;
                Ok(vec![
                    Event::CustomerWrote {
                        channel: *channel,
                        body: reason,
                        attachments: Vec::new(),
                        reference: None,
                        automatic: false,
                    },
                    status(Status::Reopened, None),
                ])
            }
        }
    }
}

/// A machine's text is recorded whatever it holds: NFC, without control codes, bounded.
fn machine_text(body: &str) -> String {
    text::nfc(body)
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .take(limits::DESCRIPTION)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn one(e: FieldError) -> Rejection {
    Rejection::Invalid(vec![e])
}
