//! SL-6: the mail a member of staff is sent when a ticket they answer for nears or passes a
//! deadline — Vietnamese first, English below, in words the caller brings from its catalogues
//! (`core` holds no staff texts of its own).

use super::SlaClock;
use crate::event::Event;
use crate::intake::vietnam_zone;
use crate::to_customer::OutMail;

/// One language's words for the alert mails. In subjects and bodies `{code}`, `{subject}`,
/// `{clock}` (the clock's name from `clocks`) and `{due}` (local time) are filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertLanguage {
    pub warning_subject: String,
    pub warning_body: String,
    pub breach_subject: String,
    pub breach_body: String,
    pub clocks: Vec<(SlaClock, String)>,
}

/// The words of both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertWords {
    pub vi: AlertLanguage,
    pub en: AlertLanguage,
}

/// The mail telling member of staff `staff_id` (at `to`) of `event` on ticket `code`, or
/// `None` for an event that is not an alert. Keyed per person and alert, so it is queued once.
pub fn alert_mail(
    words: &AlertWords,
    to: &str,
    staff_id: i64,
    code: &str,
    subject: &str,
    event: &Event,
) -> Option<OutMail> {
    let (clock, due_at, breach) = match event {
        Event::SlaWarned { clock, due_at, .. } => (*clock, *due_at, false),
        Event::SlaEscalated { clock, due_at, .. } => (*clock, *due_at, true),
        _ => return None,
    };
    let due = due_at
        .to_zoned(vietnam_zone())
        .strftime("%H:%M %d/%m/%Y (UTC+7)")
        .to_string();
    let fill = |language: &AlertLanguage, text: &str| {
        let clock_name = language
            .clocks
            .iter()
            .find(|(c, _)| *c == clock)
            .map_or(clock.as_str(), |(_, n)| n.as_str());
        text.replace("{code}", code)
            .replace("{subject}", subject)
            .replace("{clock}", clock_name)
            .replace("{due}", &due)
            .replace("\\n", "\n")
    };
    let pick = |l: &AlertLanguage| {
        if breach {
            (fill(l, &l.breach_subject), fill(l, &l.breach_body))
        } else {
            (fill(l, &l.warning_subject), fill(l, &l.warning_body))
        }
    };
    let (vi_subject, vi_body) = pick(&words.vi);
    let (en_subject, en_body) = pick(&words.en);
    Some(OutMail {
        key: format!(
            "staff.{}:{code}:{}:{staff_id}",
            event.type_name(),
            clock.as_str()
        ),
        kind: format!("staff.{}", event.type_name()),
        recipient: to.to_owned(),
        // A subject is one line, whatever the ticket's subject held.
        subject: format!("{vi_subject} / {en_subject}").replace(['\r', '\n'], " "),
        body: format!("{vi_body}\n\n---\n\n{en_body}"),
        automatic: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sl6_the_alert_mail_is_vietnamese_then_english_and_keyed_per_person() {
        let language = |w: &str| AlertLanguage {
            warning_subject: format!("{w} [{{code}}] {{clock}}"),
            warning_body: format!("{w} {{subject}} {{due}}"),
            breach_subject: format!("{w}! [{{code}}]"),
            breach_body: format!("{w}! {{due}}"),
            clocks: vec![(SlaClock::Acknowledge, format!("{w}-ack"))],
        };
        let words = AlertWords {
            vi: language("sắp"),
            en: language("soon"),
        };
        let warned = Event::SlaWarned {
            clock: SlaClock::Acknowledge,
            due_at: "2026-03-02T03:00:00Z".parse().unwrap(),
            agent: Some(1),
            leads: vec![2],
        };
        let mail = alert_mail(&words, "lan@x.vn", 1, "HT-1", "Mất\nmạng", &warned).unwrap();
        assert_eq!(mail.subject, "sắp [HT-1] sắp-ack / soon [HT-1] soon-ack");
        assert!(
            mail.body
                .starts_with("sắp Mất\nmạng 10:00 02/03/2026 (UTC+7)")
        );
        assert!(
            mail.body
                .ends_with("soon Mất\nmạng 10:00 02/03/2026 (UTC+7)")
        );
        assert_eq!(mail.key, "staff.sla_warned:HT-1:acknowledge:1");
        let other = alert_mail(&words, "hoa@x.vn", 2, "HT-1", "s", &warned).unwrap();
        assert_ne!(mail.key, other.key);
        assert!(alert_mail(&words, "a", 1, "HT-1", "s", &Event::Accepted).is_none());
    }
}
