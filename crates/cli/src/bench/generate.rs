//! Realistic tickets for `hotro bench seed`: every kind, channel and department of the
//! policy, a spread of statuses, one to eight messages, Vietnamese text with diacritics.
//!
//! A ticket is described as what a customer submitted and what staff and the customer did
//! afterwards; the core rules check each step exactly as they would over HTTP.

use super::words::{self, Rng};
use anyhow::{Context, anyhow};
use hotro_core::event::{Outcome, OutcomeKind};
use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::ticket::{CustomerCommand, StatusChange};
use hotro_core::{Actor, Channel, Command, Kind, Policy, StaffMember, Status};
use hotro_store::{BulkStep, BulkTicket};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;

/// Where generated tickets fall in time and who works them.
pub struct Generator<'a> {
    pub policy: &'a Policy,
    /// One agent per department of the policy, by department id.
    pub agents: &'a HashMap<String, StaffMember>,
    /// Tickets are received evenly from `start` to `end`.
    pub start: Timestamp,
    pub end: Timestamp,
    pub total: u64,
    /// Distinct customers; several tickets of one customer exercise QF-3's hand-off.
    pub customers: u64,
    /// Varies the content between runs.
    pub seed: u64,
}

/// How far a generated ticket gets; weights sum to 100.
const TARGETS: &[(Status, u64)] = &[
    (Status::New, 18),
    (Status::Acknowledged, 10),
    (Status::InProgress, 15),
    (Status::WaitingCustomer, 8),
    (Status::Answered, 10),
    (Status::Resolved, 12),
    (Status::Closed, 27),
];

impl Generator<'_> {
    /// Ticket number `i` of the run (0-based).
    pub fn ticket(&self, i: u64) -> anyhow::Result<BulkTicket> {
        let mut rng = Rng::new(self.seed.wrapping_mul(1_000_003).wrapping_add(i));
        let span = self.end.as_millisecond() - self.start.as_millisecond();
        let received_at = Timestamp::from_millisecond(
            self.start.as_millisecond() + (span as i128 * i as i128 / self.total as i128) as i64,
        )?;
        let kind = match rng.below(100) {
            0..60 => Kind::Request,
            60..85 => Kind::Complaint,
            _ => Kind::Feedback,
        };
        let channel = *rng.pick(Channel::ALL);
        let department = rng.pick(&self.policy.departments);
        let topic = (!department.topics.is_empty() && rng.chance(90))
            .then(|| rng.pick(&department.topics).id.clone());
        let input = self.submission(&mut rng, kind, channel, topic, received_at);
        let source = if channel.is_staff_recorded() {
            Source::Staff
        } else {
            Source::Public
        };
        let checked = intake::validate(&input, source, self.policy, received_at)
            .map_err(|e| anyhow!("generated ticket {i} was refused: {e:?}"))?;
        let agent = self
            .agents
            .get(checked.department())
            .with_context(|| format!("no agent for department {}", checked.department()))?;
        let actor = if source == Source::Staff {
            Actor::Staff { id: agent.id }
        } else {
            Actor::Customer
        };
        let has_email = input.customer_email.is_some();
        let steps = self.steps(&mut rng, kind, channel, has_email, agent, received_at);
        Ok(BulkTicket {
            intake: checked,
            actor,
            tracking_hash: hotro_app::secrets::digest(&format!("{}:{i}:{}", self.seed, rng.next())),
            received_at,
            steps,
        })
    }

    fn submission(
        &self,
        rng: &mut Rng,
        kind: Kind,
        channel: Channel,
        topic: Option<String>,
        at: Timestamp,
    ) -> NewTicket {
        let customer = rng.below(self.customers.max(1));
        // A customer's name and contact depend only on their number, so one person's
        // tickets agree with each other.
        let mut who = Rng::new(customer);
        let name = format!(
            "{} {} {}",
            who.pick(words::SURNAMES),
            who.pick(words::MIDDLE),
            who.pick(words::GIVEN)
        );
        // Some people on the phone or at the counter leave no address for e-mail.
        let email = (channel == Channel::Email || !customer.is_multiple_of(7))
            .then(|| format!("khach{customer}@example.vn"));
        let phone = Some(format!("09{:08}", customer % 100_000_000));
        let opener = match kind {
            Kind::Request => rng.pick(words::REQUEST_OPENERS),
            Kind::Complaint => rng.pick(words::COMPLAINT_OPENERS),
            Kind::Feedback => rng.pick(words::FEEDBACK_OPENERS),
        };
        let mut subject = format!("{opener} {}", rng.pick(words::THINGS));
        if rng.chance(50) {
            subject.push_str(&format!(" tại {}", rng.pick(words::PLACES)));
        }
        let sentences = rng.between(1, 4);
        let mut description = String::new();
        for _ in 0..sentences {
            let sentence = rng.pick::<&str>(words::SENTENCES);
            description.push_str(sentence);
            description.push(' ');
        }
        description.push_str(&format!(
            "Khách hàng ở {}, mã khách hàng KH{customer}.",
            rng.pick(words::PLACES)
        ));
        let mut input = NewTicket {
            kind: Some(kind.as_str().into()),
            channel: Some(channel.as_str().into()),
            customer_name: Some(name),
            customer_email: email,
            customer_phone: phone,
            customer_address: Some(format!(
                "{} {}",
                rng.between(1, 300),
                rng.pick(words::PLACES)
            )),
            subject: Some(subject),
            description: Some(description),
            topic,
            ..NewTicket::default()
        };
        match kind {
            Kind::Complaint => {
                // Within a few days of the incident: a time-barred complaint gets a written
                // answer from the server's intake, which the bulk path does not compose.
                let days = rng.below(5) as i64;
                let date = at
                    .checked_sub(SignedDuration::from_hours(24 * days))
                    .unwrap_or(at)
                    .to_zoned(intake::vietnam_zone())
                    .date();
                input.incident_date = Some(date.to_string());
                input.complaint_category = Some(
                    if rng.chance(50) {
                        "service_quality"
                    } else {
                        "business"
                    }
                    .into(),
                );
                input.requested_resolution = rng
                    .chance(50)
                    .then(|| "Đề nghị hoàn tiền hoặc đổi sản phẩm mới.".into());
            }
            Kind::Feedback => {
                input.current_feature = Some(rng.pick(words::THINGS).to_string());
                input.proposed_improvement = Some(rng.pick(words::SENTENCES).to_string());
                input.reason = Some(rng.pick(words::SENTENCES).to_string());
            }
            Kind::Request => {}
        }
        input
    }

    /// What happens after intake: the target status reached step by step, with the
    /// ticket's other messages (replies, notes, the customer's additions) on the way.
    fn steps(
        &self,
        rng: &mut Rng,
        kind: Kind,
        channel: Channel,
        has_email: bool,
        agent: &StaffMember,
        received_at: Timestamp,
    ) -> Vec<BulkStep> {
        let target = {
            let mut roll = rng.below(100);
            TARGETS
                .iter()
                .find(|(_, w)| {
                    let hit = roll < *w;
                    roll = roll.saturating_sub(*w);
                    hit
                })
                .map_or(Status::New, |(s, _)| *s)
        };
        let mut at = received_at;
        let mut later = |rng: &mut Rng| {
            at = at
                .checked_add(SignedDuration::from_mins(rng.between(5, 240) as i64))
                .unwrap_or(at)
                .min(self.end);
            at
        };
        let staff = |command: Command, at: Timestamp| BulkStep::Staff {
            staff: agent.clone(),
            command: Box::new(command),
            at,
        };
        let status = |to: Status| Command::ChangeStatus(StatusChange::to(to));
        let mut steps = Vec::new();
        if target != Status::New {
            steps.push(staff(Command::Take, later(rng)));
            steps.push(staff(status(Status::Acknowledged), later(rng)));
        }
        // The first message is the intake's own; the rest are spread over the ticket's life.
        // Most tickets are settled in a message or two and a few run long: 1 to 8 in all,
        // about 2.2 on average.
        let extra = match rng.below(100) {
            0..40 => 0,
            40..70 => 1,
            70..85 => 2,
            85..92 => 3,
            92..96 => 4,
            96..98 => 5,
            98..99 => 6,
            _ => 7,
        };
        let reply_channel = if channel == Channel::Email && !has_email {
            Channel::Phone
        } else {
            channel
        };
        for _ in 0..extra {
            let when = later(rng);
            steps.push(match rng.below(10) {
                0..5 => {
                    let mut body = format!(
                        "{}, {}",
                        self.policy.reply.greeting,
                        rng.pick(words::ANSWERS)
                    );
                    if reply_channel == Channel::Email {
                        body.push_str(&format!("\n\n{}.", self.policy.reply.closing));
                    }
                    staff(
                        Command::Reply {
                            body,
                            channel: Some(reply_channel),
                            then: None,
                            outcome: None,
                        },
                        when,
                    )
                }
                5..7 => staff(
                    Command::Note {
                        body: rng.pick(words::NOTES).to_string(),
                    },
                    when,
                ),
                _ => BulkStep::Customer {
                    command: CustomerCommand::AddInformation {
                        channel: if channel.is_staff_recorded() {
                            Channel::Web
                        } else {
                            channel
                        },
                        body: rng.pick(words::SENTENCES).to_string(),
                        attachments: Vec::new(),
                        reference: None,
                    },
                    at: when,
                },
            });
        }
        let path: &[Status] = match target {
            Status::New | Status::Acknowledged => &[],
            Status::InProgress => &[Status::InProgress],
            Status::WaitingCustomer => &[Status::InProgress, Status::WaitingCustomer],
            Status::Answered => &[Status::InProgress, Status::Answered],
            Status::Resolved => &[Status::InProgress, Status::Resolved],
            _ => &[Status::InProgress, Status::Resolved, Status::Closed],
        };
        for to in path {
            let mut change = StatusChange::to(*to);
            // CP-2: a complaint is settled only with its outcome on record.
            if kind == Kind::Complaint && *to == Status::Resolved {
                let kind = *rng.pick(OutcomeKind::ALL);
                change.outcome = Some(Outcome {
                    kind,
                    // CP-2: a refund names its amount (in đồng); "no fault" has none.
                    amount: match kind {
                        OutcomeKind::Refund => Some(rng.between(1, 500) as i64 * 10_000),
                        _ => None,
                    },
                    note: Some("Đã thống nhất với khách hàng.".into()),
                });
            }
            steps.push(staff(Command::ChangeStatus(change), later(rng)));
        }
        steps
    }
}
