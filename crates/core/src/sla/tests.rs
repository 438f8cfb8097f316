//! SLA clock tests on simulated time: the Tết deadline, pauses (SL-5), the unit choice
//! (SL-3), warnings and escalation firing once (SL-6), and policy versions (PL-2).

use super::*;
use crate::event::{Actor, Received};
use crate::intake::{self, NewTicket, Source};

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn complaint_at(now: Timestamp, policy: &Policy) -> EventRecord {
    let input = NewTicket {
        kind: Some("complaint".into()),
        customer_name: Some("Nguyễn Văn An".into()),
        customer_email: Some("an@example.vn".into()),
        subject: Some("Dịch vụ gián đoạn".into()),
        description: Some("Website ngừng ba ngày.".into()),
        incident_date: Some("2026-02-10".into()),
        complaint_category: Some("service_quality".into()),
        ..NewTicket::default()
    };
    let intake = intake::validate(&input, Source::Public, policy, now).unwrap();
    EventRecord {
        at: now,
        actor: Actor::Customer,
        event: intake.into_event("HT-2026-000001"),
    }
}

fn status_change(at_: &str, from: Status, to: Status) -> EventRecord {
    EventRecord {
        at: at(at_),
        actor: Actor::Staff { id: 1 },
        event: Event::StatusChanged {
            from,
            to,
            reason: None,
        },
    }
}

#[test]
fn sl2_acknowledgement_due_skips_the_weekend_and_tet() {
    // 16:00 on Friday 13/02/2026, the last working day before Tết (16–20/02).
    let policy = Policy::builtin();
    let history = [complaint_at(at("2026-02-13T16:00:00+07:00"), &policy)];
    let s = status(&history, &policy, at("2026-02-13T16:00:00+07:00"));
    let ack = s.acknowledge.unwrap();
    assert_eq!(ack.due_at, Some(at("2026-03-02T10:00:00+07:00")));
    assert_eq!(ack.state, ClockState::OnTime);
    assert!(!ack.paused);
    // 75 % of 48 h = 36 working hours: Fri 1 h + Mon 23 … Thu 26 (4 × 9 h) = 37 h > 36.
    assert_eq!(ack.warn_at, Some(at("2026-02-26T16:00:00+07:00")));
    // SL-3 under seed 002: 20 calendar days.
    let resolve = s.resolve.unwrap();
    assert_eq!(resolve.due_at, Some(at("2026-03-05T16:00:00+07:00")));
    assert_eq!(resolve.unit, Unit::CalendarDays);
}

#[test]
fn sl3_working_days_unit_counts_department_days() {
    let text = crate::policy::DEFAULT_POLICY_TOML.replacen(
        "within = 20\nunit = \"calendar_days\"",
        "within = 20\nunit = \"working_days\"",
        1,
    );
    let policy = Policy::from_toml(&text).unwrap();
    let history = [complaint_at(at("2026-02-13T16:00:00+07:00"), &policy)];
    let resolve = status(&history, &policy, at("2026-02-13T16:00:00+07:00"))
        .resolve
        .unwrap();
    assert_eq!(resolve.unit, Unit::WorkingDays);
    // 20 office days of 9 h from Fri 16:00: Fri 1 h, then 19 days from Mon 23/02 and 8 h of
    // the 20th: Mon 23/02 + 19 working days = Fri 20/03, 16:00.
    assert_eq!(resolve.due_at, Some(at("2026-03-20T16:00:00+07:00")));
}

#[test]
fn sl2_state_moves_from_on_time_to_warning_to_breached_and_a_reply_meets_it() {
    let policy = Policy::builtin();
    let mut history = vec![complaint_at(at("2026-11-02T08:00:00+07:00"), &policy)];
    // 48 office hours from Monday 08:00 = 5 days × 9 h + 3 h → Monday 09/11 11:00.
    let due = at("2026-11-09T11:00:00+07:00");
    let state = |h: &[EventRecord], now: &str| status(h, &policy, at(now)).acknowledge.unwrap();
    assert_eq!(
        state(&history, "2026-11-02T09:00:00+07:00").due_at,
        Some(due)
    );
    assert_eq!(
        state(&history, "2026-11-02T09:00:00+07:00").state,
        ClockState::OnTime
    );
    assert_eq!(
        state(&history, "2026-11-06T12:00:00+07:00").state,
        ClockState::Warning
    );
    assert_eq!(
        state(&history, "2026-11-09T11:00:01+07:00").state,
        ClockState::Breached
    );
    history.push(EventRecord {
        at: at("2026-11-03T10:00:00+07:00"),
        actor: Actor::Staff { id: 1 },
        event: Event::Replied {
            channel: crate::kinds::Channel::Web,
            body: "Kính thưa quý khách".into(),
        },
    });
    let met = state(&history, "2026-12-01T00:00:00+07:00");
    assert_eq!(met.met_at, Some(at("2026-11-03T10:00:00+07:00")));
    assert_eq!(met.state, ClockState::OnTime);
}

#[test]
fn sl5_waiting_for_the_customer_pauses_and_keeps_the_working_time_left() {
    let policy = Policy::builtin();
    let mut history = vec![
        complaint_at(at("2026-11-02T08:00:00+07:00"), &policy),
        status_change(
            "2026-11-02T09:00:00+07:00",
            Status::New,
            Status::Acknowledged,
        ),
        // One office day later the agent asks the customer for evidence.
        status_change(
            "2026-11-03T08:00:00+07:00",
            Status::Acknowledged,
            Status::WaitingCustomer,
        ),
    ];
    let resolve = |h: &[EventRecord], now: &str| status(h, &policy, at(now)).resolve.unwrap();
    let paused = resolve(&history, "2026-11-10T00:00:00+07:00");
    assert!(paused.paused);
    assert_eq!(paused.due_at, None);
    assert_eq!(paused.state, ClockState::OnTime);
    // One calendar day of twenty used.
    assert_eq!(paused.remaining, 19 * 86_400);
    // The customer answers ten days later; nineteen days remain from then.
    history.push(status_change(
        "2026-11-13T08:00:00+07:00",
        Status::WaitingCustomer,
        Status::InProgress,
    ));
    let resumed = resolve(&history, "2026-11-13T08:00:00+07:00");
    assert!(!resumed.paused);
    assert_eq!(resumed.due_at, Some(at("2026-12-02T08:00:00+07:00")));
}

#[test]
fn sl5_pause_on_a_working_hours_clock_keeps_working_minutes() {
    let policy = Policy::builtin();
    let history = vec![
        complaint_at(at("2026-11-02T08:00:00+07:00"), &policy),
        // Waiting before any acknowledgement: the acknowledgement clock pauses too.
        status_change(
            "2026-11-02T12:00:00+07:00",
            Status::New,
            Status::WaitingCustomer,
        ),
    ];
    let ack = status(&history, &policy, at("2026-11-05T00:00:00+07:00"))
        .acknowledge
        .unwrap();
    // Leaving `new` for waiting_customer is itself an answer to the customer: met.
    assert_eq!(ack.met_at, Some(at("2026-11-02T12:00:00+07:00")));
    let resolve = status(&history, &policy, at("2026-11-05T00:00:00+07:00"))
        .resolve
        .unwrap();
    assert!(resolve.paused);
}

#[test]
fn sl6_alerts_fire_once_warning_at_the_next_opening_escalation_at_breach() {
    let policy = Policy::builtin();
    // A technical request (7 calendar days, seed 001) received on Tuesday 06:00: 75 % is
    // reached 5.25 days later, on Sunday 12:00, when the technical department is off; the
    // warning waits for Monday 00:00, its next opening.
    let input = NewTicket {
        kind: Some("request".into()),
        customer_name: Some("An".into()),
        customer_email: Some("an@example.vn".into()),
        subject: Some("Hỏi".into()),
        description: Some("Câu hỏi".into()),
        topic: Some("hosting_domain".into()),
        ..NewTicket::default()
    };
    let received = at("2026-11-10T06:00:00+07:00");
    let record = EventRecord {
        at: received,
        actor: Actor::Customer,
        event: intake::validate(&input, Source::Public, &policy, received)
            .unwrap()
            .into_event("HT-2026-000002"),
    };
    let mut history = vec![record];
    let alerts = pending_alerts(&history, &policy, received);
    assert_eq!(
        alerts,
        vec![
            Alert {
                clock: SlaClock::Resolve,
                escalation: false,
                at: at("2026-11-16T00:00:00+07:00"),
            },
            Alert {
                clock: SlaClock::Resolve,
                escalation: true,
                at: at("2026-11-17T06:00:00+07:00"),
            },
        ]
    );
    assert!(
        fire_due_alerts(&history, &policy, &[9, 11], at("2026-11-15T23:59:00+07:00")).is_empty()
    );
    let fired = fire_due_alerts(&history, &policy, &[9, 11], at("2026-11-16T00:00:00+07:00"));
    assert_eq!(fired.len(), 1);
    assert!(matches!(
        fired[0],
        Event::SlaWarned {
            clock: SlaClock::Resolve,
            ..
        }
    ));
    history.push(EventRecord {
        at: at("2026-11-16T00:00:00+07:00"),
        actor: Actor::System,
        event: fired[0].clone(),
    });
    // Running again later fires only the escalation, once.
    let later = at("2026-11-20T08:00:00+07:00");
    let fired = fire_due_alerts(&history, &policy, &[9, 11], later);
    assert_eq!(
        fired,
        vec![
            Event::SlaEscalated {
                clock: SlaClock::Resolve,
                due_at: at("2026-11-17T06:00:00+07:00"),
                department: "technical".into(),
                lead: Some(9),
                leads: vec![9, 11],
            },
            // SL-6: the breach hands the ticket to the lead.
            Event::EscalatedTo { lead: 9 },
        ]
    );
    for e in &fired {
        history.push(EventRecord {
            at: later,
            actor: Actor::System,
            event: e.clone(),
        });
    }
    assert!(fire_due_alerts(&history, &policy, &[9, 11], later).is_empty());
    assert!(pending_alerts(&history, &policy, later).is_empty());
}

#[test]
fn pl2_deadlines_follow_the_policy_version_given() {
    let old = Policy::builtin();
    let new = Policy::from_toml(
        &crate::policy::DEFAULT_POLICY_TOML
            .replace("version = \"2026.3\"", "version = \"2026.4\"")
            .replace("within = 48", "within = 24"),
    )
    .unwrap();
    let history = [complaint_at(at("2026-11-02T08:00:00+07:00"), &old)];
    let Event::Received(r) = &history[0].event else {
        unreachable!()
    };
    let _: &Received = r;
    assert_eq!(r.policy_version, "2026.3");
    let now = at("2026-11-02T08:00:00+07:00");
    let under_old = status(&history, &old, now).acknowledge.unwrap();
    let under_new = status(&history, &new, now).acknowledge.unwrap();
    assert_eq!(under_old.due_at, Some(at("2026-11-09T11:00:00+07:00")));
    assert_ne!(under_old.due_at, under_new.due_at);
}

#[test]
fn sl4_time_bar_counts_vietnamese_days_with_the_policys_limits() {
    use crate::event::ComplaintDetails;
    use crate::kinds::ComplaintCategory;
    let policy = Policy::builtin();
    // Received at 06:30 on 20/11 in Hà Nội, which is still 19/11 in UTC.
    let now = at("2026-11-19T23:30:00Z");
    let case = |incident: &str, category| {
        crate::intake::time_bar(
            &ComplaintDetails {
                incident_date: incident.parse().unwrap(),
                category,
                requested_resolution: None,
            },
            &policy,
            now,
        )
    };
    // 90 days back is still in time; 91 is late.
    assert_eq!(case("2026-08-22", ComplaintCategory::ServiceQuality), None);
    let late = case("2026-08-21", ComplaintCategory::ServiceQuality).unwrap();
    assert_eq!((late.limit_days, late.days_after_incident), (90, 91));
    // Business matters: 30 days.
    assert_eq!(case("2026-10-21", ComplaintCategory::Business), None);
    assert_eq!(
        case("2026-10-20", ComplaintCategory::Business).map(|t| t.limit_days),
        Some(30)
    );
    // The check uses the policy's numbers.
    let strict = Policy::from_toml(
        &crate::policy::DEFAULT_POLICY_TOML.replace("business_days = 30", "business_days = 10"),
    )
    .unwrap();
    let details = ComplaintDetails {
        incident_date: "2026-11-05".parse().unwrap(),
        category: ComplaintCategory::Business,
        requested_resolution: None,
    };
    assert!(crate::intake::time_bar(&details, &strict, now).is_some());
    assert!(crate::intake::time_bar(&details, &policy, now).is_none());
}

/// A ticket of `kind` received at `when`, with the given topic (for requests).
fn received(kind: &str, topic: Option<&str>, when: Timestamp, policy: &Policy) -> EventRecord {
    let mut input = NewTicket {
        kind: Some(kind.into()),
        customer_name: Some("An".into()),
        customer_email: Some("an@example.vn".into()),
        subject: Some("Hỏi".into()),
        description: Some("Nội dung".into()),
        topic: topic.map(Into::into),
        ..NewTicket::default()
    };
    if kind == "feedback" {
        input.current_feature = Some("Trang hóa đơn".into());
        input.proposed_improvement = Some("Xuất PDF".into());
        input.reason = Some("Tiện lưu trữ".into());
    }
    EventRecord {
        at: when,
        actor: Actor::Customer,
        event: intake::validate(&input, Source::Public, policy, when)
            .unwrap()
            .into_event("HT-2026-000003"),
    }
}

#[test]
fn sl2_feedback_is_acknowledged_within_48_clock_hours_a_complaint_within_48_working_hours() {
    // Seed 003: "trong vòng 48 giờ sau khi phản ánh được gửi đi" — hours on the clock, over
    // the weekend; seed 004: "48 giờ làm việc" for complaints.
    let policy = Policy::builtin();
    let friday = at("2026-11-06T16:00:00+07:00");
    let feedback = status(
        &[received("feedback", None, friday, &policy)],
        &policy,
        friday,
    )
    .acknowledge
    .unwrap();
    assert_eq!((feedback.within, feedback.unit), (48, Unit::Hours));
    assert_eq!(feedback.due_at, Some(at("2026-11-08T16:00:00+07:00")));
    let complaint = status(&[complaint_at(friday, &policy)], &policy, friday)
        .acknowledge
        .unwrap();
    assert_eq!(complaint.unit, Unit::WorkingHours);
    assert!(complaint.due_at.unwrap() > at("2026-11-13T00:00:00+07:00"));
}

#[test]
fn sl3_the_seven_day_limit_is_for_technical_issues_only() {
    // Seed 001 sets "Tối đa 7 ngày" under technical support, for one issue of one customer.
    let policy = Policy::builtin();
    let now = at("2026-11-10T09:00:00+07:00");
    let technical = status(
        &[received("request", Some("hosting_domain"), now, &policy)],
        &policy,
        now,
    );
    let resolve = technical.resolve.unwrap();
    assert_eq!((resolve.within, resolve.unit), (7, Unit::CalendarDays));
    assert_eq!(resolve.due_at, Some(at("2026-11-17T09:00:00+07:00")));
    let quotation = status(
        &[received("request", Some("quotation"), now, &policy)],
        &policy,
        now,
    );
    assert_eq!(quotation.resolve, None);
}

#[test]
fn seed002_a_first_answer_clock_is_met_by_a_written_answer_or_an_invitation() {
    let policy = Policy::from_toml(&crate::policy::DEFAULT_POLICY_TOML.replace(
        "# [[sla.first_answer]]\n# kinds = [\"complaint\"]\n# within = 48\n# unit = \"hours\"",
        "[[sla.first_answer]]\nkinds = [\"complaint\"]\nwithin = 48\nunit = \"hours\"",
    ))
    .unwrap();
    assert_eq!(
        policy.sla.first_answer.len(),
        1,
        "the example turns the clock on"
    );
    let start = at("2026-11-06T16:00:00+07:00");
    let mut history = vec![complaint_at(start, &policy)];
    // Acknowledging is not an answer: the clock keeps running.
    history.push(status_change(
        "2026-11-06T17:00:00+07:00",
        Status::New,
        Status::Acknowledged,
    ));
    let clock = status(&history, &policy, start).first_answer.unwrap();
    assert_eq!(clock.due_at, Some(at("2026-11-08T16:00:00+07:00")));
    assert_eq!(clock.met_at, None);
    // An invitation to meet (seed 002's "Giấy mời") meets it.
    let invited = at("2026-11-07T10:00:00+07:00");
    history.push(EventRecord {
        at: invited,
        actor: Actor::Staff { id: 1 },
        event: Event::MeetingInvited(crate::event::Meeting {
            at: at("2026-11-10T09:00:00+07:00"),
            place: "Văn phòng".into(),
        }),
    });
    let clock = status(&history, &policy, invited).first_answer.unwrap();
    assert_eq!(clock.met_at, Some(invited));
    assert_eq!(clock.state, ClockState::OnTime);
    // The built-in policy leaves it off.
    assert_eq!(
        status(&history, &Policy::builtin(), invited).first_answer,
        None
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Complaints resolved within 100 working hours, so the pause is on working time. Built
    /// once: clones share the calendars, which take milliseconds to build.
    fn policy() -> Policy {
        static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(|| {
            Policy::from_toml(&crate::policy::DEFAULT_POLICY_TOML.replacen(
                "within = 20\nunit = \"calendar_days\"",
                "within = 100\nunit = \"working_hours\"",
                1,
            ))
            .unwrap()
        });
        POLICY.clone()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// SL-5: whatever the timing, the working time used before a pause plus the working
        /// time from the resume to the new due instant is exactly the allowed time.
        #[test]
        fn sl5_pause_preserves_the_remaining_working_time(
            start_min in 0i64..(365 * 24 * 60),
            ack_after in 1i64..(5 * 24 * 60),
            pause_after in 0i64..(10 * 24 * 60),
            wait in 1i64..(30 * 24 * 60),
        ) {
            let policy = policy();
            let minute = |m: i64| at("2026-03-01T00:00:00Z") + SignedDuration::from_mins(m);
            let received = minute(start_min);
            let ack = minute(start_min + ack_after);
            let pause = minute(start_min + ack_after + pause_after);
            let resume = minute(start_min + ack_after + pause_after + wait);
            let history = vec![
                complaint_at(received, &policy),
                status_change(&ack.to_string(), Status::New, Status::Acknowledged),
                status_change(&pause.to_string(), Status::Acknowledged, Status::WaitingCustomer),
                status_change(&resume.to_string(), Status::WaitingCustomer, Status::InProgress),
            ];
            let calendar = policy.calendar("customer");
            let used = calendar.working_minutes_between(received, pause);
            let resolve = status(&history, &policy, resume).resolve.unwrap();
            let due = resolve.due_at.unwrap();
            if used < 6000 {
                prop_assert!(due >= resume);
                prop_assert_eq!(used + calendar.working_minutes_between(resume, due), 6000);
            } else {
                // The limit passed before the pause: the due instant stays where it was.
                prop_assert!(due <= pause);
                prop_assert_eq!(calendar.working_minutes_between(received, due), 6000);
            }
        }
    }
}

#[test]
fn sl6_warning_names_agent_and_leads_and_breach_assigns_the_lead() {
    let policy = Policy::builtin();
    let received = at("2026-11-02T08:00:00+07:00");
    let mut history = vec![complaint_at(received, &policy)];
    history.push(EventRecord {
        at: at("2026-11-02T08:30:00+07:00"),
        actor: Actor::Staff { id: 7 },
        event: Event::Taken { agent: 7 },
    });
    // The acknowledgement's warning (75 % of 48 working hours) fires first: agent 7 and both
    // leads are named, and each is told once.
    let (mut warned, mut breached) = (None, None);
    let mut now = received;
    while breached.is_none() && now < at("2026-12-01T00:00:00+07:00") {
        now += jiff::SignedDuration::from_hours(1);
        for e in fire_due_alerts(&history, &policy, &[3, 5], now) {
            match &e {
                Event::SlaWarned { .. } if warned.is_none() => warned = Some(e.clone()),
                Event::SlaEscalated { .. } => breached = Some(e.clone()),
                _ => {}
            }
            history.push(EventRecord {
                at: now,
                actor: Actor::System,
                event: e,
            });
        }
    }
    let warned = warned.expect("a warning");
    assert!(matches!(&warned, Event::SlaWarned { agent: Some(7), leads, .. } if leads == &[3, 5]));
    assert_eq!(alert_recipients(&warned, Some(7)), [7, 3, 5]);
    let breached = breached.expect("a breach");
    assert!(matches!(
        &breached,
        Event::SlaEscalated { lead: Some(3), .. }
    ));
    // The breach tells the leads and the agent the ticket is taken from.
    assert_eq!(alert_recipients(&breached, Some(7)), [3, 5, 7]);
    let ticket = crate::Ticket::from_history(&history).unwrap();
    assert_eq!(
        ticket.assignee,
        Some(3),
        "the lead holds the ticket after the breach"
    );
    // Handed over once: a later breach of another clock leaves the lead's ticket alone.
    let handovers = history
        .iter()
        .filter(|r| matches!(r.event, Event::EscalatedTo { .. }))
        .count();
    assert_eq!(handovers, 1);
    // Without a lead the ticket stays where it is; the breach is still recorded.
    let lone = vec![complaint_at(received, &policy)];
    let fired = fire_due_alerts(&lone, &policy, &[], at("2026-12-01T00:00:00+07:00"));
    assert!(
        fired
            .iter()
            .any(|e| matches!(e, Event::SlaEscalated { lead: None, .. }))
    );
    assert!(!fired.iter().any(|e| matches!(e, Event::EscalatedTo { .. })));
}
