//! Tests of the ticket rules: the complaint story step by step, and property tests that no
//! sequence of commands reaches an illegal state.
//!
//! One file on purpose: the story and the properties share the helpers that build tickets.

use super::*;
use crate::event::{Actor, OutcomeKind, Received};
use crate::intake::{self, NewTicket, Source};
use crate::policy::Policy;
use crate::rejection::Rejection;
use crate::staff::{Role, StaffMember};
use proptest::prelude::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn staff(id: i64, department: &str, role: Role) -> StaffMember {
    StaffMember {
        cover: Default::default(),
        id,
        email: format!("s{id}@example.vn"),
        name: format!("Staff {id}"),
        department: department.into(),
        role,
    }
}

fn new_ticket(kind: Kind, channel: Channel) -> Ticket {
    let input = NewTicket {
        kind: Some(kind.as_str().into()),
        channel: Some(channel.as_str().into()),
        customer_name: Some("Trần Thị Bình".into()),
        customer_email: Some("binh@example.vn".into()),
        subject: Some("Hóa đơn sai".into()),
        description: Some("Hóa đơn tháng 10 tính sai số tiền.".into()),
        incident_date: (kind == Kind::Complaint).then(|| "2026-11-01".into()),
        complaint_category: (kind == Kind::Complaint).then(|| "business".into()),
        current_feature: (kind == Kind::Feedback).then(|| "Hóa đơn".into()),
        proposed_improvement: (kind == Kind::Feedback).then(|| "Xuất PDF".into()),
        reason: (kind == Kind::Feedback).then(|| "Tiện lưu trữ".into()),
        ..NewTicket::default()
    };
    let policy = Policy::builtin();
    let now = at("2026-11-20T02:00:00Z");
    let intake = intake::validate(&input, Source::Staff, &policy, now).unwrap();
    let record = EventRecord {
        at: now,
        actor: Actor::Staff { id: 1 },
        event: intake.into_event("HT-2026-000001"),
    };
    Ticket::received(&record).unwrap()
}

/// Decides and applies; returns the events so tests can look at them.
fn run(t: &mut Ticket, who: &StaffMember, cmd: Command) -> Result<Vec<Event>, Rejection> {
    let policy = Policy::builtin();
    let ctx = Context {
        staff: who,
        policy: &policy,
        now: at("2026-11-21T02:00:00Z"),
        assignee: None,
    };
    let events = t.decide(&cmd, &ctx)?;
    for e in &events {
        t.apply(e);
    }
    Ok(events)
}

fn status(to: Status) -> Command {
    Command::ChangeStatus(StatusChange::to(to))
}

const GREETING_ONLY: &str = "Kính thưa quý khách, chúng tôi đã kiểm tra.";

/// A written answer that moves the ticket to `answered`, proposing `outcome`.
fn reply(outcome: Option<Outcome>) -> Command {
    Command::Reply {
        body: GREETING_ONLY.into(),
        channel: None,
        then: Some(StatusChange::to(Status::Answered)),
        outcome: outcome.map(Box::new),
    }
}

fn customer(t: &mut Ticket, c: CustomerCommand) -> Result<Vec<Event>, Rejection> {
    let events = t.decide_customer(&c)?;
    for e in &events {
        t.apply(e);
    }
    Ok(events)
}

#[test]
fn cp2_accept_records_the_proposed_outcome() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    let agent = staff(7, "customer", Role::Agent);
    let exchange = Outcome {
        kind: OutcomeKind::Exchange,
        amount: None,
        note: Some("Đổi thiết bị mới".into()),
    };
    // An answer without a proposal leaves nothing to accept: the customer is refused, by rule.
    run(&mut t, &agent, reply(None)).unwrap();
    assert!(!t.may_accept());
    assert_eq!(
        customer(&mut t, CustomerCommand::Accept),
        Err(Rejection::Conflict {
            rule: "complaint.outcome_required"
        })
    );
    // The next answer proposes an exchange; accepting records it and resolves.
    run(&mut t, &agent, status(Status::InProgress)).unwrap();
    let events = run(&mut t, &agent, reply(Some(exchange.clone()))).unwrap();
    assert!(
        matches!(&events[..2], [Event::Replied { .. }, Event::OutcomeProposed(o)] if *o == exchange)
    );
    assert!(t.outcome.is_none() && t.may_accept());
    let events = customer(&mut t, CustomerCommand::Accept).unwrap();
    assert_eq!(
        events,
        vec![
            Event::Accepted,
            Event::OutcomeRecorded(exchange.clone()),
            Event::StatusChanged {
                from: Status::Answered,
                to: Status::Resolved,
                reason: None
            },
        ]
    );
    assert_eq!(
        (t.status, t.outcome.as_ref()),
        (Status::Resolved, Some(&exchange))
    );
    // Only a complaint's answer proposes an outcome.
    let mut request = new_ticket(Kind::Request, Channel::Web);
    let agent = staff(8, &request.department.clone(), Role::Agent);
    assert_eq!(
        run(&mut request, &agent, reply(Some(exchange))),
        Err(Rejection::field("outcome", "outcome.not_allowed"))
    );
}

#[test]
fn cp2_a_disputed_proposal_is_not_accepted_later() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    let agent = staff(7, "customer", Role::Agent);
    let refund = Outcome {
        kind: OutcomeKind::Refund,
        amount: Some(200_000),
        note: None,
    };
    run(&mut t, &agent, reply(Some(refund))).unwrap();
    let dispute = CustomerCommand::Dispute {
        channel: Channel::Web,
        reason: "Quá ít.".into(),
    };
    customer(&mut t, dispute).unwrap();
    assert!(t.proposed_outcome.is_none());
    run(&mut t, &agent, status(Status::InProgress)).unwrap();
    run(&mut t, &agent, reply(None)).unwrap();
    assert_eq!(
        customer(&mut t, CustomerCommand::Accept),
        Err(Rejection::Conflict {
            rule: "complaint.outcome_required"
        })
    );
}

#[test]
fn cp2_complaint_cannot_close_without_an_answer() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    let agent = staff(7, "customer", Role::Agent);
    let close = Command::ChangeStatus(StatusChange {
        reason: Some("Khách không liên lạc lại".into()),
        ..StatusChange::to(Status::Closed)
    });
    assert_eq!(
        run(&mut t, &agent, close.clone()),
        Err(Rejection::Conflict {
            rule: "complaint.answer_required"
        })
    );
    // Answered, it still needs its outcome to close; given with the close, it is recorded.
    run(&mut t, &agent, reply(None)).unwrap();
    assert_eq!(
        run(&mut t, &agent, close),
        Err(Rejection::field("outcome", "complaint.outcome_required"))
    );
    let close = Command::ChangeStatus(StatusChange {
        reason: Some("Khách không liên lạc lại".into()),
        outcome: Some(Outcome {
            kind: OutcomeKind::NoFault,
            amount: None,
            note: None,
        }),
        ..StatusChange::to(Status::Closed)
    });
    run(&mut t, &agent, close).unwrap();
    assert_eq!(t.status, Status::Closed);
    assert!(t.outcome.is_some());
}

#[test]
fn cp2_closing_a_request_needs_a_reason() {
    let mut t = new_ticket(Kind::Request, Channel::Web);
    let agent = staff(7, &t.department.clone(), Role::Agent);
    assert_eq!(
        run(&mut t, &agent, status(Status::Closed)),
        Err(Rejection::field("reason", "required"))
    );
    let close = Command::ChangeStatus(StatusChange {
        reason: Some("Trùng với phiếu HT-2026-000009".into()),
        ..StatusChange::to(Status::Closed)
    });
    run(&mut t, &agent, close).unwrap();
    assert_eq!(t.status, Status::Closed);
}

#[test]
fn rt4_staff_of_another_department_are_told_not_found() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    assert_eq!(t.department, "customer");
    let sales = staff(2, "sales", Role::Lead);
    assert_eq!(run(&mut t, &sales, Command::Take), Err(Rejection::NotFound));
    let admin = staff(3, "other", Role::Admin);
    assert!(run(&mut t, &admin, Command::Take).is_ok());
}

#[test]
fn cp1_two_rounds_then_referral() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    let agent = staff(7, "customer", Role::Agent);
    run(&mut t, &agent, Command::Take).unwrap();
    run(&mut t, &agent, status(Status::Acknowledged)).unwrap();
    run(&mut t, &agent, status(Status::InProgress)).unwrap();
    let meeting = Meeting {
        at: at("2026-11-25T03:00:00Z"),
        place: "Văn phòng 12 Lê Lợi, Quận 1".into(),
    };
    let answer = Command::Reply {
        body: GREETING_ONLY.into(),
        channel: None,
        then: Some(StatusChange {
            meeting: Some(meeting.clone()),
            ..StatusChange::to(Status::Answered)
        }),
        outcome: None,
    };
    run(&mut t, &agent, answer).unwrap();
    assert_eq!(
        (t.status, t.round, t.meeting.clone()),
        (Status::Answered, 1, Some(meeting))
    );
    run(&mut t, &agent, status(Status::Disputed)).unwrap();
    // Referral is not yet possible: round 2 comes first.
    assert_eq!(
        run(&mut t, &agent, status(Status::ReferredExternal)),
        Err(Rejection::IllegalTransition {
            from: Status::Disputed,
            to: Status::ReferredExternal
        })
    );
    let events = run(&mut t, &agent, status(Status::InProgress)).unwrap();
    assert_eq!(events[0], Event::RoundStarted { round: 2 });
    run(&mut t, &agent, status(Status::Answered)).unwrap();
    run(&mut t, &agent, status(Status::Disputed)).unwrap();
    assert_eq!(t.round, 2);
    let no_reason = run(&mut t, &agent, status(Status::ReferredExternal)).unwrap_err();
    assert_eq!(no_reason, Rejection::field("reason", "required"));
    let refer = Command::ChangeStatus(StatusChange {
        reason: Some("Khách hàng khởi kiện tại Tòa án nhân dân Quận 1".into()),
        ..StatusChange::to(Status::ReferredExternal)
    });
    run(&mut t, &agent, refer).unwrap();
    assert_eq!(t.status, Status::ReferredExternal);
}

#[test]
fn cp2_a_complaint_resolves_only_with_an_outcome() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    let agent = staff(7, "customer", Role::Agent);
    assert_eq!(
        run(&mut t, &agent, status(Status::Resolved)),
        Err(Rejection::Conflict {
            rule: "complaint.answer_required"
        })
    );
    run(&mut t, &agent, reply(None)).unwrap();
    assert_eq!(
        run(&mut t, &agent, status(Status::Resolved)),
        Err(Rejection::field("outcome", "complaint.outcome_required"))
    );
    let refund_without_amount = Command::ChangeStatus(StatusChange {
        outcome: Some(Outcome {
            kind: OutcomeKind::Refund,
            amount: None,
            note: None,
        }),
        ..StatusChange::to(Status::Resolved)
    });
    assert_eq!(
        run(&mut t, &agent, refund_without_amount),
        Err(Rejection::field("outcome.amount", "required"))
    );
    let refund = Command::ChangeStatus(StatusChange {
        outcome: Some(Outcome {
            kind: OutcomeKind::Refund,
            amount: Some(1_500_000),
            note: None,
        }),
        ..StatusChange::to(Status::Resolved)
    });
    run(&mut t, &agent, refund).unwrap();
    assert_eq!(t.outcome.as_ref().unwrap().amount, Some(1_500_000));
}

#[test]
fn rp2_email_replies_need_the_closing_and_an_address() {
    let mut t = new_ticket(Kind::Request, Channel::Email);
    let agent = staff(7, "sales", Role::Agent);
    let err = run(
        &mut t,
        &agent,
        Command::Reply {
            body: GREETING_ONLY.into(),
            channel: None,
            then: None,
            outcome: None,
        },
    )
    .unwrap_err();
    assert_eq!(err, Rejection::field("body", "reply.closing"));
    t.customer.email = None;
    let err = run(
        &mut t,
        &agent,
        Command::Reply {
            body: GREETING_ONLY.into(),
            channel: Some(Channel::Phone),
            then: None,
            outcome: None,
        },
    );
    assert!(err.is_ok(), "a phone answer needs no closing: {err:?}");
}

#[test]
fn rp2_a_chat_is_greeted_once_per_conversation() {
    let agent = staff(7, "sales", Role::Agent);
    let say = |body: &str, channel: Option<Channel>| Command::Reply {
        body: body.into(),
        channel,
        then: None,
        outcome: None,
    };
    let mut t = new_ticket(Kind::Request, Channel::Chat);
    assert!(!t.chat_greeted);
    // The first staff message of the conversation must carry the greeting.
    let err = run(&mut t, &agent, say("Dạ, em kiểm tra ngay.", None)).unwrap_err();
    assert_eq!(err, Rejection::field("body", "reply.greeting"));
    run(&mut t, &agent, say(GREETING_ONLY, None)).unwrap();
    assert!(t.chat_greeted);
    // Later lines of the same conversation need not repeat it.
    run(&mut t, &agent, say("Dạ, em kiểm tra ngay.", None)).unwrap();
    // An answer on another channel is a new letter: the greeting again.
    let err = run(&mut t, &agent, say("Dạ, em gọi lại.", Some(Channel::Phone))).unwrap_err();
    assert_eq!(err, Rejection::field("body", "reply.greeting"));
    // Folded from history, as the store rebuilds it.
    let mut web = new_ticket(Kind::Request, Channel::Web);
    run(&mut web, &agent, say(GREETING_ONLY, None)).unwrap();
    assert!(!web.chat_greeted, "only a chat reply greets a chat");
    let err = run(&mut web, &agent, say("Dạ.", None)).unwrap_err();
    assert_eq!(err, Rejection::field("body", "reply.greeting"));
}

#[test]
fn qf1_priority_changes_need_a_reason() {
    let mut t = new_ticket(Kind::Request, Channel::Web);
    let agent = staff(7, "sales", Role::Agent);
    let blank = Command::ChangePriority {
        priority: Priority::Urgent,
        reason: " ".into(),
    };
    assert_eq!(
        run(&mut t, &agent, blank),
        Err(Rejection::field("reason", "required"))
    );
    let ok = Command::ChangePriority {
        priority: Priority::Urgent,
        reason: "Mất dịch vụ toàn bộ".into(),
    };
    run(&mut t, &agent, ok).unwrap();
    assert_eq!(t.priority, Priority::Urgent);
}

#[test]
fn take_respects_a_colleagues_claim_unless_a_lead_decides() {
    let mut t = new_ticket(Kind::Request, Channel::Web);
    let a = staff(7, "sales", Role::Agent);
    let b = staff(8, "sales", Role::Agent);
    let lead = staff(9, "sales", Role::Lead);
    run(&mut t, &a, Command::Take).unwrap();
    assert_eq!(
        run(&mut t, &b, Command::Take),
        Err(Rejection::Conflict {
            rule: "ticket.taken_by_other"
        })
    );
    run(&mut t, &lead, Command::Take).unwrap();
    assert_eq!(t.assignee, Some(9));
}

#[test]
fn cp1_cp4_the_customer_disputes_accepts_rates_and_reopens() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    let agent = staff(7, "customer", Role::Agent);
    let answer = |t: &mut Ticket| {
        run(
            t,
            &agent,
            Command::Reply {
                body: GREETING_ONLY.into(),
                channel: None,
                then: Some(StatusChange::to(Status::Answered)),
                outcome: Some(Box::new(Outcome {
                    kind: OutcomeKind::CompensatingService,
                    amount: None,
                    note: None,
                })),
            },
        )
        .unwrap()
    };
    let customer = |t: &mut Ticket, c: CustomerCommand| -> Result<Vec<Event>, Rejection> {
        let events = t.decide_customer(&c)?;
        for e in &events {
            t.apply(e);
        }
        Ok(events)
    };
    // Nothing to accept before an answer; a rating only after resolution.
    assert!(customer(&mut t, CustomerCommand::Accept).is_err());
    let rate = CustomerCommand::Rate {
        score: 5,
        comment: None,
    };
    assert_eq!(
        customer(&mut t, rate.clone()),
        Err(Rejection::Conflict {
            rule: "rating.not_resolved"
        })
    );
    // TR-2/SL-5: the customer's answer to a question resumes the work, but their mail
    // program's out-of-office answer does not: it is kept, marked automatic, and the wait
    // goes on.
    run(&mut t, &agent, status(Status::WaitingCustomer)).unwrap();
    let vacation = CustomerCommand::AutomaticReply {
        channel: Channel::Email,
        body: "Tôi đang nghỉ phép đến 30/11.\u{7}".into(),
        reference: Some("<ooo@example.vn>".into()),
    };
    let events = customer(&mut t, vacation).unwrap();
    assert_eq!(t.status, Status::WaitingCustomer);
    assert!(
        matches!(&events[..], [Event::CustomerWrote { automatic: true, body, .. }]
            if body == "Tôi đang nghỉ phép đến 30/11."),
        "{events:?}"
    );
    let info = CustomerCommand::AddInformation {
        channel: Channel::Web,
        body: "Hóa đơn số 0012 đính kèm.".into(),
        attachments: vec![],
        reference: None,
    };
    customer(&mut t, info).unwrap();
    assert_eq!(t.status, Status::InProgress);
    answer(&mut t);
    let no_reason = CustomerCommand::Dispute {
        channel: Channel::Web,
        reason: " ".into(),
    };
    assert_eq!(
        customer(&mut t, no_reason),
        Err(Rejection::field("reason", "required"))
    );
    let dispute = CustomerCommand::Dispute {
        channel: Channel::Web,
        reason: "Chưa được bồi thường.".into(),
    };
    customer(&mut t, dispute).unwrap();
    assert_eq!(t.status, Status::Disputed);
    run(&mut t, &agent, status(Status::InProgress)).unwrap();
    assert_eq!(t.round, 2);
    answer(&mut t);
    customer(&mut t, CustomerCommand::Accept).unwrap();
    assert_eq!((t.status, t.accepted), (Status::Resolved, true));
    let bad = CustomerCommand::Rate {
        score: 9,
        comment: None,
    };
    assert_eq!(
        customer(&mut t, bad),
        Err(Rejection::field("score", "score.range"))
    );
    customer(
        &mut t,
        CustomerCommand::Rate {
            score: 4,
            comment: Some("Nhanh".into()),
        },
    )
    .unwrap();
    assert_eq!(
        customer(&mut t, rate),
        Err(Rejection::Conflict {
            rule: "rating.already_given"
        })
    );
    let reopen = CustomerCommand::Reopen {
        channel: Channel::Email,
        reason: "Lỗi xuất hiện lại.".into(),
    };
    customer(&mut t, reopen).unwrap();
    assert_eq!(
        (t.status, t.accepted, t.rating),
        (Status::Reopened, false, None)
    );
}

#[test]
fn rp3_another_department_is_consulted_without_a_transfer() {
    let mut t = new_ticket(Kind::Complaint, Channel::Web);
    let care = staff(7, "customer", Role::Agent);
    let tech = staff(8, "technical", Role::Agent);
    let sales = staff(9, "sales", Role::Agent);
    let ask = Command::Consult {
        department: "technical".into(),
        question: "Máy chủ có sự cố ngày 10/11 không?".into(),
    };
    run(&mut t, &care, ask).unwrap();
    assert_eq!(t.department, "customer");
    // The consulted department may answer that question and do nothing else.
    assert_eq!(run(&mut t, &tech, Command::Take), Err(Rejection::NotFound));
    let answer = Command::AnswerConsultation {
        number: 1,
        answer: "Có, mất điện 3 giờ.".into(),
    };
    assert_eq!(
        run(&mut t, &sales, answer.clone()),
        Err(Rejection::NotFound)
    );
    run(&mut t, &tech, answer.clone()).unwrap();
    assert!(t.consultations[0].answered);
    assert_eq!(
        run(&mut t, &tech, answer),
        Err(Rejection::Conflict {
            rule: "consultation.answered"
        })
    );
    let same = Command::Consult {
        department: "customer".into(),
        question: "?".into(),
    };
    assert_eq!(
        run(&mut t, &care, same),
        Err(Rejection::field("department", "department.same"))
    );
}

// ---- property tests -------------------------------------------------------------------

fn any_status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

fn any_outcome() -> impl Strategy<Value = Option<Outcome>> {
    prop::option::of(
        (
            prop::sample::select(OutcomeKind::ALL.to_vec()),
            prop::option::of(-5i64..3_000_000),
        )
            .prop_map(|(kind, amount)| Outcome {
                kind,
                amount,
                note: Some("Đã thống nhất".into()),
            }),
    )
}

fn any_change() -> impl Strategy<Value = StatusChange> {
    let outcome = any_outcome();
    let meeting = prop::option::of(prop::bool::ANY.prop_map(|future| Meeting {
        at: if future {
            at("2026-12-01T02:00:00Z")
        } else {
            at("2026-01-01T02:00:00Z")
        },
        place: "Chi nhánh Đà Nẵng".into(),
    }));
    (
        any_status(),
        prop::option::of("[a-z ]{0,8}"),
        outcome,
        meeting,
    )
        .prop_map(|(to, reason, outcome, meeting)| StatusChange {
            to,
            reason,
            outcome,
            meeting,
        })
}

fn any_customer_command() -> impl Strategy<Value = CustomerCommand> {
    prop_oneof![
        "[a-z ]{0,6}".prop_map(|body| CustomerCommand::AddInformation {
            channel: Channel::Web,
            body,
            attachments: vec![],
            reference: None,
        }),
        Just(CustomerCommand::Accept),
        "[a-z ]{0,6}".prop_map(|reason| CustomerCommand::Dispute {
            channel: Channel::Web,
            reason
        }),
        (-1i64..7, prop::option::of("[a-z]{0,4}"))
            .prop_map(|(score, comment)| CustomerCommand::Rate { score, comment }),
        "[a-z ]{0,6}".prop_map(|reason| CustomerCommand::Reopen {
            channel: Channel::Email,
            reason
        }),
    ]
}

fn any_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::Take),
        (
            prop::sample::select(vec![GREETING_ONLY, "Chào bạn", " "]),
            prop::option::of(prop::sample::select(Channel::ALL.to_vec())),
            prop::option::of(any_change()),
            any_outcome(),
        )
            .prop_map(|(body, channel, then, outcome)| Command::Reply {
                body: body.into(),
                channel,
                then,
                outcome: outcome.map(Box::new),
            }),
        "[a-z ]{0,6}".prop_map(|body| Command::Note { body }),
        any_change().prop_map(Command::ChangeStatus),
        (
            prop::sample::select(vec![
                "sales",
                "technical",
                "design",
                "customer",
                "other",
                "x"
            ]),
            "[a-z]{0,4}"
        )
            .prop_map(|(d, r)| Command::Transfer {
                department: d.into(),
                reason: r
            }),
        (prop::sample::select(Priority::ALL.to_vec()), "[a-z]{0,4}")
            .prop_map(|(priority, reason)| Command::ChangePriority { priority, reason }),
        (
            prop::sample::select(Kind::ALL.to_vec()),
            prop::option::of(prop::sample::select(vec![
                "billing",
                "hosting_domain",
                "other",
                "x"
            ])),
            prop::option::of(prop::sample::select(vec!["performance", "x"])),
            any::<bool>(),
        )
            .prop_map(|(kind, topic, area, accepted)| Command::Reclassify {
                kind,
                topic: topic.map(str::to_owned),
                feature_area: area.map(str::to_owned),
                accepted,
                reason: None,
            }),
    ]
}

/// The invariants every reachable ticket keeps.
fn check_invariants(t: &Ticket, policy: &Policy) {
    assert!(t.round == 1 || t.round == 2, "round {}", t.round);
    // SL-4 and CP-1 need what a complaint states, however it became one (RT-3).
    if t.kind == Kind::Complaint {
        assert!(t.complaint.is_some(), "a complaint without its details");
    }
    if t.feature_area.is_some() {
        assert_eq!(t.kind, Kind::Feedback, "a feature area on a {:?}", t.kind);
    }
    if t.kind != Kind::Complaint {
        assert_eq!(t.round, 1);
        assert!(!matches!(
            t.status,
            Status::Disputed | Status::ReferredExternal
        ));
        assert!(t.meeting.is_none() && t.outcome.is_none());
    }
    if t.status == Status::ReferredExternal {
        assert_eq!(t.round, 2, "referred before the second round");
    }
    // CP-2: a complaint ends only with a written answer and a recorded outcome, also when
    // the customer accepts.
    if t.kind == Kind::Complaint && matches!(t.status, Status::Resolved | Status::Closed) {
        assert!(
            t.replies > 0,
            "complaint {:?} without a written answer",
            t.status
        );
        assert!(
            t.outcome.is_some(),
            "complaint {:?} without an outcome",
            t.status
        );
    }
    if t.kind != Kind::Complaint {
        assert!(t.proposed_outcome.is_none());
    }
    if t.rating.is_some() {
        assert!(matches!(t.status, Status::Resolved | Status::Closed));
    }
    if let Some(o) = &t.outcome {
        assert!(o.amount.is_none_or(|a| a >= 0));
    }
    assert!(policy.department(&t.department).is_some());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// No sequence of commands, by any mix of staff, reaches an illegal state; a rejected
    /// command changes nothing; and replaying the recorded events rebuilds the same ticket.
    #[test]
    fn no_command_sequence_reaches_an_illegal_state(
        kind in prop::sample::select(Kind::ALL.to_vec()),
        channel in prop::sample::select(Channel::ALL.to_vec()),
        steps in prop::collection::vec(
            prop_oneof![
                3 => (0usize..4, any_command()).prop_map(|(who, c)| (Some(who), Some(c), None)),
                1 => any_customer_command().prop_map(|c| (None, None, Some(c))),
            ],
            1..40,
        ),
    ) {
        let policy = Policy::builtin();
        let team = [
            staff(1, "customer", Role::Agent),
            staff(2, "customer", Role::Lead),
            staff(3, "sales", Role::Agent),
            staff(4, "other", Role::Admin),
        ];
        let mut t = new_ticket(kind, channel);
        let first = EventRecord {
            at: t.received_at,
            actor: Actor::System,
            event: Event::Received(Box::new(Received {
                code: t.code.clone(), kind: t.kind, channel: t.channel,
                department: t.department.clone(), topic: t.topic.clone(), priority: t.priority,
                customer: t.customer.clone(), subject: t.subject.clone(),
                description: t.description.clone(), complaint: t.complaint.clone(),
                feedback: t.feedback.clone(), policy_version: t.policy_version.clone(),
                time_barred: t.time_barred, suggested_topic: None, attachments: vec![],
                feature_area: t.feature_area.clone(), classification: None,
            })),
        };
        let mut history = vec![first];
        for step in steps {
            let before = t.clone();
            let now = at("2026-11-21T02:00:00Z");
            let (decided, actor) = match step {
                (Some(who), Some(cmd), _) => {
                    let ctx = Context { staff: &team[who], policy: &policy, now, assignee: None };
                    let decided = t.decide(&cmd, &ctx);
                    if decided.is_ok() {
                        prop_assert!(team[who].may_handle(&before.department));
                        if matches!(cmd, Command::Reply { .. }) {
                            prop_assert!(!matches!(before.status, Status::Closed | Status::ReferredExternal));
                        }
                    }
                    (decided, Actor::Staff { id: team[who].id })
                }
                (_, _, Some(cmd)) => (t.decide_customer(&cmd), Actor::Customer),
                _ => unreachable!("every step is a staff or a customer command"),
            };
            match decided {
                Ok(events) => {
                    prop_assert!(!events.is_empty());
                    for e in events {
                        t.apply(&e);
                        history.push(EventRecord { at: now, actor, event: e });
                    }
                }
                Err(_) => prop_assert_eq!(&t, &before),
            }
            check_invariants(&t, &policy);
        }
        prop_assert_eq!(Ticket::from_history(&history), Some(t));
    }

    /// Every event's JSON round-trips, so the stored log replays to the same state.
    #[test]
    fn events_round_trip_through_json(cmd in any_command()) {
        let mut t = new_ticket(Kind::Complaint, Channel::Email);
        let lead = staff(2, "customer", Role::Lead);
        if let Ok(events) = run(&mut t, &lead, cmd) {
            for e in events {
                prop_assert_eq!(Event::from_json(&e.to_json()).unwrap(), e);
            }
        }
    }
}

/// RT-3: an agent accepts or corrects the classification; every decision is recorded; a
/// topic of another department moves the ticket by a recorded transfer (RT-4); a request
/// that becomes a complaint gets a complaint's details and clocks (SL-2, SL-3).
#[test]
fn rt3_reclassification_is_recorded_moves_the_ticket_and_gives_a_complaint_its_clocks() {
    let policy = Policy::builtin();
    let input = NewTicket {
        kind: None,
        channel: Some("email".into()),
        customer_name: Some("Bình".into()),
        customer_email: Some("binh@example.vn".into()),
        subject: Some("Hỏi việc".into()),
        description: Some("Từ ngày 15/11 tôi không vào được, xin xem giúp.".into()),
        ..NewTicket::default()
    };
    let now = at("2026-11-20T02:00:00Z");
    let first = EventRecord {
        at: now,
        actor: Actor::Customer,
        event: intake::validate(&input, Source::Mail, &policy, now)
            .unwrap()
            .into_event("HT-2026-000009"),
    };
    let mut t = Ticket::received(&first).unwrap();
    assert!(t.unclassified);
    assert_eq!((t.kind, t.department.as_str()), (Kind::Request, "customer"));
    let mut history = vec![first];
    let before = crate::sla::status(&history, &policy, now);
    assert!(
        before.acknowledge.is_none(),
        "a request has no acknowledgement clock"
    );
    let agent = staff(7, "customer", Role::Agent);
    let unchanged = Command::Reclassify {
        kind: Kind::Request,
        topic: None,
        feature_area: None,
        accepted: false,
        reason: None,
    };
    assert_eq!(
        run(&mut t, &agent, unchanged),
        Err(Rejection::field("kind", "reclassify.unchanged"))
    );
    let bad = Command::Reclassify {
        kind: Kind::Request,
        topic: Some("astrology".into()),
        feature_area: Some("performance".into()),
        accepted: false,
        reason: None,
    };
    assert_eq!(
        run(&mut t, &agent, bad),
        Err(Rejection::Invalid(vec![
            crate::FieldError::new("topic", "topic.unknown"),
            crate::FieldError::new("feature_area", "not_for_kind"),
        ]))
    );
    // The agent reads a complaint: it stays in the customer department, with clocks.
    let to_complaint = Command::Reclassify {
        kind: Kind::Complaint,
        topic: Some("dispute_satisfaction".into()),
        feature_area: None,
        accepted: false,
        reason: Some("Khách hàng khiếu nại".into()),
    };
    let events = run(&mut t, &agent, to_complaint).unwrap();
    assert_eq!(events.len(), 1, "no move within the department: {events:?}");
    let Event::Reclassified(r) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!((r.from_kind, r.kind), (Kind::Request, Kind::Complaint));
    assert_eq!(
        r.complaint.as_ref().unwrap().incident_date.to_string(),
        "2026-11-15"
    );
    assert_eq!(t.kind, Kind::Complaint);
    assert!(!t.unclassified && t.reclassified);
    history.push(EventRecord {
        at: at("2026-11-20T03:00:00Z"),
        actor: Actor::Staff { id: 7 },
        event: events[0].clone(),
    });
    let after = crate::sla::status(&history, &policy, at("2026-11-20T03:00:00Z"));
    let ack = after
        .acknowledge
        .expect("a complaint is acknowledged within 48 h");
    assert_eq!(ack.within, 48);
    assert_eq!(after.resolve.unwrap().within, 20);
    // Counted from intake: the customer complained when the mail arrived.
    assert_eq!(Ticket::from_history(&history).unwrap(), t);

    // A topic of another department moves the ticket, recorded as a transfer.
    let mut t = new_ticket(Kind::Request, Channel::Web);
    assert_eq!(t.department, "sales");
    let seller = staff(3, "sales", Role::Agent);
    let move_it = Command::Reclassify {
        kind: Kind::Request,
        topic: Some("hosting_domain".into()),
        feature_area: None,
        accepted: true,
        reason: None,
    };
    let events = run(&mut t, &seller, move_it).unwrap();
    assert!(
        matches!(&events[0], Event::Reclassified(r) if r.accepted && r.department.as_deref() == Some("technical"))
    );
    assert!(
        matches!(&events[1], Event::Transferred { from, to, .. } if from == "sales" && to == "technical")
    );
    assert_eq!(t.department, "technical");
    assert_eq!(
        run(&mut t, &seller, Command::Take),
        Err(Rejection::NotFound)
    );
}

/// Issue 16: `Assign` decided with the assignee the store found (`None`: no active member).
fn assign(
    t: &mut Ticket,
    who: &StaffMember,
    to: Option<&StaffMember>,
    agent: i64,
    reason: &str,
) -> Result<Vec<Event>, Rejection> {
    let policy = Policy::builtin();
    let ctx = Context {
        staff: who,
        policy: &policy,
        now: at("2026-11-21T02:00:00Z"),
        assignee: to,
    };
    let cmd = Command::Assign {
        agent,
        reason: reason.into(),
    };
    let events = t.decide(&cmd, &ctx)?;
    for e in &events {
        t.apply(e);
    }
    Ok(events)
}

#[test]
fn a_lead_assigns_a_department_member_with_a_reason() {
    let mut t = new_ticket(Kind::Request, Channel::Email);
    let d = t.department.clone();
    let (lead, agent) = (staff(1, &d, Role::Lead), staff(2, &d, Role::Agent));
    let events = assign(&mut t, &lead, Some(&agent), 2, "Chị Hoa đang nghỉ").unwrap();
    assert_eq!(
        events,
        vec![Event::Assigned {
            agent: 2,
            by: 1,
            reason: "Chị Hoa đang nghỉ".into()
        }]
    );
    assert_eq!(t.assignee, Some(2));
    // An administrator assigns too, and may hand it to another administrator.
    let admin = staff(9, "other", Role::Admin);
    let other_admin = staff(8, "other", Role::Admin);
    assign(&mut t, &admin, Some(&other_admin), 8, "Tự xử lý").unwrap();
    assert_eq!(t.assignee, Some(8));
}

#[test]
fn only_a_lead_of_the_department_or_an_admin_assigns() {
    let mut t = new_ticket(Kind::Request, Channel::Email);
    let d = t.department.clone();
    let agent = staff(2, &d, Role::Agent);
    let colleague = staff(3, &d, Role::Agent);
    assert_eq!(
        assign(&mut t, &agent, Some(&colleague), 3, "Nhờ anh"),
        Err(Rejection::Conflict {
            rule: "assign.lead_only"
        })
    );
    let general = staff(4, &d, Role::General);
    assert_eq!(
        assign(&mut t, &general, Some(&colleague), 3, "Nhờ anh"),
        Err(Rejection::Conflict {
            rule: "assign.lead_only"
        })
    );
    assert_eq!(t.assignee, None);
}

#[test]
fn the_assignee_must_be_an_active_member_of_the_department_and_the_reason_said() {
    let mut t = new_ticket(Kind::Request, Channel::Email);
    let d = t.department.clone();
    let lead = staff(1, &d, Role::Lead);
    let outsider = staff(5, "somewhere_else", Role::Agent);
    assert_eq!(
        assign(&mut t, &lead, Some(&outsider), 5, "Nhờ anh"),
        Err(Rejection::field("agent", "assign.outside_department"))
    );
    // Not an active member at all: the store found nobody.
    assert_eq!(
        assign(&mut t, &lead, None, 77, "Nhờ anh"),
        Err(Rejection::field("agent", "assign.outside_department"))
    );
    let agent = staff(2, &d, Role::Agent);
    assert_eq!(
        assign(&mut t, &lead, Some(&agent), 2, "  "),
        Err(Rejection::field("reason", "required"))
    );
    assign(&mut t, &lead, Some(&agent), 2, "Giao").unwrap();
    assert_eq!(
        assign(&mut t, &lead, Some(&agent), 2, "Lại"),
        Err(Rejection::field("agent", "assign.unchanged"))
    );
}

#[test]
fn a_closed_ticket_is_not_assigned() {
    let mut t = new_ticket(Kind::Request, Channel::Email);
    let d = t.department.clone();
    let lead = staff(1, &d, Role::Lead);
    t.status = Status::Closed;
    let agent = staff(2, &d, Role::Agent);
    assert_eq!(
        assign(&mut t, &lead, Some(&agent), 2, "Giao"),
        Err(Rejection::Conflict {
            rule: "ticket.closed"
        })
    );
}
