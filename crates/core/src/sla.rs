//! SLA clocks (SL-2, SL-3, SL-5, SL-6, QF-3): pure functions of a ticket's history, its
//! policy version and `now`, giving each clock's due instant, warning instant and state.
//!
//! A clock runs in segments: from intake until the ticket waits for the customer, and again
//! from when it stops waiting (SL-5). Each segment is measured on the calendar of the
//! department that held the ticket then, in the target's unit, so the working time left when
//! a clock pauses is exactly what is left when it resumes. The target is chosen from what the
//! ticket was received as — or, once an agent reclassified it (RT-3), from what it was
//! reclassified as — with the policy version in force at intake (PL-2).
//!
//! One file on purpose: the clocks share the segment walk; its tests live in `sla/tests.rs`.

use crate::Ticket;
use crate::event::{Event, EventRecord};
use crate::kinds::Status;
use crate::policy::{Policy, SlaTarget, Unit};
use hotro_calendar::WorkingCalendar;
use jiff::civil::Weekday;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Which promise a clock measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaClock {
    /// SL-2: the customer is told the request was received and how it will be handled.
    Acknowledge,
    /// SL-3: the matter is resolved.
    Resolve,
    /// QF-3: the customer's next issue is taken up after the previous one is done.
    Start,
    /// Seed 002: a written answer or an invitation to meet ("Thư trả lời và/hoặc Giấy mời"),
    /// when the policy sets a limit for it.
    FirstAnswer,
}

impl SlaClock {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaClock::Acknowledge => "acknowledge",
            SlaClock::Resolve => "resolve",
            SlaClock::Start => "start",
            SlaClock::FirstAnswer => "first_answer",
        }
    }

    pub fn parse(text: &str) -> Option<SlaClock> {
        [
            SlaClock::Acknowledge,
            SlaClock::Resolve,
            SlaClock::Start,
            SlaClock::FirstAnswer,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}

/// Where a clock stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    OnTime,
    /// The warning threshold has passed (SL-6).
    Warning,
    /// The due instant has passed, or the clock was met after it.
    Breached,
}

impl ClockState {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::OnTime => "on_time",
            ClockState::Warning => "warning",
            ClockState::Breached => "breached",
        }
    }
}

/// One clock of one ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockStatus {
    pub clock: SlaClock,
    pub within: u32,
    pub unit: Unit,
    /// `None` while paused before the limit was reached: the due instant moves on resume.
    pub due_at: Option<Timestamp>,
    /// When the warning threshold is (or was) reached; `None` while paused before it.
    pub warn_at: Option<Timestamp>,
    pub met_at: Option<Timestamp>,
    pub paused: bool,
    pub state: ClockState,
    /// Working minutes (working units) or seconds (calendar days) left; negative once late.
    pub remaining: i64,
    pub warned: bool,
    pub escalated: bool,
}

/// Every clock of a ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlaStatus {
    pub acknowledge: Option<ClockStatus>,
    pub resolve: Option<ClockStatus>,
    pub start: Option<ClockStatus>,
    pub first_answer: Option<ClockStatus>,
}

impl SlaStatus {
    pub fn clocks(&self) -> impl Iterator<Item = &ClockStatus> {
        [
            &self.acknowledge,
            &self.resolve,
            &self.start,
            &self.first_answer,
        ]
        .into_iter()
        .flatten()
    }
}

/// A warning or escalation that should fire, and when (SL-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alert {
    pub clock: SlaClock,
    pub escalation: bool,
    pub at: Timestamp,
}

/// One stretch of running time on one department's calendar.
struct Segment {
    start: Timestamp,
    end: Option<Timestamp>,
    department: String,
}

/// The raw walk of one clock over the history.
struct Walk {
    segments: Vec<Segment>,
    met_at: Option<Timestamp>,
    warned: bool,
    escalated: bool,
}

/// The clocks of a ticket from its full history, under the policy version it was received
/// with (PL-2), at `now`.
pub fn status(history: &[EventRecord], policy: &Policy, now: Timestamp) -> SlaStatus {
    let Some((first, _)) = history.split_first() else {
        return SlaStatus::default();
    };
    let Event::Received(r) = &first.event else {
        return SlaStatus::default();
    };
    let (mut kind, mut topic, mut department, priority) = (
        r.kind,
        r.topic.as_deref(),
        r.department.as_str(),
        r.priority,
    );
    // RT-3: an agent's reclassification says what the ticket was all along (a request that
    // was a complaint), so the targets are chosen from the last one, still counted from
    // intake: the customer's complaint was made when it was received.
    let mut held = department;
    for e in history {
        match &e.event {
            Event::Transferred { to, .. } => held = to.as_str(),
            Event::Reclassified(c) => {
                kind = c.kind;
                topic = c.topic.as_deref();
                department = c.department.as_deref().unwrap_or(held);
            }
            _ => {}
        }
    }
    let mut result = SlaStatus::default();
    if let Some(target) = policy.acknowledge_target(kind, topic, department, priority) {
        let walk = walk(history, SlaClock::Acknowledge, first.at);
        result.acknowledge = Some(evaluate(SlaClock::Acknowledge, target, &walk, policy, now));
    }
    if let Some(target) = policy.resolve_target(kind, topic, department, priority) {
        let walk = walk(history, SlaClock::Resolve, first.at);
        result.resolve = Some(evaluate(SlaClock::Resolve, target, &walk, policy, now));
    }
    if let Some(target) = policy.first_answer_target(kind, topic, department, priority) {
        let walk = walk(history, SlaClock::FirstAnswer, first.at);
        result.first_answer = Some(evaluate(SlaClock::FirstAnswer, target, &walk, policy, now));
    }
    // QF-3: the start-by deadline is wall-clock hours from the previous issue's end.
    let start_by = history.iter().find_map(|e| match &e.event {
        Event::StartByScheduled { by, .. } => Some((e.at, *by)),
        _ => None,
    });
    if let Some((set_at, by)) = start_by {
        let walk = walk(history, SlaClock::Start, set_at);
        let hours = policy.sla.next_issue_within_hours;
        let met_at = walk.met_at.filter(|m| *m >= first.at);
        let state = match met_at {
            Some(m) if m > by => ClockState::Breached,
            Some(_) => ClockState::OnTime,
            None if now > by => ClockState::Breached,
            None => ClockState::OnTime,
        };
        result.start = Some(ClockStatus {
            clock: SlaClock::Start,
            within: hours.div_ceil(24),
            unit: Unit::CalendarDays,
            due_at: Some(by),
            warn_at: None,
            met_at,
            paused: false,
            state,
            remaining: by.as_second() - met_at.unwrap_or(now).as_second(),
            warned: walk.warned,
            escalated: walk.escalated,
        });
    }
    result
}

/// QF-3: when `done` is settled at `now`, the customer's oldest waiting issue must be taken up
/// within the policy's hours; this is the event that gives it that deadline.
pub fn start_next_issue(done: &Ticket, policy: &Policy, now: Timestamp) -> Event {
    let hours = i64::from(policy.sla.next_issue_within_hours);
    let by = now
        .checked_add(SignedDuration::from_hours(hours))
        .unwrap_or(now);
    Event::StartByScheduled {
        by,
        previous: done.code.clone(),
    }
}

/// The warnings and escalations still to fire, with their instants (SL-6). Warnings wait for
/// the department's next working opening: nobody is warned at night or on Tết.
pub fn pending_alerts(history: &[EventRecord], policy: &Policy, now: Timestamp) -> Vec<Alert> {
    let status = status(history, policy, now);
    let department = current_department(history);
    let calendar = policy.calendar(&department);
    let mut alerts = Vec::new();
    for c in status.clocks() {
        if c.met_at.is_some() {
            continue;
        }
        if !c.warned
            && let Some(w) = c.warn_at
        {
            let at = calendar.next_opening(w).unwrap_or(w);
            alerts.push(Alert {
                clock: c.clock,
                escalation: false,
                at,
            });
        }
        if !c.escalated
            && let Some(d) = c.due_at
        {
            alerts.push(Alert {
                clock: c.clock,
                escalation: true,
                at: d,
            });
        }
    }
    alerts
}

/// The events the alerts due at `now` cause (SL-6): a warning names the responsible agent
/// and every active lead of the department (`leads`, lowest id first); a breach is recorded
/// for reports, names the leads, and assigns the ticket to the first of them (`EscalatedTo`)
/// unless a lead already holds it. Each alert fires at most once per clock, whatever runs it
/// how often: what already fired is in the history.
pub fn fire_due_alerts(
    history: &[EventRecord],
    policy: &Policy,
    leads: &[i64],
    now: Timestamp,
) -> Vec<Event> {
    let department = current_department(history);
    let status = status(history, policy, now);
    let assignee = history.iter().fold(None, |a, e| match &e.event {
        Event::Taken { agent } => Some(*agent),
        Event::EscalatedTo { lead } => Some(*lead),
        Event::Assigned { agent, .. } => Some(*agent),
        Event::Transferred { .. } => None,
        _ => a,
    });
    let lead = leads.first().copied();
    let mut events: Vec<Event> = pending_alerts(history, policy, now)
        .into_iter()
        .filter(|a| a.at <= now)
        .filter_map(|a| {
            let c = status.clocks().find(|c| c.clock == a.clock)?;
            let due_at = c.due_at?;
            Some(if a.escalation {
                Event::SlaEscalated {
                    clock: a.clock,
                    due_at,
                    department: department.clone(),
                    lead,
                    leads: leads.to_vec(),
                }
            } else {
                Event::SlaWarned {
                    clock: a.clock,
                    due_at,
                    agent: assignee,
                    leads: leads.to_vec(),
                }
            })
        })
        .collect();
    // One hand-over however many clocks broke at once; a ticket a lead holds stays with them.
    let breached = events
        .iter()
        .any(|e| matches!(e, Event::SlaEscalated { .. }));
    if breached
        && let Some(lead) = lead
        && !assignee.is_some_and(|a| leads.contains(&a))
    {
        events.push(Event::EscalatedTo { lead });
    }
    events
}

/// SL-6: who is told of an alert event: a warning's agent and leads, a breach's leads and the
/// agent the ticket is taken from (`agent`, the assignee before it), each once.
pub fn alert_recipients(event: &Event, agent: Option<i64>) -> Vec<i64> {
    let mut people: Vec<i64> = match event {
        Event::SlaWarned { agent, leads, .. } => agent.iter().chain(leads).copied().collect(),
        Event::SlaEscalated { lead, leads, .. } => lead
            .iter()
            .chain(leads)
            .chain(agent.iter())
            .copied()
            .collect(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    people.retain(|p| seen.insert(*p));
    people
}

/// SL-6: what a lead must do about an alert on their list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadAction {
    /// A breach handed to a lead: answer the customer or give the ticket to someone now.
    ActNow,
    /// A breach nobody was handed (the department had no lead then): assign it.
    Assign,
    /// A warning: see that the agent meets the deadline.
    FollowUp,
    /// The ticket is settled or closed since.
    Nothing,
}

impl LeadAction {
    /// From the alert (`breach` or not) and the ticket as it is now.
    pub fn of(breach: bool, open: bool, assigned: bool) -> LeadAction {
        match (open, breach, assigned) {
            (false, _, _) => LeadAction::Nothing,
            (true, false, _) => LeadAction::FollowUp,
            (true, true, true) => LeadAction::ActNow,
            (true, true, false) => LeadAction::Assign,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LeadAction::ActNow => "act_now",
            LeadAction::Assign => "assign",
            LeadAction::FollowUp => "follow_up",
            LeadAction::Nothing => "nothing",
        }
    }
}

fn current_department(history: &[EventRecord]) -> String {
    history.iter().fold(String::new(), |d, e| match &e.event {
        Event::Received(r) => r.department.clone(),
        Event::Transferred { to, .. } => to.clone(),
        _ => d,
    })
}

/// Walks the history once for `clock`, starting at `start`.
fn walk(history: &[EventRecord], clock: SlaClock, start: Timestamp) -> Walk {
    let mut w = Walk {
        segments: Vec::new(),
        met_at: None,
        warned: false,
        escalated: false,
    };
    let mut department = String::new();
    let mut waiting = false;
    for e in history {
        match &e.event {
            Event::Received(r) => department = r.department.clone(),
            Event::SlaWarned { clock: c, .. } if *c == clock => w.warned = true,
            Event::SlaEscalated { clock: c, .. } if *c == clock => w.escalated = true,
            _ => {}
        }
        if e.at < start || w.met_at.is_some() {
            if let Event::Transferred { to, .. } = &e.event {
                department = to.clone();
            }
            if let Event::StatusChanged { to, .. } = &e.event {
                waiting = *to == Status::WaitingCustomer;
            }
            continue;
        }
        if w.segments.is_empty() && !waiting {
            w.segments.push(Segment {
                start,
                end: None,
                department: department.clone(),
            });
        }
        let met = match (&e.event, clock) {
            (Event::Replied { .. }, SlaClock::Acknowledge) => true,
            (Event::StatusChanged { from, .. }, SlaClock::Acknowledge) => *from == Status::New,
            (Event::StatusChanged { to, .. }, SlaClock::Resolve) => !to.is_open(),
            (Event::Taken { .. }, SlaClock::Start) => true,
            (Event::StatusChanged { from, .. }, SlaClock::Start) => *from == Status::New,
            (Event::Replied { .. } | Event::MeetingInvited(_), SlaClock::FirstAnswer) => true,
            _ => false,
        };
        if met {
            close(&mut w.segments, e.at);
            w.met_at = Some(e.at);
            continue;
        }
        match &e.event {
            Event::StatusChanged { to, .. } if *to == Status::WaitingCustomer && !waiting => {
                close(&mut w.segments, e.at);
                waiting = true;
            }
            Event::StatusChanged { to, .. } if *to != Status::WaitingCustomer && waiting => {
                waiting = false;
                w.segments.push(Segment {
                    start: e.at,
                    end: None,
                    department: department.clone(),
                });
            }
            Event::Transferred { to, .. } => {
                department = to.clone();
                if !waiting {
                    close(&mut w.segments, e.at);
                    w.segments.push(Segment {
                        start: e.at,
                        end: None,
                        department: department.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    w
}

fn close(segments: &mut [Segment], at: Timestamp) {
    if let Some(last) = segments.last_mut()
        && last.end.is_none()
    {
        last.end = Some(at);
    }
}

/// The amount a target allows, in its measure: working minutes, or seconds for wall-clock
/// units.
fn budget(target: &SlaTarget, calendar: &WorkingCalendar) -> i64 {
    let within = i64::from(target.within);
    match target.unit {
        Unit::WorkingHours => within * 60,
        Unit::WorkingDays => within * working_day_minutes(calendar),
        Unit::CalendarDays => within * 86_400,
        Unit::Hours => within * 3_600,
    }
}

/// A working day's length: the department's Monday (make-up days work Monday's hours), or its
/// longest day when it does not work Mondays.
fn working_day_minutes(calendar: &WorkingCalendar) -> i64 {
    let day = |d: Weekday| -> i64 {
        calendar
            .schedule()
            .shifts(d)
            .iter()
            .map(|s| i64::from(s.minutes()))
            .sum()
    };
    let monday = day(Weekday::Monday);
    if monday > 0 {
        return monday;
    }
    (0..7)
        .map(|i| day(Weekday::Monday.wrapping_add(i)))
        .max()
        .filter(|m| *m > 0)
        .unwrap_or(480)
}

fn measure(unit: Unit, calendar: &WorkingCalendar, a: Timestamp, b: Timestamp) -> i64 {
    match unit {
        Unit::CalendarDays | Unit::Hours => b.as_second() - a.as_second(),
        Unit::WorkingHours | Unit::WorkingDays => calendar.working_minutes_between(a, b),
    }
}

fn project(unit: Unit, calendar: &WorkingCalendar, from: Timestamp, amount: i64) -> Timestamp {
    match unit {
        Unit::CalendarDays | Unit::Hours => from
            .checked_add(SignedDuration::from_secs(amount))
            .unwrap_or(from),
        Unit::WorkingHours | Unit::WorkingDays => {
            let minutes = u32::try_from(amount.max(0)).unwrap_or(u32::MAX);
            // Past 2100 there is no calendar; the limit is then simply not reachable.
            calendar
                .add_working_minutes(from, minutes)
                .unwrap_or(Timestamp::MAX)
        }
    }
}

/// The instant the clock's running time reached `amount`, or `None` if it has not and the
/// clock is paused (or stopped) before it.
fn crossing(unit: Unit, policy: &Policy, segments: &[Segment], amount: i64) -> Option<Timestamp> {
    let mut used = 0;
    for s in segments {
        let calendar = policy.calendar(&s.department);
        let at = project(unit, calendar, s.start, amount - used);
        match s.end {
            None => return Some(at),
            Some(end) if at <= end => return Some(at),
            Some(end) => used += measure(unit, calendar, s.start, end),
        }
    }
    None
}

fn evaluate(
    clock: SlaClock,
    target: &SlaTarget,
    walk: &Walk,
    policy: &Policy,
    now: Timestamp,
) -> ClockStatus {
    let first_department = walk.segments.first().map_or("", |s| s.department.as_str());
    let budget = budget(target, policy.calendar(first_department));
    let warn_amount = budget * i64::from(policy.sla.warning_at_percent) / 100;
    let due_at = crossing(target.unit, policy, &walk.segments, budget);
    let warn_at = crossing(target.unit, policy, &walk.segments, warn_amount);
    let paused = walk.met_at.is_none() && walk.segments.last().is_none_or(|s| s.end.is_some());
    let used: i64 = walk
        .segments
        .iter()
        .map(|s| {
            let calendar = policy.calendar(&s.department);
            measure(
                target.unit,
                calendar,
                s.start,
                s.end.unwrap_or(now.max(s.start)),
            )
        })
        .sum();
    let state = match walk.met_at {
        Some(met) => match due_at {
            Some(due) if met > due => ClockState::Breached,
            _ => ClockState::OnTime,
        },
        None => match (due_at, warn_at) {
            (Some(due), _) if now > due => ClockState::Breached,
            (_, Some(warn)) if now >= warn => ClockState::Warning,
            _ => ClockState::OnTime,
        },
    };
    ClockStatus {
        clock,
        within: target.within,
        unit: target.unit,
        due_at,
        warn_at,
        met_at: walk.met_at,
        paused,
        state,
        remaining: budget - used,
        warned: walk.warned,
        escalated: walk.escalated,
    }
}

pub mod notice;

#[cfg(test)]
mod tests;
