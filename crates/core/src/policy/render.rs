//! The effective policy as TOML (`hotro policy show`): every value in force, defaults filled
//! in (for example the hours of a department whose file gave none), in the file's own shape,
//! so the output is itself a valid policy file.

use super::{Duty, Notices, Policy, SlaTarget, Template};
use crate::kinds::Status;
use hotro_calendar::Change;
use jiff::civil::Weekday;
use toml::{Table, Value};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    Value::Array(
        items
            .into_iter()
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    )
}

fn target(t: &SlaTarget) -> Value {
    let mut table = Table::new();
    if !t.kinds.is_empty() {
        table.insert("kinds".into(), strings(t.kinds.iter().map(|k| k.as_str())));
    }
    if !t.topics.is_empty() {
        table.insert(
            "topics".into(),
            strings(t.topics.iter().map(String::as_str)),
        );
    }
    if !t.departments.is_empty() {
        table.insert(
            "departments".into(),
            strings(t.departments.iter().map(String::as_str)),
        );
    }
    if !t.priorities.is_empty() {
        table.insert(
            "priorities".into(),
            strings(t.priorities.iter().map(|p| p.as_str())),
        );
    }
    table.insert("within".into(), Value::Integer(t.within.into()));
    table.insert("unit".into(), Value::String(t.unit.as_str().into()));
    Value::Table(table)
}

fn template(t: &Template, to: Option<Status>) -> Table {
    let mut table = Table::new();
    if let Some(to) = to {
        table.insert("to".into(), Value::String(to.as_str().into()));
    }
    for (key, value) in [
        ("subject", &t.subject),
        ("body", &t.body),
        ("subject_en", &t.subject_en),
        ("body_en", &t.body_en),
    ] {
        table.insert(key.into(), Value::String(value.clone()));
    }
    table
}

fn notices(n: &Notices) -> Value {
    let mut table = Table::new();
    table.insert("greeting_en".into(), Value::String(n.greeting_en.clone()));
    table.insert("closing_en".into(), Value::String(n.closing_en.clone()));
    table.insert(
        "confirmation".into(),
        Value::Table(template(&n.confirmation, None)),
    );
    table.insert("refused".into(), Value::Table(template(&n.refused, None)));
    table.insert(
        "status".into(),
        Value::Array(
            n.status
                .iter()
                .map(|(to, t)| Value::Table(template(t, Some(*to))))
                .collect(),
        ),
    );
    Value::Table(table)
}

impl Policy {
    /// The effective policy as a policy file.
    pub fn to_toml(&self) -> String {
        let mut root = Table::new();
        let text = |s: &str| Value::String(s.to_owned());
        root.insert("version".into(), text(&self.version));
        root.insert("name".into(), text(&self.name));
        if let Some(name) = &self.name_en {
            root.insert("name_en".into(), text(name));
        }
        if let Some(p) = self.published {
            root.insert("published".into(), text(&p.to_string()));
        }
        root.insert("ticket_code_prefix".into(), text(&self.ticket_code_prefix));
        let mut contact = Table::new();
        for (key, value) in [
            ("company", &self.contact.company),
            ("hotline", &self.contact.hotline),
            ("email", &self.contact.email),
            ("address", &self.contact.address),
        ] {
            if let Some(v) = value {
                contact.insert(key.into(), text(v));
            }
        }
        if !contact.is_empty() {
            root.insert("contact".into(), Value::Table(contact));
        }
        let mut reply = Table::new();
        reply.insert("greeting".into(), text(&self.reply.greeting));
        reply.insert("closing".into(), text(&self.reply.closing));
        root.insert("reply".into(), Value::Table(reply));
        root.insert("notices".into(), notices(&self.notices));
        let mut routing = Table::new();
        routing.insert("request".into(), text(&self.routing.request));
        routing.insert("complaint".into(), text(&self.routing.complaint));
        routing.insert("feedback".into(), text(&self.routing.feedback));
        routing.insert("triage".into(), text(&self.routing.triage));
        root.insert("routing".into(), Value::Table(routing));

        let departments = self
            .departments
            .iter()
            .map(|d| {
                let mut t = Table::new();
                t.insert("id".into(), text(&d.id));
                t.insert("name".into(), text(&d.name));
                t.insert("name_en".into(), text(&d.name_en));
                // One entry per working weekday: exact, if longer than the file's ranges.
                let hours = (0..7)
                    .filter_map(|i| {
                        let shifts = d.hours.shifts(Weekday::Monday.wrapping_add(i as i64));
                        (!shifts.is_empty()).then(|| {
                            let mut h = Table::new();
                            h.insert("days".into(), text(DAYS[i]));
                            h.insert(
                                "shifts".into(),
                                Value::Array(shifts.iter().map(|s| text(&s.to_string())).collect()),
                            );
                            Value::Table(h)
                        })
                    })
                    .collect();
                t.insert("hours".into(), Value::Array(hours));
                let topics = d
                    .topics
                    .iter()
                    .map(|topic| {
                        let mut x = Table::new();
                        x.insert("id".into(), text(&topic.id));
                        x.insert("name".into(), text(&topic.name));
                        x.insert("name_en".into(), text(&topic.name_en));
                        Value::Table(x)
                    })
                    .collect();
                t.insert("topics".into(), Value::Array(topics));
                Value::Table(t)
            })
            .collect();
        root.insert("departments".into(), Value::Array(departments));

        let holidays: Vec<Value> = (hotro_calendar::FIRST_YEAR..=hotro_calendar::LAST_YEAR)
            .flat_map(|year| {
                self.holidays
                    .in_year(year)
                    .map(|(date, change)| {
                        let mut h = Table::new();
                        h.insert("date".into(), text(&date.to_string()));
                        match change {
                            Change::Off { name } => h.insert("off".into(), text(name)),
                            Change::Work { reason } => h.insert("work".into(), text(reason)),
                            Change::Remove => h.insert("remove".into(), Value::Boolean(true)),
                        };
                        Value::Table(h)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        if !holidays.is_empty() {
            root.insert("holidays".into(), Value::Array(holidays));
        }

        let mut sla = Table::new();
        sla.insert(
            "warning_at_percent".into(),
            Value::Integer(self.sla.warning_at_percent.into()),
        );
        sla.insert(
            "next_issue_within_hours".into(),
            Value::Integer(self.sla.next_issue_within_hours.into()),
        );
        sla.insert(
            "acknowledge".into(),
            Value::Array(self.sla.acknowledge.iter().map(target).collect()),
        );
        sla.insert(
            "resolve".into(),
            Value::Array(self.sla.resolve.iter().map(target).collect()),
        );
        if !self.sla.first_answer.is_empty() {
            sla.insert(
                "first_answer".into(),
                Value::Array(self.sla.first_answer.iter().map(target).collect()),
            );
        }
        root.insert("sla".into(), Value::Table(sla));
        let mut bar = Table::new();
        bar.insert(
            "service_quality_days".into(),
            Value::Integer(self.time_bar.service_quality_days.into()),
        );
        bar.insert(
            "business_days".into(),
            Value::Integer(self.time_bar.business_days.into()),
        );
        root.insert("time_bar".into(), Value::Table(bar));
        let rules: Vec<Value> = self
            .classification
            .iter()
            .map(|r| {
                let mut t = Table::new();
                t.insert(
                    "phrases".into(),
                    strings(r.phrases.iter().map(String::as_str)),
                );
                if let Some(k) = r.kind {
                    t.insert("kind".into(), text(k.as_str()));
                }
                if let Some(topic) = &r.topic {
                    t.insert("topic".into(), text(topic));
                }
                if let Some(p) = r.priority {
                    t.insert("priority".into(), text(p.as_str()));
                }
                if let Some(a) = &r.feature_area {
                    t.insert("feature_area".into(), text(a));
                }
                if let Some(c) = r.complaint_category {
                    t.insert("complaint_category".into(), text(c.as_str()));
                }
                Value::Table(t)
            })
            .collect();
        if !rules.is_empty() {
            root.insert("classification".into(), Value::Array(rules));
        }
        if self.duty != Duty::default() {
            let mut duty = Table::new();
            duty.insert(
                "roles".into(),
                strings(self.duty.roles.iter().map(|r| r.as_str())),
            );
            duty.insert(
                "priorities".into(),
                strings(self.duty.priorities.iter().map(|p| p.as_str())),
            );
            root.insert("duty".into(), Value::Table(duty));
        }
        let areas: Vec<Value> = self
            .feature_areas
            .iter()
            .map(|a| {
                let mut t = Table::new();
                t.insert("id".into(), text(&a.id));
                t.insert("name".into(), text(&a.name));
                t.insert("name_en".into(), text(&a.name_en));
                t.insert(
                    "phrases".into(),
                    strings(a.phrases.iter().map(String::as_str)),
                );
                Value::Table(t)
            })
            .collect();
        if !areas.is_empty() {
            root.insert("feature_areas".into(), Value::Array(areas));
        }
        toml::to_string(&root).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::DEFAULT_POLICY_TOML;

    #[test]
    fn pl1_the_effective_policy_reads_back_as_the_same_policy() {
        let text = DEFAULT_POLICY_TOML.replace(
            "hours = [{ days = \"mon-fri\", shifts = [\"08:00-17:00\"] }]\ntopics = [\n  { id = \"custom_design\"",
            "topics = [\n  { id = \"custom_design\"",
        ) + "\n[[holidays]]\ndate = \"2027-02-05\"\noff = \"Nghỉ Tết thêm\"\n";
        let mut original = Policy::from_toml(&text).unwrap();
        let shown = original.to_toml();
        let mut again = Policy::from_toml(&shown).unwrap_or_else(|e| panic!("{e}\n{shown}"));
        original.source.clear();
        again.source.clear();
        assert_eq!(again, original);
        // The design department's default hours are spelled out.
        assert!(shown.contains("08:00-17:00"), "{shown}");
    }
}
