//! The mails hotro writes to customers on its own (TR-1): the confirmation, the notice that a
//! message was too large, and one notice per announced status change, each in Vietnamese and
//! English, as templates of the policy file so a company words its own promises.
//!
//! Templates name their values in braces (`{code}`, `{subject}`…); which names a template may
//! use is checked when the policy is read, so a typo is a line-numbered error, not a mail
//! with a brace in it.

use super::{Policy, Unit};
use crate::kinds::{Language, Status};

/// One notice's subject and body, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub subject: String,
    pub body: String,
    pub subject_en: String,
    pub body_en: String,
}

/// A rendered notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// The policy's notices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notices {
    /// RP-2's greeting and closing for customers written to in English; the Vietnamese ones
    /// are `[reply]`'s.
    pub greeting_en: String,
    pub closing_en: String,
    /// Sent when a ticket is received: `{link}` is the tracking link.
    pub confirmation: Template,
    /// Sent to the sender of a message over the size limit: `{limit}` is the limit in MiB.
    pub refused: Template,
    /// The status changes announced to the customer, by the status reached; a status without
    /// a template (work starting, a transfer's reopening) is not announced.
    pub status: Vec<(Status, Template)>,
}

/// Names every template may use.
pub const COMMON_PLACEHOLDERS: &[&str] = &["greeting", "closing", "code", "subject"];
/// Names each kind of template may use besides the common ones.
pub const CONFIRMATION_PLACEHOLDERS: &[&str] = &["link"];
pub const REFUSED_PLACEHOLDERS: &[&str] = &["limit"];
/// `{expected}`: the time the policy allows for resolving the ticket (SL-2 asks the
/// acknowledgement to state it), e.g. "20 ngày" / "20 days".
pub const STATUS_PLACEHOLDERS: &[&str] = &["expected"];

/// The `{name}` placeholders of a text, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('}') else { break };
        let name = &rest[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            found.push(name);
            rest = &rest[close + 1..];
        }
    }
    found
}

/// Fills `{name}` placeholders; names without a value stay as written (the store fills
/// `{code}` of a notice written before the ticket had its code).
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

impl Template {
    /// The subject and body in `language`, with `values` filled in.
    pub fn render(&self, language: Language, values: &[(&str, &str)]) -> Rendered {
        let (subject, body) = match language {
            Language::Vi => (&self.subject, &self.body),
            Language::En => (&self.subject_en, &self.body_en),
        };
        Rendered {
            // A subject is one line, whatever a value held.
            subject: fill(subject, values).replace(['\r', '\n'], " "),
            body: fill(body, values),
        }
    }
}

impl Policy {
    /// RP-2's greeting in the customer's language.
    pub fn greeting(&self, language: Language) -> &str {
        match language {
            Language::Vi => &self.reply.greeting,
            Language::En => &self.notices.greeting_en,
        }
    }

    /// RP-2's closing in the customer's language.
    pub fn closing(&self, language: Language) -> &str {
        match language {
            Language::Vi => &self.reply.closing,
            Language::En => &self.notices.closing_en,
        }
    }

    /// The notice announcing a change to `to`, if the policy announces it.
    pub fn status_notice(&self, to: Status) -> Option<&Template> {
        self.notices
            .status
            .iter()
            .find(|(s, _)| *s == to)
            .map(|(_, t)| t)
    }
}

/// A time limit in words: "20 ngày làm việc", "48 working hours".
pub fn duration_words(within: u32, unit: Unit, language: Language) -> String {
    let words = match (unit, language) {
        (Unit::WorkingHours, Language::Vi) => "giờ làm việc",
        (Unit::WorkingDays, Language::Vi) => "ngày làm việc",
        (Unit::CalendarDays, Language::Vi) => "ngày",
        (Unit::WorkingHours, Language::En) => "working hours",
        (Unit::WorkingDays, Language::En) => "working days",
        (Unit::CalendarDays, Language::En) => "days",
        (Unit::Hours, Language::Vi) => "giờ",
        (Unit::Hours, Language::En) => "hours",
    };
    format!("{within} {words}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_names_in_braces() {
        assert_eq!(
            placeholders("{greeting},\n{code} {x-y} {} {subject} {"),
            ["greeting", "code", "subject"]
        );
        assert_eq!(
            fill("[{code}] {subject}", &[("subject", "A")]),
            "[{code}] A"
        );
    }

    #[test]
    fn tr1_builtin_notices_exist_in_both_languages() {
        let p = Policy::builtin();
        assert_eq!(p.greeting(Language::En), "Dear customer");
        for status in [
            Status::Acknowledged,
            Status::WaitingCustomer,
            Status::Answered,
            Status::ReferredExternal,
            Status::Resolved,
        ] {
            let t = p
                .status_notice(status)
                .unwrap_or_else(|| panic!("{status}"));
            let vi = t.render(Language::Vi, &[("greeting", p.greeting(Language::Vi))]);
            let en = t.render(Language::En, &[("greeting", p.greeting(Language::En))]);
            assert!(vi.body.starts_with("Kính thưa quý khách"), "{vi:?}");
            assert!(en.body.starts_with("Dear customer"), "{en:?}");
        }
        // Internal steps are not announced.
        assert!(p.status_notice(Status::InProgress).is_none());
        assert_eq!(
            duration_words(20, Unit::CalendarDays, Language::Vi),
            "20 ngày"
        );
    }
}
