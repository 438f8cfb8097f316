//! The company's service policy: departments, topics and their working hours, holidays, time
//! limits, time bars, classification rules and reply strings.
//!
//! The policy is one versioned TOML file (PL-1). Parsing it is pure: the caller reads the
//! file and hands over its text. The built-in default encodes the seed documents. Every
//! value here is both enforced (SLA clocks, routing) and published (the policy page), so the
//! promise and the enforcement come from one place.

mod check;
pub mod classify;
pub mod confirm;
mod file;
pub mod notices;
mod render;
#[cfg(test)]
mod tests;

use crate::kinds::{ComplaintCategory, Kind, Priority};
use crate::staff::{Cover, Role};
use hotro_calendar::{Overrides, WeeklySchedule, WorkingCalendar};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

pub use classify::{Classification, Matched, fold};
pub use file::{PolicyError, PolicyIssue};
pub use notices::{Notices, Template};

/// The built-in policy's source text.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../../policy/default.toml");

/// The effective service policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub version: String,
    pub name: String,
    /// The policy's name for English readers; the Vietnamese name when absent.
    pub name_en: Option<String>,
    /// The day this version was published, shown on the policy page (PL-2).
    pub published: Option<Date>,
    pub ticket_code_prefix: String,
    pub contact: Contact,
    pub reply: ReplyStrings,
    /// TR-1: what the customer is told by mail, in both languages.
    pub notices: Notices,
    pub routing: Routing,
    pub departments: Vec<Department>,
    /// Government-declared extra days off and make-up working days (SL-1).
    pub holidays: Overrides,
    pub sla: SlaPolicy,
    pub time_bar: TimeBar,
    /// RT-3: tried in order; the first rule that sets a field decides it.
    pub classification: Vec<ClassificationRule>,
    /// Who answers for a department on its days off (seed 001).
    pub duty: Duty,
    /// RT-3: the product features and performance areas feedback is tagged with (seed 003).
    pub feature_areas: Vec<FeatureArea>,
    /// The file's text, kept so the store can record each version as it was (PL-2).
    pub source: String,
    calendars: Calendars,
}

/// Holiday duty (seed 001: "các dịp lễ, tết chỉ có nhân viên xử lý chung"): on a day a
/// department does not work at all — a public holiday, Tết, its weekend — staff of `roles`
/// are shown and may handle its tickets of `priorities`. Empty: nobody covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Duty {
    pub roles: Vec<Role>,
    pub priorities: Vec<Priority>,
}

/// How customers reach the company, as published (seed 000 §2). All optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// The company's name as printed on a walk-in's slip and a letter's reply (TR-1).
    pub company: Option<String>,
    pub hotline: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// RP-2's exact words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyStrings {
    pub greeting: String,
    pub closing: String,
}

/// Default department by kind, used when no topic decides, and the triage department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing {
    pub request: String,
    pub complaint: String,
    pub feedback: String,
    /// RT-2: where whatever the rules cannot place goes; a department someone staffs (the
    /// built-in policy names the customer department, whose duty is to check every request).
    /// A file without it uses the complaint department; `request` and `feedback` left out
    /// of a file use this one.
    pub triage: String,
}

/// RT-3: a product feature or performance area feedback concerns (seed 003: feedback is
/// "assigned to the category of the feature or performance it is about").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureArea {
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// As written in the policy file; may be empty when only rules name the area.
    pub phrases: Vec<String>,
    /// The same phrases through [`fold`].
    pub folded: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub topics: Vec<Topic>,
    /// SL-1: the department's weekly working hours.
    pub hours: WeeklySchedule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub name_en: String,
}

/// How a time limit is counted (SL-2, SL-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Hours of the department's working calendar.
    WorkingHours,
    /// Whole working days of the department: N times the length of its Monday.
    WorkingDays,
    /// Wall-clock days of 24 hours, weekends and holidays included.
    CalendarDays,
    /// Wall-clock hours, nights, weekends and holidays included ("trong vòng 48 giờ", seed
    /// 003).
    Hours,
}

impl Unit {
    pub const ALL: &'static [Unit] = &[
        Unit::WorkingHours,
        Unit::WorkingDays,
        Unit::CalendarDays,
        Unit::Hours,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Unit::WorkingHours => "working_hours",
            Unit::WorkingDays => "working_days",
            Unit::CalendarDays => "calendar_days",
            Unit::Hours => "hours",
        }
    }

    pub fn parse(text: &str) -> Option<Unit> {
        Unit::ALL.iter().copied().find(|u| u.as_str() == text)
    }
}

/// One time limit and the tickets it applies to. An empty list matches anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaTarget {
    pub kinds: Vec<Kind>,
    pub topics: Vec<String>,
    pub departments: Vec<String>,
    pub priorities: Vec<Priority>,
    pub within: u32,
    pub unit: Unit,
}

impl SlaTarget {
    /// Whether the target applies to a ticket with these attributes.
    pub fn matches(
        &self,
        kind: Kind,
        topic: Option<&str>,
        department: &str,
        priority: Priority,
    ) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&kind))
            && (self.topics.is_empty() || topic.is_some_and(|t| self.topics.iter().any(|x| x == t)))
            && (self.departments.is_empty() || self.departments.iter().any(|d| d == department))
            && (self.priorities.is_empty() || self.priorities.contains(&priority))
    }
}

/// The time limits (SL-2, SL-3, SL-6, QF-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    /// SL-6: warn when this share of the allowed time is used, 1–99.
    pub warning_at_percent: u8,
    /// SL-2: first matching target wins; no match, no acknowledgement clock.
    pub acknowledge: Vec<SlaTarget>,
    /// SL-3: first matching target wins; no match, no resolution clock.
    pub resolve: Vec<SlaTarget>,
    /// Seed 002: a written answer or an invitation to meet within the limit ("Thư trả lời
    /// và/hoặc Giấy mời"); first matching target wins; none, no first-answer clock.
    pub first_answer: Vec<SlaTarget>,
    /// QF-3: a customer's next open issue is taken up within this many hours after the
    /// previous one is done.
    pub next_issue_within_hours: u32,
}

/// SL-4: how long after the incident a complaint is accepted, by category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeBar {
    pub service_quality_days: u32,
    pub business_days: u32,
}

impl TimeBar {
    pub fn days(&self, category: ComplaintCategory) -> u32 {
        match category {
            ComplaintCategory::ServiceQuality => self.service_quality_days,
            ComplaintCategory::Business => self.business_days,
        }
    }
}

/// RT-3: when any phrase occurs in a ticket's text (compared with [`fold`]), the rule's
/// fields apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassificationRule {
    /// As written in the policy file.
    pub phrases: Vec<String>,
    /// The same phrases through [`fold`], as they are matched.
    pub folded: Vec<String>,
    pub kind: Option<Kind>,
    pub topic: Option<String>,
    pub priority: Option<Priority>,
    /// RT-3: the feature area (an id of `[[feature_areas]]`) a feedback is tagged with.
    pub feature_area: Option<String>,
    /// SL-4: the time bar's category of a complaint the rules recognised in mail or chat,
    /// where no form asked for it.
    pub complaint_category: Option<ComplaintCategory>,
}

/// The departments' working calendars, built on first use: building one walks 1900–2100, so
/// policies that never compute a deadline (most unit tests) never pay for it.
#[derive(Clone, Default)]
struct Calendars(Arc<OnceLock<BTreeMap<String, WorkingCalendar>>>);

impl std::fmt::Debug for Calendars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Calendars")
    }
}

/// The calendars are derived from the compared fields, so they never decide equality.
impl PartialEq for Calendars {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for Calendars {}

impl Policy {
    /// The built-in policy (seeds 000–004).
    pub fn builtin() -> Policy {
        Policy::from_toml(DEFAULT_POLICY_TOML).expect("the built-in policy is valid")
    }

    /// Parses and checks a policy file's text; the error lists every problem found.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        file::parse(text)
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }

    /// The department that owns `topic` (RT-2).
    pub fn department_of_topic(&self, topic: &str) -> Option<&Department> {
        self.departments
            .iter()
            .find(|d| d.topics.iter().any(|t| t.id == topic))
    }

    /// RT-2: where whatever the rules cannot place goes.
    pub fn triage_department(&self) -> &str {
        &self.routing.triage
    }

    pub fn feature_area(&self, id: &str) -> Option<&FeatureArea> {
        self.feature_areas.iter().find(|a| a.id == id)
    }

    /// Where a ticket of `kind` goes when no topic decides.
    pub fn default_department(&self, kind: Kind) -> &str {
        match kind {
            Kind::Request => &self.routing.request,
            Kind::Complaint => &self.routing.complaint,
            Kind::Feedback => &self.routing.feedback,
        }
    }

    /// The working calendar of `department` (SL-1): its weekly hours, the Vietnamese public
    /// holidays and this policy's overrides. An unknown department gets office hours, so a
    /// ticket whose department left the policy still has deadlines.
    pub fn calendar(&self, department: &str) -> &WorkingCalendar {
        let calendars = self.calendars.0.get_or_init(|| {
            let mut map = BTreeMap::new();
            for d in &self.departments {
                map.insert(d.id.clone(), WorkingCalendar::new(&d.hours, &self.holidays));
            }
            map.insert(
                String::new(),
                WorkingCalendar::new(&WeeklySchedule::office(), &self.holidays),
            );
            map
        });
        calendars
            .get(department)
            .or_else(|| calendars.get(""))
            .expect("the fallback calendar is always built")
    }

    /// The acknowledgement target of a ticket (SL-2), if any.
    pub fn acknowledge_target(
        &self,
        kind: Kind,
        topic: Option<&str>,
        department: &str,
        priority: Priority,
    ) -> Option<&SlaTarget> {
        self.sla
            .acknowledge
            .iter()
            .find(|t| t.matches(kind, topic, department, priority))
    }

    /// The departments that do not work at all on the Vietnamese date of `now`: a public
    /// holiday, Tết, a government day off, their weekend.
    pub fn departments_off(&self, now: jiff::Timestamp) -> Vec<String> {
        let today = now.to_zoned(crate::intake::vietnam_zone()).date();
        self.departments
            .iter()
            .filter(|d| {
                self.calendar(&d.id)
                    .shifts_on(today)
                    .is_ok_and(|shifts| shifts.is_empty())
            })
            .map(|d| d.id.clone())
            .collect()
    }

    /// What a member of staff of `role` in `own` department covers at `now` on holiday duty:
    /// the other departments that are off, for the duty's priorities.
    pub fn duty_cover(&self, role: Role, own: &str, now: jiff::Timestamp) -> Cover {
        if !self.duty.roles.contains(&role) || self.duty.priorities.is_empty() {
            return Cover::default();
        }
        let departments: Vec<String> = self
            .departments_off(now)
            .into_iter()
            .filter(|d| d != own)
            .collect();
        if departments.is_empty() {
            return Cover::default();
        }
        Cover {
            departments,
            priorities: self.duty.priorities.clone(),
        }
    }

    /// The first-answer target of a ticket (seed 002), if any.
    pub fn first_answer_target(
        &self,
        kind: Kind,
        topic: Option<&str>,
        department: &str,
        priority: Priority,
    ) -> Option<&SlaTarget> {
        self.sla
            .first_answer
            .iter()
            .find(|t| t.matches(kind, topic, department, priority))
    }

    /// The resolution target of a ticket (SL-3), if any.
    pub fn resolve_target(
        &self,
        kind: Kind,
        topic: Option<&str>,
        department: &str,
        priority: Priority,
    ) -> Option<&SlaTarget> {
        self.sla
            .resolve
            .iter()
            .find(|t| t.matches(kind, topic, department, priority))
    }
}
