//! RT-3: classifying incoming text by the policy's phrase rules, insensitive to Vietnamese
//! diacritics and case, so "khieu nai", "KHIẾU NẠI" and "khiếu nại" are one phrase.

use super::Policy;
pub use crate::event::Matched;
use crate::kinds::{ComplaintCategory, Kind, Priority};
use unicode_normalization::UnicodeNormalization;

/// What the rules decided; a field no rule set stays `None`. `matched` says why: for each
/// decided field, the phrase (as the policy writes it) that decided it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classification {
    pub kind: Option<Kind>,
    pub topic: Option<String>,
    pub priority: Option<Priority>,
    /// RT-3: the feature area, from a rule or else from `[[feature_areas]]`'s phrases.
    pub feature_area: Option<String>,
    /// SL-4: the complaint's category, when a rule says.
    pub complaint_category: Option<ComplaintCategory>,
    pub matched: Vec<Matched>,
    /// Other topics whose phrases occur too: the text speaks of several matters, so the
    /// rules are not sure which department should have it.
    pub other_topics: Vec<String>,
}

impl Classification {
    /// Whether the rules placed the text: one topic, and no other topic's phrase in it.
    pub fn is_sure(&self) -> bool {
        self.topic.is_some() && self.other_topics.is_empty()
    }

    /// The phrase that decided `field`, if a rule decided it.
    pub fn why(&self, field: &str) -> Option<&Matched> {
        self.matched.iter().find(|m| m.field == field)
    }
}

/// Text folded for matching: tone marks and other diacritics dropped, đ/Đ to d, lower case,
/// runs of whitespace as one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.nfd() {
        // Combining marks carry Vietnamese tones and vowel hats once decomposed.
        if ('\u{0300}'..='\u{036f}').contains(&c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        };
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
            continue;
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

impl Policy {
    /// Runs the classification rules over `text` (subject and description): for each of kind,
    /// topic, priority, feature area and complaint category, the first matching rule that
    /// sets it decides; the feature area otherwise comes from the first `[[feature_areas]]`
    /// entry with a phrase in the text.
    pub fn classify(&self, text: &str) -> Classification {
        let folded = fold(text);
        let mut result = Classification::default();
        for rule in &self.classification {
            let Some(at) = rule.folded.iter().position(|p| contains_phrase(&folded, p)) else {
                continue;
            };
            let phrase = &rule.phrases[at];
            let mut decide = |field: &str, value: Option<String>, slot_empty: bool| {
                if let Some(value) = value.filter(|_| slot_empty) {
                    result.matched.push(Matched {
                        field: field.to_owned(),
                        value,
                        phrase: phrase.clone(),
                    });
                    true
                } else {
                    false
                }
            };
            if decide(
                "kind",
                rule.kind.map(|k| k.as_str().to_owned()),
                result.kind.is_none(),
            ) {
                result.kind = rule.kind;
            }
            if decide("topic", rule.topic.clone(), result.topic.is_none()) {
                result.topic = rule.topic.clone();
            }
            if decide(
                "priority",
                rule.priority.map(|p| p.as_str().to_owned()),
                result.priority.is_none(),
            ) {
                result.priority = rule.priority;
            }
            if decide(
                "feature_area",
                rule.feature_area.clone(),
                result.feature_area.is_none(),
            ) {
                result.feature_area = rule.feature_area.clone();
            }
            if decide(
                "complaint_category",
                rule.complaint_category.map(|c| c.as_str().to_owned()),
                result.complaint_category.is_none(),
            ) {
                result.complaint_category = rule.complaint_category;
            }
            if let Some(t) = &rule.topic
                && result.topic.as_ref() != Some(t)
                && !result.other_topics.contains(t)
            {
                result.other_topics.push(t.clone());
            }
        }
        if result.feature_area.is_none() {
            for area in &self.feature_areas {
                if let Some(at) = area.folded.iter().position(|p| contains_phrase(&folded, p)) {
                    result.feature_area = Some(area.id.clone());
                    result.matched.push(Matched {
                        field: "feature_area".into(),
                        value: area.id.clone(),
                        phrase: area.phrases[at].clone(),
                    });
                    break;
                }
            }
        }
        result
    }
}

/// Whether `phrase` occurs in `text` on word boundaries: "sap" must not match "sapa".
fn contains_phrase(text: &str, phrase: &str) -> bool {
    let mut start = 0;
    while let Some(found) = text[start..].find(phrase) {
        let at = start + found;
        let end = at + phrase.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        start = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rt3_folding_ignores_diacritics_case_and_d_stroke() {
        assert_eq!(fold("KHIẾU NẠI"), "khieu nai");
        assert_eq!(fold("Đăng  ký\n"), "dang ky");
        assert_eq!(fold("Đà Nẵng"), fold("da nang"));
        // Decomposed input folds the same as composed.
        assert_eq!(fold("Khie\u{302}\u{301}u na\u{323}i"), "khieu nai");
    }

    #[test]
    fn rt3_phrases_match_on_word_boundaries() {
        assert!(contains_phrase("website bi sap roi", "bi sap"));
        assert!(!contains_phrase("du lich sapa", "sap"));
        assert!(contains_phrase("sap", "sap"));
    }

    #[test]
    fn rt3_builtin_rules_classify_vietnamese_text_without_diacritics() {
        let p = Policy::builtin();
        let c = p.classify("Website KHONG TRUY CAP DUOC tu sang nay");
        assert_eq!(c.topic.as_deref(), Some("hosting_domain"));
        assert_eq!(c.priority, None);
        let c = p.classify("Tôi muốn khiếu nại về hóa đơn");
        assert_eq!(c.kind, Some(Kind::Complaint));
        assert_eq!(c.topic.as_deref(), Some("billing"));
        assert_eq!(p.classify("Xin chào"), Classification::default());
    }

    #[test]
    fn rt3_a_policy_rule_sets_priority() {
        let text = crate::policy::DEFAULT_POLICY_TOML.to_owned()
            + "\n[[classification]]\nphrases = [\"mất dịch vụ\"]\npriority = \"urgent\"\n";
        let p = Policy::from_toml(&text).unwrap();
        let c = p.classify("MAT DICH VU toan bo tu 8 gio");
        assert_eq!(c.priority, Some(Priority::Urgent));
        assert_eq!(c.topic.as_deref(), Some("hosting_domain"));
    }
}

#[cfg(test)]
mod correction_tests {
    use crate::event::{Actor, Event, EventRecord};
    use crate::intake::{self, NewTicket, Source};
    use crate::rejection::Rejection;
    use crate::staff::{Role, StaffMember};
    use crate::ticket::{Command, Context, Ticket};
    use crate::{Policy, Rejection as R};

    /// RT-3: the rules place the ticket by the topic they are sure of; the agent corrects the
    /// topic within the department, and the correction is recorded with its reason; a topic
    /// of another department needs a transfer (or a reclassification) instead.
    #[test]
    fn rt3_agents_correct_the_topic_and_the_correction_is_recorded() {
        let policy = Policy::builtin();
        let now = "2026-11-20T02:00:00Z".parse().unwrap();
        let input = NewTicket {
            kind: Some("request".into()),
            customer_name: Some("An".into()),
            customer_email: Some("an@example.vn".into()),
            subject: Some("Tên miền hết hạn".into()),
            description: Some("Xin gia hạn TEN MIEN giúp tôi.".into()),
            ..NewTicket::default()
        };
        let intake = intake::validate(&input, Source::Public, &policy, now).unwrap();
        let event = intake.into_event("HT-2026-000001");
        let Event::Received(r) = &event else {
            unreachable!()
        };
        // The rules' topic is applied: the ticket goes where the topic belongs, and why.
        assert_eq!(r.topic.as_deref(), Some("hosting_domain"));
        assert_eq!(r.suggested_topic, None);
        assert_eq!(r.department, "technical");
        let note = r.classification.as_ref().unwrap();
        assert_eq!(note.applied, ["topic"]);
        assert!(!note.unclassified);
        assert_eq!(note.matched[0].phrase, "tên miền");
        let mut ticket = Ticket::received(&EventRecord {
            at: now,
            actor: Actor::Customer,
            event,
        })
        .unwrap();
        let agent = StaffMember {
            cover: Default::default(),
            id: 7,
            email: "a@example.vn".into(),
            name: "A".into(),
            department: "technical".into(),
            role: Role::Agent,
        };
        let ctx = Context {
            staff: &agent,
            policy: &policy,
            now,
            assignee: None,
        };
        let elsewhere = Command::ChangeTopic {
            topic: "other".into(),
            reason: "Không thuộc kỹ thuật".into(),
        };
        assert_eq!(
            ticket.decide(&elsewhere, &ctx),
            Err(Rejection::field("topic", "topic.other_department"))
        );
        let ok = Command::ChangeTopic {
            topic: "service_installation".into(),
            reason: "Cài đặt theo hợp đồng".into(),
        };
        let events = ticket.decide(&ok, &ctx).unwrap();
        assert_eq!(
            events,
            vec![Event::TopicChanged {
                from: Some("hosting_domain".into()),
                to: "service_installation".into(),
                reason: "Cài đặt theo hợp đồng".into(),
            }]
        );
        for e in &events {
            ticket.apply(e);
        }
        assert_eq!(ticket.topic.as_deref(), Some("service_installation"));
        let again = ticket.decide(&ok, &ctx).unwrap_err();
        assert!(matches!(again, R::Invalid(ref f) if f[0].rule == "topic.unchanged"));
    }
}

#[cfg(test)]
mod reason_tests {
    use super::*;
    use crate::ComplaintCategory;

    /// RT-3: the classification says which phrase decided each field, and whether it is sure.
    #[test]
    fn rt3_classification_names_the_phrase_that_decided_each_field() {
        let p = Policy::builtin();
        let c = p.classify("Khiếu nại tên miền: WEBSITE BỊ SẬP từ ngày 12/11/2026");
        assert_eq!(c.kind, Some(Kind::Complaint));
        assert_eq!(c.topic.as_deref(), Some("hosting_domain"));
        assert!(c.is_sure());
        assert_eq!(c.why("kind").unwrap().phrase, "khiếu nại");
        // The first rule that sets the topic decides, and says by which of its phrases.
        assert_eq!(c.why("topic").unwrap().phrase, "website bị sập");
        assert_eq!(c.why("topic").unwrap().value, "hosting_domain");
        assert!(c.why("priority").is_none());

        let c = p.classify("Khiếu nại: hóa đơn tính sai tiền, đề nghị hoàn tiền");
        assert_eq!(c.topic.as_deref(), Some("billing"));
        assert_eq!(c.complaint_category, Some(ComplaintCategory::Business));
        assert_eq!(c.why("complaint_category").unwrap().phrase, "hóa đơn");
    }

    /// RT-3: a text that speaks of several matters is not placed by the rules.
    #[test]
    fn rt3_two_topics_in_one_text_are_not_sure() {
        let p = Policy::builtin();
        let c = p.classify("Báo giá hosting và thiết kế logo");
        assert_eq!(c.topic.as_deref(), Some("hosting_domain"));
        assert_eq!(c.other_topics, ["quotation", "custom_design"]);
        assert!(!c.is_sure());
        assert!(!p.classify("Xin chào").is_sure());
    }

    /// RT-3: feedback is tagged with a feature or performance area, by the policy's list.
    #[test]
    fn rt3_feature_areas_come_from_the_policy_list_or_a_rule() {
        let p = Policy::builtin();
        let c = p.classify("Góp ý: trang quản trị TAI TRANG rất lâu");
        assert_eq!(c.kind, Some(Kind::Feedback));
        // The first area of the list with a phrase in the text.
        assert_eq!(c.feature_area.as_deref(), Some("performance"));
        assert_eq!(c.why("feature_area").unwrap().phrase, "tải trang");
        let text = crate::policy::DEFAULT_POLICY_TOML.to_owned()
            + "\n[[classification]]\nphrases = [\"quản trị\"]\nfeature_area = \"control_panel\"\n";
        let p = Policy::from_toml(&text).unwrap();
        let c = p.classify("Góp ý: trang quản trị tải trang rất lâu");
        assert_eq!(c.feature_area.as_deref(), Some("control_panel"));
        assert_eq!(c.why("feature_area").unwrap().phrase, "quản trị");
    }
}
