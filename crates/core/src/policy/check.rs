//! The semantic rules of a policy file: everything TOML's types cannot say (known departments,
//! shifts that do not overlap, positive durations, dates inside 1900–2100, topics that route
//! somewhere). Each broken rule is one issue with its line; checking goes on after it.
//!
//! One file on purpose: one pass over the file's sections, in the order the policy file is
//! written, so a reader finds the check of a section where the section is.

use super::file::{
    FeatureAreaFile, HoursFile, Issues, NoticesFile, RuleFile, Sections, TargetFile, TemplateFile,
};
use super::notices::{self, Notices, Template};
use super::{
    Calendars, ClassificationRule, Contact, Department, Duty, FeatureArea, Policy, ReplyStrings,
    Routing, SlaPolicy, SlaTarget, TimeBar, Topic, Unit, fold,
};
use crate::kinds::{ComplaintCategory, Kind, Priority, Status};
use crate::staff::Role;
use hotro_calendar::{FIRST_YEAR, LAST_YEAR, Overrides, Shift, WeeklySchedule};
use jiff::civil::{Date, Weekday};
use std::collections::HashSet;
use toml::Spanned;

/// Builds the policy from its sections, recording every broken rule in `issues`. Returns
/// `None` when a required part is missing; the caller refuses the policy whenever any issue
/// was recorded, so a partly built policy is never used.
pub(super) fn build(s: Sections, issues: &mut Issues<'_>) -> Option<Policy> {
    let version = required_text(s.version, "version", issues);
    let name = required_text(s.name, "name", issues);
    let published = s.published.and_then(|p| match p.get_ref().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            issues.at(&p, "published", "must be a date YYYY-MM-DD");
            None
        }
    });
    let prefix = s.ticket_code_prefix.and_then(|p| {
        let ok = !p.get_ref().is_empty()
            && p.get_ref().len() <= 8
            && p.get_ref().chars().all(|c| c.is_ascii_uppercase());
        if !ok {
            issues.at(&p, "ticket_code_prefix", "1 to 8 capital letters A-Z");
        }
        ok.then(|| p.into_inner())
    });
    if prefix.is_none() && !issues.list.iter().any(|i| i.field == "ticket_code_prefix") {
        issues.push(None, "ticket_code_prefix", "missing field");
    }

    let departments = departments(&s.departments, issues);
    // When a department could not be read, references to it would be reported as unknown
    // too; one report of the real problem is clearer.
    let partial = s.unreadable.contains("departments");
    let known = |id: &str| partial || departments.iter().any(|d| d.id == id);
    let topics: HashSet<String> = departments
        .iter()
        .flat_map(|d| d.topics.iter().map(|t| t.id.clone()))
        .collect();

    let reply = match s.reply {
        None => {
            if !s.unreadable.contains("reply") {
                issues.push(None, "reply", "missing section");
            }
            None
        }
        Some(r) => {
            if r.greeting.get_ref().trim().is_empty() {
                issues.at(&r.greeting, "reply.greeting", "must not be empty");
            }
            Some(ReplyStrings {
                greeting: r.greeting.into_inner(),
                closing: r.closing,
            })
        }
    };
    let notices = match s.notices {
        Some(n) => notices_section(n, issues),
        // A policy written before notices were configurable keeps the built-in wording.
        None => builtin_notices(),
    };
    let routing = match s.routing {
        None => {
            if !s.unreadable.contains("routing") {
                issues.push(None, "routing", "missing section");
            }
            None
        }
        Some(r) => {
            let mut check = |field: &str, dept: &Spanned<String>| {
                if !known(dept.get_ref()) {
                    issues.at(
                        dept,
                        field,
                        format!("unknown department {:?}", dept.get_ref()),
                    );
                }
            };
            check("routing.complaint", &r.complaint);
            for (field, dept) in [
                ("routing.request", &r.request),
                ("routing.feedback", &r.feedback),
                ("routing.triage", &r.triage),
            ] {
                if let Some(dept) = dept {
                    check(field, dept);
                }
            }
            // RT-2: a file written before triage existed sends what the rules cannot place
            // to the complaint department, which someone must staff anyway.
            let triage = r
                .triage
                .map_or_else(|| r.complaint.get_ref().clone(), Spanned::into_inner);
            Some(Routing {
                request: r
                    .request
                    .map_or_else(|| triage.clone(), Spanned::into_inner),
                complaint: r.complaint.into_inner(),
                feedback: r
                    .feedback
                    .map_or_else(|| triage.clone(), Spanned::into_inner),
                triage,
            })
        }
    };

    let holidays = holidays(&s.holidays, issues);
    let sla = match s.sla {
        None => {
            if !s.unreadable.contains("sla") {
                issues.push(None, "sla", "missing section");
            }
            None
        }
        Some(sla) => {
            let warning = sla.warning_at_percent;
            if !(1..=99).contains(warning.get_ref()) {
                issues.at(
                    &warning,
                    "sla.warning_at_percent",
                    "must be between 1 and 99",
                );
            }
            let next = sla.next_issue_within_hours;
            if *next.get_ref() <= 0 {
                issues.at(
                    &next,
                    "sla.next_issue_within_hours",
                    "must be a positive number of hours",
                );
            }
            let mut targets = |list: &[TargetFile], name: &str| -> Vec<SlaTarget> {
                list.iter()
                    .enumerate()
                    .filter_map(|(i, t)| {
                        target(
                            t,
                            &format!("sla.{name}[{i}]"),
                            &known,
                            &topics,
                            partial,
                            issues,
                        )
                    })
                    .collect()
            };
            let acknowledge = targets(&sla.acknowledge, "acknowledge");
            let resolve = targets(&sla.resolve, "resolve");
            let first_answer = targets(&sla.first_answer, "first_answer");
            Some(SlaPolicy {
                warning_at_percent: u8::try_from(*warning.get_ref()).unwrap_or(75),
                acknowledge,
                resolve,
                first_answer,
                next_issue_within_hours: u32::try_from(*next.get_ref()).unwrap_or(24),
            })
        }
    };
    let time_bar = match s.time_bar {
        None => {
            if !s.unreadable.contains("time_bar") {
                issues.push(None, "time_bar", "missing section");
            }
            None
        }
        Some(t) => Some(TimeBar {
            service_quality_days: positive(
                &t.service_quality_days,
                "time_bar.service_quality_days",
                issues,
            ),
            business_days: positive(&t.business_days, "time_bar.business_days", issues),
        }),
    };
    let feature_areas = feature_areas(&s.feature_areas, issues);
    let areas: HashSet<String> = feature_areas.iter().map(|a| a.id.clone()).collect();
    let areas_partial = s.unreadable.contains("feature_areas");
    let classification = s
        .classification
        .iter()
        .filter_map(|(i, r)| {
            let known = Known {
                topics: &topics,
                partial,
                areas: &areas,
                areas_partial,
            };
            rule(r, &format!("classification[{i}]"), &known, issues)
        })
        .collect();

    let duty = s
        .duty
        .map(|d| Duty {
            roles: vocabulary(&d.roles, "duty.roles", Role::parse, issues),
            priorities: vocabulary(&d.priorities, "duty.priorities", Priority::parse, issues),
        })
        .unwrap_or_default();

    if departments.is_empty() && s.departments.is_empty() {
        issues.push(None, "departments", "at least one department is needed");
    }
    Some(Policy {
        version: version?,
        name: name?,
        name_en: s
            .name_en
            .map(Spanned::into_inner)
            .filter(|n| !n.trim().is_empty()),
        published,
        ticket_code_prefix: prefix?,
        contact: s
            .contact
            .map(|c| Contact {
                company: c.company.filter(|n| !n.trim().is_empty()),
                hotline: c.hotline,
                email: c.email,
                address: c.address,
            })
            .unwrap_or_default(),
        reply: reply?,
        notices,
        routing: routing?,
        departments,
        holidays,
        sla: sla?,
        time_bar: time_bar?,
        classification,
        duty,
        feature_areas,
        source: String::new(),
        calendars: Calendars::default(),
    })
}

fn required_text(
    value: Option<Spanned<String>>,
    field: &str,
    issues: &mut Issues<'_>,
) -> Option<String> {
    match value {
        None => {
            issues.push(None, field, "missing field");
            None
        }
        Some(v) if v.get_ref().trim().is_empty() => {
            issues.at(&v, field, "must not be empty");
            None
        }
        Some(v) => Some(v.into_inner()),
    }
}

/// A count of days or hours: a negative or zero duration cannot be enforced.
fn positive(value: &Spanned<i64>, field: &str, issues: &mut Issues<'_>) -> u32 {
    match u32::try_from(*value.get_ref()) {
        Ok(n) if n > 0 => n,
        _ => {
            issues.at(value, field, "must be a positive number");
            1
        }
    }
}

fn departments(
    list: &[(usize, super::file::DepartmentFile)],
    issues: &mut Issues<'_>,
) -> Vec<Department> {
    let mut seen = HashSet::new();
    let mut seen_topics = HashSet::new();
    let mut result = Vec::new();
    for (i, d) in list {
        let path = format!("departments[{i}]");
        if !seen.insert(d.id.get_ref().clone()) {
            issues.at(
                &d.id,
                format!("{path}.id"),
                format!("duplicate department {:?}", d.id.get_ref()),
            );
        }
        let mut topics = Vec::new();
        for (j, t) in d.topics.iter().enumerate() {
            if !seen_topics.insert(t.id.get_ref().clone()) {
                issues.at(
                    &t.id,
                    format!("{path}.topics[{j}].id"),
                    format!("topic {:?} belongs to two departments", t.id.get_ref()),
                );
            }
            topics.push(Topic {
                id: t.id.get_ref().clone(),
                name: t.name.clone(),
                name_en: t.name_en.clone(),
            });
        }
        let hours = match &d.hours {
            Some(h) => schedule(h.get_ref(), &path, issues),
            // A department without hours works office hours (seed 000).
            None => WeeklySchedule::for_department(d.id.get_ref())
                .unwrap_or_else(WeeklySchedule::office),
        };
        result.push(Department {
            id: d.id.get_ref().clone(),
            name: d.name.clone(),
            name_en: d.name_en.clone(),
            topics,
            hours,
        });
    }
    result
}

/// SL-1: a weekly schedule from `{ days = "mon-fri", shifts = [...] }` entries. Overlapping
/// shifts on one day are refused: they usually mean a typing mistake, and merging them
/// silently would publish hours nobody wrote.
fn schedule(entries: &[HoursFile], path: &str, issues: &mut Issues<'_>) -> WeeklySchedule {
    let mut days: [Vec<(Shift, std::ops::Range<usize>)>; 7] = Default::default();
    for (i, entry) in entries.iter().enumerate() {
        let Some(weekdays) = parse_days(entry.days.get_ref()) else {
            issues.at(
                &entry.days,
                format!("{path}.hours[{i}].days"),
                "must be weekdays like \"mon-fri\" or \"mon,wed,sat\"",
            );
            continue;
        };
        for (j, text) in entry.shifts.iter().enumerate() {
            match Shift::parse(text.get_ref()) {
                Ok(shift) => {
                    for day in &weekdays {
                        days[day.to_monday_zero_offset() as usize].push((shift, text.span()));
                    }
                }
                Err(e) => issues.at(
                    text,
                    format!("{path}.hours[{i}].shifts[{j}]"),
                    e.to_string(),
                ),
            }
        }
    }
    let mut schedule = WeeklySchedule::new();
    // One report per overlapping pair, naming every day it happens on.
    let mut overlaps: Vec<(Shift, Shift, std::ops::Range<usize>, Vec<&str>)> = Vec::new();
    for (index, shifts) in days.iter_mut().enumerate() {
        shifts.sort_by_key(|(s, _)| *s);
        for pair in shifts.windows(2) {
            let ((a, _), (b, span)) = (&pair[0], &pair[1]);
            if b.start() < a.end() {
                match overlaps.iter_mut().find(|o| o.0 == *a && o.1 == *b) {
                    Some(o) => o.3.push(day_name(index)),
                    None => overlaps.push((*a, *b, span.clone(), vec![day_name(index)])),
                }
            }
        }
        let list: Vec<Shift> = shifts.iter().map(|(s, _)| *s).collect();
        schedule = schedule.with_day(Weekday::Monday.wrapping_add(index as i64), &list);
    }
    for (a, b, span, on) in overlaps {
        issues.push(
            Some(span),
            format!("{path}.hours"),
            format!("shifts {a} and {b} overlap on {}", on.join(", ")),
        );
    }
    schedule
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn day_name(index: usize) -> &'static str {
    DAY_NAMES[index % 7]
}

/// `"mon-fri"`, `"sat"`, `"mon,wed,fri"`, `"mon-wed,sat"`.
fn parse_days(text: &str) -> Option<Vec<Weekday>> {
    let index = |name: &str| {
        DAY_NAMES
            .iter()
            .position(|d| *d == name.trim().to_lowercase())
    };
    let mut result = Vec::new();
    for part in text.split(',') {
        let (from, to) = match part.split_once('-') {
            Some((a, b)) => (index(a)?, index(b)?),
            None => (index(part)?, index(part)?),
        };
        if to < from {
            return None;
        }
        result.extend((from..=to).map(|i| Weekday::Monday.wrapping_add(i as i64)));
    }
    Some(result)
}

fn holidays(list: &[(usize, super::file::HolidayFile)], issues: &mut Issues<'_>) -> Overrides {
    let mut overrides = Overrides::new();
    let mut seen = HashSet::new();
    for (i, h) in list {
        let path = format!("holidays[{i}]");
        let date = match h.date.get_ref().parse::<Date>() {
            Ok(d) => d,
            Err(_) => {
                issues.at(&h.date, format!("{path}.date"), "must be a date YYYY-MM-DD");
                continue;
            }
        };
        if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
            issues.at(&h.date, format!("{path}.date"), "must lie within 1900–2100");
            continue;
        }
        if !seen.insert(date) {
            issues.at(
                &h.date,
                format!("{path}.date"),
                format!("{date} is given twice"),
            );
        }
        match (&h.off, &h.work, h.remove) {
            (Some(name), None, false) => overrides = overrides.day_off(date, name.clone()),
            (None, Some(reason), false) => overrides = overrides.working_day(date, reason.clone()),
            (None, None, true) => overrides = overrides.remove(date),
            _ => issues.at(
                &h.date,
                path,
                "give exactly one of off = \"name\", work = \"reason\" or remove = true",
            ),
        }
    }
    overrides
}

fn target(
    t: &TargetFile,
    path: &str,
    known: &dyn Fn(&str) -> bool,
    topics: &HashSet<String>,
    partial: bool,
    issues: &mut Issues<'_>,
) -> Option<SlaTarget> {
    let within = positive(&t.within, &format!("{path}.within"), issues);
    let unit = Unit::parse(t.unit.get_ref());
    if unit.is_none() {
        issues.at(
            &t.unit,
            format!("{path}.unit"),
            "one of working_hours, working_days, calendar_days, hours",
        );
    }
    let kinds = vocabulary(&t.kinds, &format!("{path}.kinds"), Kind::parse, issues);
    let priorities = vocabulary(
        &t.priorities,
        &format!("{path}.priorities"),
        Priority::parse,
        issues,
    );
    for d in &t.departments {
        if !known(d.get_ref()) {
            issues.at(
                d,
                format!("{path}.departments"),
                format!("unknown department {:?}", d.get_ref()),
            );
        }
    }
    for topic in &t.topics {
        if !partial && !topics.contains(topic.get_ref()) {
            issues.at(
                topic,
                format!("{path}.topics"),
                format!("topic {:?} is routed to no department", topic.get_ref()),
            );
        }
    }
    Some(SlaTarget {
        kinds,
        topics: t.topics.iter().map(|x| x.get_ref().clone()).collect(),
        departments: t.departments.iter().map(|x| x.get_ref().clone()).collect(),
        priorities,
        within,
        unit: unit?,
    })
}

fn vocabulary<T>(
    list: &[Spanned<String>],
    field: &str,
    parse: fn(&str) -> Option<T>,
    issues: &mut Issues<'_>,
) -> Vec<T> {
    list.iter()
        .filter_map(|v| {
            let parsed = parse(v.get_ref());
            if parsed.is_none() {
                issues.at(v, field, format!("unknown value {:?}", v.get_ref()));
            }
            parsed
        })
        .collect()
}

/// What a classification rule may refer to; `partial` when a section could not be read, so
/// that its ids are not reported unknown on top of the real problem.
struct Known<'a> {
    topics: &'a HashSet<String>,
    partial: bool,
    areas: &'a HashSet<String>,
    areas_partial: bool,
}

/// Folds a list of phrases, each empty one an issue at its line.
fn phrases(
    list: &[Spanned<String>],
    path: &str,
    issues: &mut Issues<'_>,
) -> (Vec<String>, Vec<String>) {
    list.iter()
        .filter_map(|p| {
            let folded = fold(p.get_ref());
            if folded.is_empty() {
                issues.at(p, format!("{path}.phrases"), "a phrase must not be empty");
                None
            } else {
                Some((p.get_ref().clone(), folded))
            }
        })
        .unzip()
}

/// RT-3: `[[feature_areas]]`, ids unique.
fn feature_areas(list: &[(usize, FeatureAreaFile)], issues: &mut Issues<'_>) -> Vec<FeatureArea> {
    let mut seen = HashSet::new();
    let mut result = Vec::new();
    for (i, a) in list {
        let path = format!("feature_areas[{i}]");
        if a.id.get_ref().trim().is_empty() {
            issues.at(&a.id, format!("{path}.id"), "must not be empty");
        } else if !seen.insert(a.id.get_ref().clone()) {
            issues.at(
                &a.id,
                format!("{path}.id"),
                format!("duplicate feature area {:?}", a.id.get_ref()),
            );
        }
        let (phrases, folded) = phrases(&a.phrases, &path, issues);
        result.push(FeatureArea {
            id: a.id.get_ref().clone(),
            name: a.name.clone(),
            name_en: a.name_en.clone(),
            phrases,
            folded,
        });
    }
    result
}

fn rule(
    r: &RuleFile,
    path: &str,
    known: &Known<'_>,
    issues: &mut Issues<'_>,
) -> Option<ClassificationRule> {
    let (topics, partial) = (known.topics, known.partial);
    let (phrases, folded) = phrases(&r.phrases, path, issues);
    if r.phrases.is_empty() {
        issues.push(
            None,
            format!("{path}.phrases"),
            "at least one phrase is needed",
        );
    }
    let kind = r.kind.as_ref().and_then(|k| {
        let parsed = Kind::parse(k.get_ref());
        if parsed.is_none() {
            issues.at(
                k,
                format!("{path}.kind"),
                format!("unknown kind {:?}", k.get_ref()),
            );
        }
        parsed
    });
    let priority = r.priority.as_ref().and_then(|p| {
        let parsed = Priority::parse(p.get_ref());
        if parsed.is_none() {
            issues.at(
                p,
                format!("{path}.priority"),
                format!("unknown priority {:?}", p.get_ref()),
            );
        }
        parsed
    });
    let topic = r.topic.as_ref().map(|t| {
        if !partial && !topics.contains(t.get_ref()) {
            issues.at(
                t,
                format!("{path}.topic"),
                format!("topic {:?} is routed to no department", t.get_ref()),
            );
        }
        t.get_ref().clone()
    });
    let feature_area = r.feature_area.as_ref().map(|a| {
        if !known.areas_partial && !known.areas.contains(a.get_ref()) {
            issues.at(
                a,
                format!("{path}.feature_area"),
                format!("feature area {:?} is not in [[feature_areas]]", a.get_ref()),
            );
        }
        a.get_ref().clone()
    });
    let complaint_category = r.complaint_category.as_ref().and_then(|c| {
        let parsed = ComplaintCategory::parse(c.get_ref());
        if parsed.is_none() {
            issues.at(
                c,
                format!("{path}.complaint_category"),
                format!(
                    "unknown category {:?}: service_quality or business",
                    c.get_ref()
                ),
            );
        }
        parsed
    });
    if r.kind.is_none()
        && r.topic.is_none()
        && r.priority.is_none()
        && r.feature_area.is_none()
        && r.complaint_category.is_none()
    {
        let span = r.phrases.first().map(|p| p.span());
        issues.push(
            span,
            path,
            "a rule must set kind, topic, priority, feature_area or complaint_category",
        );
    }
    Some(ClassificationRule {
        phrases,
        folded,
        kind,
        topic,
        priority,
        feature_area,
        complaint_category,
    })
}

/// The built-in policy's notices, for policy files without a `[notices]` section.
fn builtin_notices() -> Notices {
    static BUILTIN: std::sync::OnceLock<Notices> = std::sync::OnceLock::new();
    // The built-in file has the section, so reading it does not come back here.
    BUILTIN
        .get_or_init(|| super::Policy::builtin().notices)
        .clone()
}

/// TR-1: `[notices]`, each template checked for empty texts and unknown placeholders;
/// templates left out keep the built-in wording.
fn notices_section(n: NoticesFile, issues: &mut Issues<'_>) -> Notices {
    // Only a policy that leaves something out reads the built-in one: the built-in file
    // itself has every part, so reading it never comes back here.
    let mut text =
        |value: Option<Spanned<String>>, field: &str, fallback: fn() -> String| match value {
            Some(v) if v.get_ref().trim().is_empty() => {
                issues.at(&v, field, "must not be empty");
                fallback()
            }
            Some(v) => v.into_inner(),
            None => fallback(),
        };
    let greeting_en = text(n.greeting_en, "notices.greeting_en", || {
        builtin_notices().greeting_en
    });
    let closing_en = text(n.closing_en, "notices.closing_en", || {
        builtin_notices().closing_en
    });
    let confirmation = match n.confirmation {
        Some(t) => template(
            [t.subject, t.body, t.subject_en, t.body_en],
            "notices.confirmation",
            notices::CONFIRMATION_PLACEHOLDERS,
            issues,
        ),
        None => builtin_notices().confirmation,
    };
    let refused = match n.refused {
        Some(TemplateFile {
            subject,
            body,
            subject_en,
            body_en,
        }) => template(
            [subject, body, subject_en, body_en],
            "notices.refused",
            notices::REFUSED_PLACEHOLDERS,
            issues,
        ),
        None => builtin_notices().refused,
    };
    let mut status: Vec<(Status, Template)> = Vec::new();
    for (i, t) in n.status.into_iter().enumerate() {
        let path = format!("notices.status[{i}]");
        let to = match Status::parse(t.to.get_ref()) {
            Some(Status::New) | None => {
                issues.at(
                    &t.to,
                    format!("{path}.to"),
                    format!(
                        "unknown status {:?}: a ticket can reach acknowledged, in_progress, \
                         waiting_customer, answered, disputed, resolved, referred_external, \
                         closed or reopened",
                        t.to.get_ref()
                    ),
                );
                None
            }
            Some(s) if status.iter().any(|(x, _)| *x == s) => {
                issues.at(
                    &t.to,
                    format!("{path}.to"),
                    format!(
                        "a second notice for {:?}: one status, one notice",
                        s.as_str()
                    ),
                );
                None
            }
            Some(s) => Some(s),
        };
        let template = template(
            [t.subject, t.body, t.subject_en, t.body_en],
            &path,
            notices::STATUS_PLACEHOLDERS,
            issues,
        );
        if let Some(to) = to {
            status.push((to, template));
        }
    }
    Notices {
        greeting_en,
        closing_en,
        confirmation,
        refused,
        status,
    }
}

/// One template's four texts: none empty, and only the placeholders it can be given.
fn template(
    [subject, body, subject_en, body_en]: [Spanned<String>; 4],
    path: &str,
    extra: &[&str],
    issues: &mut Issues<'_>,
) -> Template {
    for (name, value) in [
        ("subject", &subject),
        ("body", &body),
        ("subject_en", &subject_en),
        ("body_en", &body_en),
    ] {
        let field = format!("{path}.{name}");
        if value.get_ref().trim().is_empty() {
            issues.at(value, &field, "must not be empty");
        }
        for p in notices::placeholders(value.get_ref()) {
            if !notices::COMMON_PLACEHOLDERS.contains(&p) && !extra.contains(&p) {
                let known: Vec<String> = notices::COMMON_PLACEHOLDERS
                    .iter()
                    .chain(extra)
                    .map(|k| format!("{{{k}}}"))
                    .collect();
                issues.at(
                    value,
                    &field,
                    format!("unknown placeholder {{{p}}}; known: {}", known.join(", ")),
                );
            }
        }
    }
    Template {
        subject: subject.into_inner(),
        body: body.into_inner(),
        subject_en: subject_en.into_inner(),
        body_en: body_en.into_inner(),
    }
}
