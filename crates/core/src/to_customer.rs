//! Every text hotro sends a customer on its own, decided in one place (TR-1, SL-4, RP-1): the
//! confirmation with the code, the notice that a mail was too large, the written answer to a
//! time-barred complaint, the mail that carries a reply, and the notice of a status change.
//!
//! Each is a function of the ticket, its new events and the policy; the store only queues what
//! these return, and the doors only pass in what they know (the tracking link, the language a
//! mail was written in). The words themselves are the policy's templates (`policy::notices`),
//! so a company words its own promises; the time-bar answer's words are fixed here because
//! SL-4 prescribes what it must state.

use crate::event::{EventRecord, TimeBarred};
use crate::kinds::{Channel, ComplaintCategory, Language, Status};
use crate::policy::notices::{Template, duration_words};
use crate::{Actor, Event, Policy, Ticket};

/// A mail to queue. The store adds the message id and the threading headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutMail {
    /// Unique per notice: the same key is queued (and so sent) at most once. In the key, the
    /// subject and the body, `{code}` stands for the ticket's code, which a confirmation built
    /// before the ticket was recorded cannot know yet.
    pub key: String,
    /// What it is: `confirmation`, `reply`, `refused`, `notice.<status>`.
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Sent by hotro on its own (a notice), not written by a person: bounded per address and
    /// marked `Auto-Submitted` when sent.
    pub automatic: bool,
}

/// TR-1: the confirmation with the code and the tracking link, in the customer's language.
/// Built before the ticket is recorded, since only the door knows the tracking secret; `{code}`
/// is filled in when the ticket has its code.
pub fn confirmation(
    policy: &Policy,
    subject: &str,
    to: &str,
    link: &str,
    language: Language,
) -> OutMail {
    let text = policy.notices.confirmation.render(
        language,
        &[
            ("greeting", policy.greeting(language)),
            ("closing", policy.closing(language)),
            ("subject", subject),
            ("link", link),
        ],
    );
    OutMail {
        key: "confirmation:{code}".into(),
        kind: "confirmation".into(),
        recipient: to.to_owned(),
        subject: text.subject,
        body: text.body,
        automatic: true,
    }
}

/// The notice that a mail was too big to be read (CH-7), to its sender; `limit_mib` is the
/// size limit in MiB.
pub fn refused(
    policy: &Policy,
    subject: &str,
    to: &str,
    limit_mib: usize,
    language: Language,
) -> OutMail {
    let limit = limit_mib.to_string();
    let text = policy.notices.refused.render(
        language,
        &[
            ("greeting", policy.greeting(language)),
            ("closing", policy.closing(language)),
            ("subject", subject),
            ("limit", &limit),
        ],
    );
    OutMail {
        key: "refused:{code}".into(),
        kind: "refused".into(),
        recipient: to.to_owned(),
        subject: text.subject,
        body: text.body,
        automatic: true,
    }
}

/// SL-4: the written answer to a complaint received after the time bar, stating the reason
/// and the policy's numbers; recorded as a reply by the system in the intake's own commit.
/// `None` for a ticket that is not time-barred.
pub fn time_barred_answer(ticket: &Ticket, policy: &Policy) -> Option<Event> {
    let barred = ticket.time_barred?;
    let incident = ticket.complaint.as_ref()?.incident_date;
    let language = ticket.customer.language.unwrap_or(Language::Vi);
    let body = time_bar_words(&barred, language)
        .replace("{greeting}", policy.greeting(language))
        .replace("{closing}", policy.closing(language))
        .replace("{code}", &ticket.code)
        .replace("{incident}", &incident.strftime("%d/%m/%Y").to_string());
    Some(Event::Replied {
        channel: in_writing(ticket),
        body,
    })
}

/// The time-bar answer in `language`, with the category and the numbers filled in.
fn time_bar_words(barred: &TimeBarred, language: Language) -> String {
    let (limit, days) = (barred.limit_days, barred.days_after_incident);
    match language {
        Language::Vi => {
            let category = match barred.category {
                ComplaintCategory::ServiceQuality => "chất lượng dịch vụ",
                ComplaintCategory::Business => "vấn đề kinh doanh",
            };
            format!(
                "{{greeting}}, chúng tôi đã ghi nhận khiếu nại {{code}}. Theo chính sách dịch vụ, \
                 khiếu nại về {category} được tiếp nhận trong vòng {limit} ngày kể từ ngày xảy \
                 ra sự việc; sự việc quý khách nêu xảy ra ngày {{incident}}, tức {days} ngày \
                 trước khi chúng tôi nhận được khiếu nại, nên đã quá thời hiệu khiếu nại. Chúng \
                 tôi vẫn lưu giữ nội dung quý khách gửi và sẵn sàng trao đổi thêm nếu quý khách \
                 có thông tin bổ sung. {{closing}}"
            )
        }
        Language::En => {
            let category = match barred.category {
                ComplaintCategory::ServiceQuality => "service quality",
                ComplaintCategory::Business => "business matters",
            };
            format!(
                "{{greeting}}, we have recorded complaint {{code}}. Under our service policy, \
                 complaints about {category} are accepted within {limit} days of the incident; \
                 the incident you describe happened on {{incident}}, {days} days before we \
                 received the complaint, so it is past the time bar. We keep what you sent and \
                 are ready to discuss it if you have more information. {{closing}}"
            )
        }
    }
}

/// SL-4 "in writing": by e-mail when there is an address for a contact that came by phone,
/// in person or by post; by letter when there is none; otherwise on the ticket's channel.
fn in_writing(ticket: &Ticket) -> Channel {
    let email = ticket.customer.email.is_some();
    match ticket.channel {
        Channel::Phone | Channel::WalkIn | Channel::Post if email => Channel::Email,
        Channel::Phone | Channel::WalkIn | Channel::Post => Channel::Post,
        Channel::Email if !email => Channel::Post,
        other => other,
    }
}

/// What the customer is sent because `records` were appended to the ticket, the first of them
/// at log position `first_seq`; `ticket` is the state after them. Each mail comes with the
/// index of the record that caused it, in record order:
///
/// - RP-1/TR-3: a written answer by e-mail goes out as a mail, with the code in the subject so
///   the customer's answer threads even when their mail program drops `In-Reply-To` (CH-1);
/// - TR-1: one command, at most one status notice — for the last status change the policy
///   announces, made by staff or the system (a customer knows what they did themselves), and
///   none when the same command answered by e-mail, since that mail already tells them.
pub fn after_events(
    ticket: &Ticket,
    first_seq: i64,
    records: &[EventRecord],
    policy: &Policy,
) -> Vec<(usize, OutMail)> {
    let mut mails = Vec::new();
    let Some(recipient) = ticket.customer.email.as_deref() else {
        return mails;
    };
    let code = &ticket.code;
    for (i, record) in records.iter().enumerate() {
        if let Event::Replied {
            channel: Channel::Email,
            body,
        } = &record.event
        {
            mails.push((
                i,
                OutMail {
                    key: format!("reply:{code}:{}", first_seq + i as i64),
                    kind: "reply".into(),
                    recipient: recipient.to_owned(),
                    subject: format!("Re: [{code}] {}", ticket.subject),
                    body: body.clone(),
                    automatic: false,
                },
            ));
        }
    }
    if !mails.is_empty() {
        return mails;
    }
    let announced = records.iter().rposition(|r| match &r.event {
        Event::StatusChanged { from, to, reason } => {
            r.actor != Actor::Customer
                && from != to
                && (policy.status_notice(*to).is_some() || closed_with(*to, reason).is_some())
        }
        _ => false,
    });
    if let Some(i) = announced
        && let Event::StatusChanged { to, reason, .. } = &records[i].event
    {
        let closing = closed_with(*to, reason).map(|_| closed_notice());
        let Some(template) = policy.status_notice(*to).or(closing.as_ref()) else {
            return mails;
        };
        let language = ticket.customer.language.unwrap_or(Language::Vi);
        let expected = policy
            .resolve_target(
                ticket.kind,
                ticket.topic.as_deref(),
                &ticket.department,
                ticket.priority,
            )
            .map(|t| duration_words(t.within, t.unit, language))
            .unwrap_or_else(|| match language {
                Language::Vi => "sớm nhất có thể".into(),
                Language::En => "as soon as possible".into(),
            });
        let text = template.render(
            language,
            &[
                ("greeting", policy.greeting(language)),
                ("closing", policy.closing(language)),
                ("code", code),
                ("subject", &ticket.subject),
                ("expected", &expected),
                // CP-2: why a ticket was closed unsolved is the customer's to read.
                ("reason", reason.as_deref().unwrap_or("")),
            ],
        );
        mails.push((
            i,
            OutMail {
                key: format!("notice:{code}:{}", first_seq + i as i64),
                kind: format!("notice.{}", to.as_str()),
                recipient: recipient.to_owned(),
                subject: text.subject,
                body: text.body,
                automatic: true,
            },
        ));
    }
    mails
}

/// CP-2: a ticket closed with a reason (closing without an answer needs one) tells the
/// customer why, even under a policy that announces no closing.
fn closed_with(to: Status, reason: &Option<String>) -> Option<&str> {
    (to == Status::Closed)
        .then_some(reason.as_deref())
        .flatten()
}

/// The closing notice for a policy without one of its own (versions before it could say so).
fn closed_notice() -> Template {
    Template {
        subject: "[{code}] Phiếu đã đóng: {subject}".into(),
        body: "{greeting},\n\nPhiếu {code} ({subject}) đã được đóng. Lý do: {reason}\n\n\
               Nếu quý khách cần hỗ trợ thêm, xin trả lời thư này hoặc mở lại phiếu trên \
               trang theo dõi.\n\n{closing}"
            .into(),
        subject_en: "[{code}] Ticket closed: {subject}".into(),
        body_en: "{greeting},\n\nTicket {code} ({subject}) has been closed. Reason: {reason}\n\n\
                  If you need more help, reply to this mail or reopen the ticket on its \
                  tracking page.\n\n{closing}"
            .into(),
    }
}

#[cfg(test)]
mod tests;
