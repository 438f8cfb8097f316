//! Reading a policy file: TOML syntax, then each section on its own, so that one answer lists
//! every problem with its line and field instead of stopping at the first.

use super::Policy;
use super::check;
use serde::Deserialize;
use std::fmt;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyIssue {
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// The field's path, e.g. `departments[0].hours[1].shifts[0]`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for PolicyIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// Why a policy file was refused: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    pub issues: Vec<PolicyIssue>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.issues.iter().map(|i| i.to_string()).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl PolicyError {
    /// The issues as `FILE:LINE: field: message` lines, the form compilers use, so editors
    /// can jump to them.
    pub fn report(&self, file: &str) -> String {
        self.issues
            .iter()
            .map(|i| match i.line {
                Some(line) => format!("{file}:{line}: {}: {}\n", i.field, i.message),
                None => format!("{file}: {}: {}\n", i.field, i.message),
            })
            .collect()
    }
}

/// Collects issues, turning byte spans into line numbers.
pub(super) struct Issues<'a> {
    text: &'a str,
    pub list: Vec<PolicyIssue>,
}

impl<'a> Issues<'a> {
    fn new(text: &'a str) -> Self {
        Issues {
            text,
            list: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        span: Option<Range<usize>>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        let line = span.map(|s| {
            let end = s.start.min(self.text.len());
            self.text.as_bytes()[..end]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        });
        self.list.push(PolicyIssue {
            line,
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn at<T>(
        &mut self,
        value: &Spanned<T>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.push(Some(value.span()), field, message);
    }
}

// The file's shape. Fields that semantic checks refer to are `Spanned` for their line.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContactFile {
    pub company: Option<String>,
    pub hotline: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReplyFile {
    pub greeting: Spanned<String>,
    pub closing: String,
}

/// One notice's texts (TR-1).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TemplateFile {
    pub subject: Spanned<String>,
    pub body: Spanned<String>,
    pub subject_en: Spanned<String>,
    pub body_en: Spanned<String>,
}

/// A status change's notice: `to` is the status reached.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusTemplateFile {
    pub to: Spanned<String>,
    pub subject: Spanned<String>,
    pub body: Spanned<String>,
    pub subject_en: Spanned<String>,
    pub body_en: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoticesFile {
    pub greeting_en: Option<Spanned<String>>,
    pub closing_en: Option<Spanned<String>>,
    pub confirmation: Option<TemplateFile>,
    pub refused: Option<TemplateFile>,
    #[serde(default)]
    pub status: Vec<StatusTemplateFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RoutingFile {
    pub request: Option<Spanned<String>>,
    pub complaint: Spanned<String>,
    pub feedback: Option<Spanned<String>>,
    pub triage: Option<Spanned<String>>,
}

/// RT-3: one product feature or performance area.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FeatureAreaFile {
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TopicFile {
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HoursFile {
    pub days: Spanned<String>,
    pub shifts: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DepartmentFile {
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: String,
    #[serde(default)]
    pub topics: Vec<TopicFile>,
    pub hours: Option<Spanned<Vec<HoursFile>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HolidayFile {
    pub date: Spanned<String>,
    pub off: Option<String>,
    pub work: Option<String>,
    #[serde(default)]
    pub remove: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetFile {
    #[serde(default)]
    pub kinds: Vec<Spanned<String>>,
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    #[serde(default)]
    pub departments: Vec<Spanned<String>>,
    #[serde(default)]
    pub priorities: Vec<Spanned<String>>,
    pub within: Spanned<i64>,
    pub unit: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SlaFile {
    pub warning_at_percent: Spanned<i64>,
    #[serde(default)]
    pub acknowledge: Vec<TargetFile>,
    #[serde(default)]
    pub resolve: Vec<TargetFile>,
    #[serde(default)]
    pub first_answer: Vec<TargetFile>,
    pub next_issue_within_hours: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TimeBarFile {
    pub service_quality_days: Spanned<i64>,
    pub business_days: Spanned<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DutyFile {
    #[serde(default)]
    pub roles: Vec<Spanned<String>>,
    #[serde(default)]
    pub priorities: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleFile {
    pub phrases: Vec<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub topic: Option<Spanned<String>>,
    pub priority: Option<Spanned<String>>,
    pub feature_area: Option<Spanned<String>>,
    pub complaint_category: Option<Spanned<String>>,
}

/// The sections as read, each `None` (or missing elements) where it could not be read.
#[derive(Default)]
pub(super) struct Sections {
    pub version: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub name_en: Option<Spanned<String>>,
    pub published: Option<Spanned<String>>,
    pub ticket_code_prefix: Option<Spanned<String>>,
    pub contact: Option<ContactFile>,
    pub reply: Option<ReplyFile>,
    pub notices: Option<NoticesFile>,
    pub routing: Option<RoutingFile>,
    /// Elements with their index in the file, so paths stay right when one is unreadable.
    pub departments: Vec<(usize, DepartmentFile)>,
    pub holidays: Vec<(usize, HolidayFile)>,
    pub sla: Option<SlaFile>,
    pub time_bar: Option<TimeBarFile>,
    pub classification: Vec<(usize, RuleFile)>,
    pub duty: Option<DutyFile>,
    pub feature_areas: Vec<(usize, FeatureAreaFile)>,
    /// Top-level keys that were present but could not be read, so that later checks do not
    /// report them missing or report what follows from them.
    pub unreadable: std::collections::HashSet<String>,
}

/// Parses and checks a policy file's text.
pub(super) fn parse(text: &str) -> Result<Policy, PolicyError> {
    let mut issues = Issues::new(text);
    let (document, syntax) = DeTable::parse_recoverable(text);
    for e in syntax {
        issues.push(e.span(), "(syntax)", e.message().to_owned());
    }
    let mut s = Sections::default();
    let before = issues.list.len();
    let document = document.into_inner();
    for (key, value) in document.iter() {
        let name: &str = key.get_ref();
        match name {
            "version" => s.version = one(value, name, &mut issues),
            "name" => s.name = one(value, name, &mut issues),
            "name_en" => s.name_en = one(value, name, &mut issues),
            "published" => s.published = one(value, name, &mut issues),
            "ticket_code_prefix" => s.ticket_code_prefix = one(value, name, &mut issues),
            "contact" => s.contact = one(value, name, &mut issues),
            "reply" => s.reply = one(value, name, &mut issues),
            "notices" => s.notices = one(value, name, &mut issues),
            "routing" => s.routing = one(value, name, &mut issues),
            "sla" => s.sla = one(value, name, &mut issues),
            "time_bar" => s.time_bar = one(value, name, &mut issues),
            "duty" => s.duty = one(value, name, &mut issues),
            "departments" => s.departments = many(value, name, &mut issues),
            "holidays" => s.holidays = many(value, name, &mut issues),
            "classification" => s.classification = many(value, name, &mut issues),
            "feature_areas" => s.feature_areas = many(value, name, &mut issues),
            _ => issues.push(Some(key.span()), name, "unknown field"),
        }
        if issues.list.len() > before
            && issues
                .list
                .iter()
                .skip(before)
                .any(|i| i.field.starts_with(name))
        {
            s.unreadable.insert(name.to_owned());
        }
    }
    let policy = check::build(s, &mut issues);
    match policy {
        Some(mut p) if issues.list.is_empty() => {
            p.source = text.to_owned();
            Ok(p)
        }
        _ => {
            if issues.list.is_empty() {
                issues.push(None, "(policy)", "the policy could not be read");
            }
            issues.list.sort_by_key(|i| i.line.unwrap_or(usize::MAX));
            Err(PolicyError {
                issues: issues.list,
            })
        }
    }
}

/// Reads one value; a failure becomes an issue at the error's span, else the value's.
fn one<'de, T: Deserialize<'de>>(
    value: &Spanned<DeValue<'de>>,
    field: &str,
    issues: &mut Issues<'_>,
) -> Option<T> {
    match T::deserialize(ValueDeserializer::from(value.clone())) {
        Ok(v) => Some(v),
        Err(e) => {
            let span = e.span().or_else(|| Some(value.span()));
            issues.push(span, field, e.message().to_owned());
            None
        }
    }
}

/// Reads an array element by element, so each broken element is reported on its own.
fn many<'de, T: Deserialize<'de>>(
    value: &Spanned<DeValue<'de>>,
    field: &str,
    issues: &mut Issues<'_>,
) -> Vec<(usize, T)> {
    let DeValue::Array(items) = value.get_ref() else {
        issues.push(Some(value.span()), field, "must be an array of tables");
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| one(item, &format!("{field}[{i}]"), issues).map(|v| (i, v)))
        .collect()
}
