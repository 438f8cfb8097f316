//! The published service policy (PL-1): a public page generated from the policy in force —
//! channels, hours, the year's holidays, every time limit, reply commitments and earlier
//! versions — so that the promise and the enforcement come from one file.
//!
//! Every sentence that promises something carries the name of its promise
//! (`data-promise`); `tests/policy_promises.rs` finds each one's enforcing tests, so nothing
//! is published that no code and no test holds to.

use super::page::{lang_url, locale, respond};
use crate::AppState;
use crate::i18n::{Tr, text};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::get;
use hotro_calendar::{DayKind, year_days};
use hotro_core::Language;
use hotro_core::policy::{Policy, SlaTarget, Unit};
use hotro_core::{Channel, intake::vietnam_zone};
use jiff::civil::Weekday;

pub fn router() -> Router<AppState> {
    Router::new().route("/policy", get(policy_page))
}

/// One labelled line of the page; `value` may be empty.
pub struct Line {
    pub label: String,
    pub value: String,
}

/// A sentence the company is held to, with the name of its promise.
pub struct Promise {
    pub id: &'static str,
    pub text: String,
}

fn promise(id: &'static str, text: String) -> Promise {
    Promise { id, text }
}

/// The channels a customer can use today: each has its door (form, API, mail, chat, staff
/// intake). Social networks and apps are listed once their doors exist.
const CUSTOMER_CHANNELS: [Channel; 6] = [
    Channel::Email,
    Channel::Web,
    Channel::Chat,
    Channel::Phone,
    Channel::WalkIn,
    Channel::Post,
];

#[derive(Template, WebTemplate)]
#[template(path = "policy.html")]
struct PolicyPage {
    t: Tr,
    lang_url: String,
    title: String,
    published: Option<String>,
    contact: Vec<String>,
    channels: Vec<String>,
    hours: Vec<Line>,
    /// Seed 001's holiday duty, when the policy names one.
    duty: Option<String>,
    /// Who sorts what the rules cannot place (RT-2).
    triage: String,
    year: i16,
    holidays: Vec<Line>,
    limits: Vec<Promise>,
    time_bar: Vec<Promise>,
    replies: Vec<Promise>,
    versions: Vec<String>,
}

async fn policy_page(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let t = Tr(locale(&uri, &headers));
    let now = state.clock.now();
    let policy = &state.policy;
    // Earlier versions are a courtesy: the page still shows the policy if the store is down.
    let versions = state.store.policy_versions().await.unwrap_or_default();
    let year = now.to_zoned(vietnam_zone()).year();
    let page = PolicyPage {
        t,
        lang_url: lang_url(&uri, t),
        title: tx(
            t,
            "policy.title",
            &[
                ("name", policy_name(t, policy)),
                ("version", &policy.version),
            ],
        ),
        published: policy.published.map(|d| {
            tx(
                t,
                "policy.published",
                &[("date", &d.strftime("%d/%m/%Y").to_string())],
            )
        }),
        contact: contact(t, policy),
        channels: CUSTOMER_CHANNELS
            .iter()
            .map(|c| t.label("channel", c.as_str()))
            .collect(),
        hours: hours(t, policy),
        duty: duty(t, policy),
        triage: triage(t, policy),
        year,
        holidays: year_days(year, &policy.holidays)
            .unwrap_or_default()
            .into_iter()
            .map(|d| {
                let (kind, name) = match d.kind {
                    DayKind::Off { name } => ("policy.holidays.off", name),
                    DayKind::Work { reason } => ("policy.holidays.work", reason),
                };
                let name = match t.0 {
                    Language::Vi => name,
                    Language::En => holiday_name_en(&name),
                };
                Line {
                    label: d.date.strftime("%d/%m/%Y").to_string(),
                    value: format!("{} — {name}", t.get(kind)),
                }
            })
            .collect(),
        limits: limits(t, policy),
        time_bar: vec![
            promise(
                "time_bar.service_quality",
                tx(
                    t,
                    "policy.time_bar.service_quality",
                    &[("days", &policy.time_bar.service_quality_days.to_string())],
                ),
            ),
            promise(
                "time_bar.business",
                tx(
                    t,
                    "policy.time_bar.business",
                    &[("days", &policy.time_bar.business_days.to_string())],
                ),
            ),
            promise("time_bar.late", t.get("policy.time_bar.late")),
        ],
        replies: vec![
            promise("replies.written", t.get("policy.replies.written")),
            promise(
                "replies.greeting",
                tx(
                    t,
                    "policy.replies.greeting",
                    &[("greeting", &policy.reply.greeting)],
                ),
            ),
            promise(
                "replies.closing",
                tx(
                    t,
                    "policy.replies.closing",
                    &[("closing", &policy.reply.closing)],
                ),
            ),
        ],
        versions: versions
            .iter()
            .map(|v| {
                let date = v
                    .published
                    .clone()
                    .unwrap_or_else(|| v.first_used_at.to_zoned(vietnam_zone()).date().to_string());
                let mut line = format!(
                    "{} — {}",
                    v.version,
                    tx(t, "policy.versions.used", &[("date", &date)])
                );
                if v.version == policy.version {
                    line = format!("{line} {}", t.get("policy.versions.current"));
                }
                line
            })
            .collect(),
    };
    respond(&uri, page)
}

fn policy_name(t: Tr, policy: &Policy) -> &str {
    match (t.0, &policy.name_en) {
        (Language::En, Some(name)) => name,
        _ => &policy.name,
    }
}

/// The statutory holidays' names for English readers. The calendar names them in Vietnamese;
/// a day the policy adds keeps the words the company wrote.
fn holiday_name_en(name: &str) -> String {
    const WORDS: [(&str, &str); 11] = [
        ("Nghỉ bù ", "Substitute day off for "),
        ("Tết Dương lịch", "New Year's Day"),
        ("Tết Nguyên Đán", "Lunar New Year (Tết)"),
        ("Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day"),
        ("Ngày Chiến thắng", "Reunification Day"),
        ("Ngày Quốc tế Lao động", "International Labour Day"),
        ("Quốc khánh", "National Day"),
        ("Ngày Văn hóa Việt Nam", "Vietnamese Culture Day"),
        ("29 tháng Chạp", "29th of the 12th lunar month"),
        ("ngày liền kề", "adjacent day"),
        ("mùng ", "day "),
    ];
    WORDS
        .iter()
        .fold(name.to_owned(), |text, (vi, en)| text.replace(vi, en))
}

fn tx(t: Tr, key: &str, args: &[(&str, &str)]) -> String {
    text(t.0, key, args)
}

fn contact(t: Tr, policy: &Policy) -> Vec<String> {
    [
        ("policy.contact.hotline", &policy.contact.hotline),
        ("policy.contact.email", &policy.contact.email),
        ("policy.contact.address", &policy.contact.address),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.as_ref().map(|v| tx(t, key, &[("value", v)])))
    .collect()
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Each department's week, consecutive days with the same shifts on one line.
fn hours(t: Tr, policy: &Policy) -> Vec<Line> {
    policy
        .departments
        .iter()
        .map(|d| {
            let day = |i: usize| d.hours.shifts(Weekday::Monday.wrapping_add(i as i64));
            let mut parts = Vec::new();
            let mut i = 0;
            while i < 7 {
                let mut j = i;
                while j + 1 < 7 && day(j + 1) == day(i) {
                    j += 1;
                }
                let shifts = day(i);
                let when = if shifts.is_empty() {
                    t.get("policy.hours.closed")
                } else {
                    shifts
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let days = if i == j {
                    t.get(&format!("policy.day.{}", DAYS[i]))
                } else {
                    format!(
                        "{}–{}",
                        t.get(&format!("policy.day.{}", DAYS[i])),
                        t.get(&format!("policy.day.{}", DAYS[j]))
                    )
                };
                parts.push(format!("{days}: {when}"));
                i = j + 1;
            }
            Line {
                label: match t.0 {
                    Language::Vi => d.name.clone(),
                    Language::En => d.name_en.clone(),
                },
                value: parts.join("; "),
            }
        })
        .collect()
}

/// The department that reads and sorts what the classification rules cannot place (RT-2).
fn triage(t: Tr, policy: &Policy) -> String {
    let id = policy.triage_department();
    let name = policy
        .department(id)
        .map(|d| match t.0 {
            Language::Vi => d.name.clone(),
            Language::En => d.name_en.clone(),
        })
        .unwrap_or_else(|| id.to_owned());
    tx(t, "policy.channels.triage", &[("department", &name)])
}

/// Who is on duty on a department's days off, for which tickets (seed 001).
fn duty(t: Tr, policy: &Policy) -> Option<String> {
    let duty = &policy.duty;
    if duty.roles.is_empty() || duty.priorities.is_empty() {
        return None;
    }
    let roles: Vec<String> = duty
        .roles
        .iter()
        .map(|r| t.label("policy.role", r.as_str()))
        .collect();
    let priorities: Vec<String> = duty
        .priorities
        .iter()
        .map(|p| t.label("priority", p.as_str()).to_lowercase())
        .collect();
    Some(tx(
        t,
        "policy.hours.duty",
        &[
            ("roles", &roles.join(", ")),
            ("priorities", &priorities.join(", ")),
        ],
    ))
}

fn within(t: Tr, target: &SlaTarget) -> String {
    let key = match target.unit {
        Unit::WorkingHours => "policy.unit.working_hours",
        Unit::WorkingDays => "policy.unit.working_days",
        Unit::CalendarDays => "policy.unit.calendar_days",
        Unit::Hours => "policy.unit.hours",
    };
    tx(t, key, &[("n", &target.within.to_string())])
}

/// Whom a target applies to, in words: kinds, topics, departments, priorities.
fn scope(t: Tr, policy: &Policy, target: &SlaTarget) -> String {
    let mut parts: Vec<String> = target
        .kinds
        .iter()
        .map(|k| t.label("kind", k.as_str()))
        .collect();
    for topic in &target.topics {
        let name = policy
            .departments
            .iter()
            .flat_map(|d| &d.topics)
            .find(|x| &x.id == topic)
            .map(|x| {
                if t.0 == Language::En {
                    x.name_en.clone()
                } else {
                    x.name.clone()
                }
            });
        parts.push(name.unwrap_or_else(|| topic.clone()));
    }
    for d in &target.departments {
        let name = policy.department(d).map(|x| {
            if t.0 == Language::En {
                x.name_en.clone()
            } else {
                x.name.clone()
            }
        });
        parts.push(name.unwrap_or_else(|| d.clone()));
    }
    parts.extend(
        target
            .priorities
            .iter()
            .map(|p| t.label("priority", p.as_str())),
    );
    if parts.is_empty() {
        t.get("policy.limits.all")
    } else {
        parts.join(", ")
    }
}

fn limits(t: Tr, policy: &Policy) -> Vec<Promise> {
    let mut lines = Vec::new();
    let targets = [
        ("limits.acknowledge", &policy.sla.acknowledge),
        ("limits.resolve", &policy.sla.resolve),
        ("limits.first_answer", &policy.sla.first_answer),
    ];
    for (id, list) in targets {
        for target in list {
            lines.push(promise(
                id,
                tx(
                    t,
                    &format!("policy.{id}"),
                    &[
                        ("scope", &scope(t, policy, target)),
                        ("within", &within(t, target)),
                    ],
                ),
            ));
        }
    }
    lines.push(promise("limits.paused", t.get("policy.limits.paused")));
    lines.push(promise(
        "limits.next_issue",
        tx(
            t,
            "policy.limits.next_issue",
            &[("hours", &policy.sla.next_issue_within_hours.to_string())],
        ),
    ));
    lines.push(promise(
        "limits.warning",
        tx(
            t,
            "policy.limits.warning",
            &[("percent", &policy.sla.warning_at_percent.to_string())],
        ),
    ));
    lines
}
