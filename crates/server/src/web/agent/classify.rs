//! RT-3 on the ticket page: what the policy's rules read in the text and why (the phrases
//! that decided), an "unclassified" mark for what they could not place (RT-2), one click to
//! accept their suggestion and a small form to correct kind, topic and feature area.

use super::ticket::Opt;
use crate::AppState;
use crate::i18n::{Tr, text};
use hotro_core::event::{ClassificationNote, Event};
use hotro_core::{Kind, Language, Policy};
use hotro_store::TicketView;

/// The classification card.
pub struct ClassifyVm {
    /// No card for a closed ticket or one received before the rules were applied.
    pub show: bool,
    pub unclassified: bool,
    /// An agent has accepted or corrected it already.
    pub reviewed: bool,
    /// One line per decided field: "Loại phiếu: Khiếu nại — «khiếu nại»".
    pub reasons: Vec<String>,
    /// Other topics the text also speaks of.
    pub others: Vec<String>,
    /// The rules' suggestion as the accept button posts it, and as it reads.
    pub kind: String,
    pub topic: String,
    pub feature_area: String,
    pub summary: String,
    pub kinds: Vec<Opt>,
    pub topics: Vec<Opt>,
    pub areas: Vec<Opt>,
}

pub fn topic_name(policy: &Policy, id: &str, t: Tr) -> String {
    policy
        .departments
        .iter()
        .flat_map(|d| d.topics.iter())
        .find(|x| x.id == id)
        .map_or_else(
            || id.to_owned(),
            |x| {
                if t.0 == Language::En {
                    x.name_en.clone()
                } else {
                    x.name.clone()
                }
            },
        )
}

pub fn area_name(policy: &Policy, id: &str, t: Tr) -> String {
    policy.feature_area(id).map_or_else(
        || id.to_owned(),
        |a| {
            if t.0 == Language::En {
                a.name_en.clone()
            } else {
                a.name.clone()
            }
        },
    )
}

/// A decided value as the reader reads it.
fn value_label(policy: &Policy, field: &str, value: &str, t: Tr) -> String {
    match field {
        "kind" => t.label("kind", value),
        "topic" => topic_name(policy, value, t),
        "priority" => t.label("priority", value),
        "feature_area" => area_name(policy, value, t),
        "complaint_category" => t.get(&format!("web.form.category.{value}")),
        _ => value.to_owned(),
    }
}

pub fn classify_vm(state: &AppState, t: Tr, view: &TicketView) -> ClassifyVm {
    let policy = &state.policy;
    let k = &view.ticket;
    let note: Option<ClassificationNote> = view.timeline.first().and_then(|e| match &e.event {
        Event::Received(r) => r.classification.clone(),
        _ => None,
    });
    let matched = note.as_ref().map(|n| n.matched.as_slice()).unwrap_or(&[]);
    let found = |field: &str| {
        matched
            .iter()
            .find(|m| m.field == field)
            .map(|m| m.value.clone())
    };
    // The suggestion: the rules' kind, else the ticket's; a complaint keeps its department
    // (the topic stays), anything else takes the rules' topic; feedback its feature area.
    let kind = found("kind")
        .and_then(|k| Kind::parse(&k))
        .unwrap_or(k.kind);
    let topic = if kind == Kind::Complaint {
        k.topic.clone()
    } else {
        found("topic").or_else(|| k.topic.clone())
    };
    let feature_area = if kind == Kind::Feedback {
        found("feature_area").or_else(|| k.feature_area.clone())
    } else {
        None
    };
    let mut summary = vec![t.label("kind", kind.as_str())];
    if let Some(topic) = &topic {
        summary.push(topic_name(policy, topic, t));
    }
    if let Some(area) = &feature_area {
        summary.push(area_name(policy, area, t));
    }
    let reasons = matched
        .iter()
        .map(|m| {
            text(
                t.0,
                "web.classify.reason",
                &[
                    ("field", &t.get(&format!("web.classify.field.{}", m.field))),
                    ("value", &value_label(policy, &m.field, &m.value, t)),
                    ("phrase", &m.phrase),
                ],
            )
        })
        .collect();
    let opt = |value: &str, label: String, selected: bool| Opt {
        value: value.to_owned(),
        label,
        selected,
    };
    ClassifyVm {
        show: note.is_some() && k.status.is_open(),
        unclassified: k.unclassified,
        reviewed: k.reclassified,
        reasons,
        others: note
            .as_ref()
            .map(|n| {
                n.other_topics
                    .iter()
                    .map(|x| topic_name(policy, x, t))
                    .collect()
            })
            .unwrap_or_default(),
        kind: kind.as_str().to_owned(),
        topic: topic.clone().unwrap_or_default(),
        feature_area: feature_area.clone().unwrap_or_default(),
        summary: summary.join(" · "),
        kinds: Kind::ALL
            .iter()
            .map(|x| opt(x.as_str(), t.label("kind", x.as_str()), *x == k.kind))
            .collect(),
        topics: policy
            .departments
            .iter()
            .flat_map(|d| {
                d.topics.iter().map(move |x| {
                    let department = if t.0 == Language::En {
                        &d.name_en
                    } else {
                        &d.name
                    };
                    opt(
                        &x.id,
                        format!("{} — {department}", topic_name(policy, &x.id, t)),
                        k.topic.as_deref() == Some(x.id.as_str()),
                    )
                })
            })
            .collect(),
        areas: policy
            .feature_areas
            .iter()
            .map(|a| {
                opt(
                    &a.id,
                    area_name(policy, &a.id, t),
                    k.feature_area.as_deref() == Some(a.id.as_str()),
                )
            })
            .collect(),
    }
}
