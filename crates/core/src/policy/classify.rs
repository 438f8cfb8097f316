//! RT-3: classifying incoming text by the policy's phrase rules, insensitive to Vietnamese
//! diacritics and case, so "khieu nai", "KHIẾU NẠI" and "khiếu nại" are one phrase.

use super::Policy;
use crate::kinds::{Kind, Priority};
use unicode_normalization::UnicodeNormalization;

/// What the rules decided; a field no rule set stays `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classification {
    pub kind: Option<Kind>,
    pub topic: Option<String>,
    pub priority: Option<Priority>,
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
    /// topic and priority, the first matching rule that sets it decides.
    pub fn classify(&self, text: &str) -> Classification {
        let folded = fold(text);
        let mut result = Classification::default();
        for rule in &self.classification {
            if !rule.folded.iter().any(|p| contains_phrase(&folded, p)) {
                continue;
            }
            if result.kind.is_none() {
                result.kind = rule.kind;
            }
            if result.topic.is_none() {
                result.topic = rule.topic.clone();
            }
            if result.priority.is_none() {
                result.priority = rule.priority;
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

    /// RT-3: the rules suggest a topic; the agent corrects it, and the correction is recorded
    /// with its reason; a topic of another department needs a transfer instead.
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
        // The suggestion does not move the ticket: it stays where the routing put it.
        assert_eq!(r.suggested_topic.as_deref(), Some("hosting_domain"));
        assert_eq!(r.department, "other");
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
            department: "other".into(),
            role: Role::Agent,
        };
        let ctx = Context {
            staff: &agent,
            policy: &policy,
            now,
        };
        let elsewhere = Command::ChangeTopic {
            topic: "hosting_domain".into(),
            reason: "Đúng chủ đề".into(),
        };
        assert_eq!(
            ticket.decide(&elsewhere, &ctx),
            Err(Rejection::field("topic", "topic.other_department"))
        );
        let ok = Command::ChangeTopic {
            topic: "other".into(),
            reason: "Không thuộc kỹ thuật".into(),
        };
        let events = ticket.decide(&ok, &ctx).unwrap();
        assert_eq!(
            events,
            vec![Event::TopicChanged {
                from: None,
                to: "other".into(),
                reason: "Không thuộc kỹ thuật".into(),
            }]
        );
        for e in &events {
            ticket.apply(e);
        }
        assert_eq!(ticket.topic.as_deref(), Some("other"));
        let again = ticket.decide(&ok, &ctx).unwrap_err();
        assert!(matches!(again, R::Invalid(ref f) if f[0].rule == "topic.unchanged"));
    }
}
