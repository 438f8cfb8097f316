//! Intake: turning what a customer (or staff on their behalf) submitted into a ticket's
//! first event, with every missing or broken field named at once (CH-4, CH-6, RT-2).
//!
//! One file on purpose: the checks of every kind and channel share one error list, and read
//! best in the order a form is filled in; the tests at the end walk the same order.

use crate::attachment::Attachment;
use crate::contact::{Email, Phone};
use crate::event::{
    ClassificationNote, ComplaintDetails, CustomerDetails, Event, FeedbackDetails, Received,
    TimeBarred,
};
use crate::kinds::{Channel, ComplaintCategory, Kind, Language, Priority};
use crate::policy::Classification;
use crate::policy::Policy;
use crate::rejection::{FieldError, Rejection};
use crate::text::{self, limits};
use crate::{Actor, EventRecord, Ticket};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

/// Who submitted the contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The public form or an integration: the customer speaks for themselves.
    Public,
    /// A member of staff records a phone call, a visit or a letter (CH-4).
    Staff,
    /// An inbound e-mail (CH-1): the customer speaks for themselves, and the sender's address
    /// is the contact. A mail whose sender cannot be read is still recorded (CH-7) and flagged
    /// for an agent by the caller, so it needs no contact to be accepted.
    Mail,
}

/// The submitted fields, as text; absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewTicket {
    pub kind: Option<String>,
    pub channel: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    pub customer_address: Option<String>,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub topic: Option<String>,
    /// The department the door itself belongs to — the chat widget's `data-department`
    /// (CH-3): where a contact without a chosen topic goes, instead of the rules' guess.
    pub department: Option<String>,
    pub incident_date: Option<String>,
    pub complaint_category: Option<String>,
    pub requested_resolution: Option<String>,
    pub current_feature: Option<String>,
    pub proposed_improvement: Option<String>,
    pub reason: Option<String>,
    /// Files already stored by their digest; the rules check only how many and how big.
    pub attachments: Vec<Attachment>,
}

/// A checked submission, waiting only for its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    received: Received,
}

impl Intake {
    pub fn kind(&self) -> Kind {
        self.received.kind
    }

    pub fn customer(&self) -> &CustomerDetails {
        &self.received.customer
    }

    pub fn department(&self) -> &str {
        &self.received.department
    }

    /// SL-4: why the complaint is out of time, if it is.
    pub fn time_barred(&self) -> Option<TimeBarred> {
        self.received.time_barred
    }

    /// The version of the policy it was checked under, whose deadlines it keeps (PL-2).
    pub fn policy_version(&self) -> &str {
        &self.received.policy_version
    }

    /// The complaint's details, for complaints.
    pub fn complaint(&self) -> Option<&ComplaintDetails> {
        self.received.complaint.as_ref()
    }

    /// The first event of the ticket, once the store has assigned its code.
    /// The language the customer wrote in, for the notices they get (TR-1).
    pub fn set_language(&mut self, language: Language) {
        self.received.customer.language = (language != Language::Vi).then_some(language);
    }

    pub fn into_event(mut self, code: &str) -> Event {
        self.received.code = code.to_owned();
        Event::Received(Box::new(self.received))
    }

    /// The ticket's first records, all written in the intake's one commit: its reception by
    /// `actor`, then, for a complaint past the time bar, the written answer SL-4 requires,
    /// by the system.
    pub fn into_records(
        self,
        code: &str,
        actor: Actor,
        now: Timestamp,
        policy: &Policy,
    ) -> Vec<EventRecord> {
        let first = EventRecord {
            at: now,
            actor,
            event: self.into_event(code),
        };
        let answer = Ticket::received(&first)
            .and_then(|ticket| crate::to_customer::time_barred_answer(&ticket, policy));
        let mut records = vec![first];
        records.extend(answer.map(|event| EventRecord {
            at: now,
            actor: Actor::System,
            event,
        }));
        records
    }
}

/// Vietnam's offset; Asia/Ho_Chi_Minh has kept UTC+7 without daylight saving since 1975.
pub fn vietnam_zone() -> TimeZone {
    TimeZone::fixed(Offset::constant(7))
}

/// Collects field errors so that one answer names every broken field.
#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    fn push(&mut self, field: &str, rule: &str) {
        self.0.push(FieldError::new(field, rule));
    }
}

/// Checks a submission against the rules of its kind and routes it by policy.
pub fn validate(
    input: &NewTicket,
    source: Source,
    policy: &Policy,
    now: Timestamp,
) -> Result<Intake, Rejection> {
    let mut e = Errors::default();

    // RT-3: the policy's phrase rules read the text first: mail and chat carry no kind, so
    // the rules give it; everywhere they give the topic, priority and feature area the
    // sender did not choose. Only the content decides, never the channel or the customer
    // (QF-2). Empty or oversized text is refused below, and reads here as it is.
    let classified = policy.classify(&classified_text(input));
    // Mail and chat have no kind field: the rules decide it there, a request when they
    // cannot. Forms, the API and staff intake say what the customer asked for.
    let kind_by_rules = input.kind.is_none()
        && (source == Source::Mail || input.channel.as_deref() == Some(Channel::Chat.as_str()));
    let kind = match input.kind.as_deref() {
        None if kind_by_rules => Some(classified.kind.unwrap_or(Kind::Request)),
        None => {
            e.push("kind", "required");
            None
        }
        Some(k) => Kind::parse(k).or_else(|| {
            e.push("kind", "one_of");
            None
        }),
    };
    let channel = match (input.channel.as_deref(), source) {
        (None, Source::Public) => Some(Channel::Web),
        (None, Source::Mail) => Some(Channel::Email),
        (None, Source::Staff) => {
            e.push("channel", "required");
            None
        }
        (Some(c), _) => match Channel::parse(c) {
            None => {
                e.push("channel", "one_of");
                None
            }
            Some(c) if source != Source::Staff && c.is_staff_recorded() => {
                e.push("channel", "channel.staff_only");
                None
            }
            Some(c) => Some(c),
        },
    };

    let name = e.take(text::required(
        "customer.name",
        input.customer_name.as_deref().unwrap_or(""),
        limits::NAME,
    ));
    let email = match input
        .customer_email
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        None => None,
        Some(raw) => e.take(Email::parse("customer.email", raw)),
    };
    let phone = match input
        .customer_phone
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        None => None,
        Some(raw) => e.take(Phone::parse("customer.phone", raw)),
    };
    let address = e
        .take(text::optional(
            "customer.address",
            input.customer_address.as_deref(),
            limits::ADDRESS,
        ))
        .flatten();
    let no_contact = input
        .customer_email
        .as_deref()
        .is_none_or(|s| s.trim().is_empty())
        && input
            .customer_phone
            .as_deref()
            .is_none_or(|s| s.trim().is_empty());
    // A customer who files online must be reachable for the answer; on the phone, at the
    // counter or by post staff may know no more than a name and an address. A chat visitor
    // is answered in the conversation itself, so a name is enough there (CH-3).
    let in_chat = channel == Some(Channel::Chat);
    if no_contact
        && !in_chat
        && source != Source::Mail
        && (source == Source::Public
            || input
                .customer_address
                .as_deref()
                .is_none_or(|s| s.trim().is_empty()))
    {
        e.push("customer.email", "contact.required");
    }

    let subject = e.take(text::required(
        "subject",
        input.subject.as_deref().unwrap_or(""),
        limits::SUBJECT,
    ));
    let description = e.take(text::required(
        "description",
        input.description.as_deref().unwrap_or(""),
        limits::DESCRIPTION,
    ));

    let topic = e
        .take(text::optional(
            "topic",
            input.topic.as_deref(),
            limits::TOPIC,
        ))
        .flatten();
    let topic_department = match topic.as_deref() {
        None => None,
        Some(t) => match policy.department_of_topic(t) {
            Some(d) => Some(d.id.clone()),
            None => {
                e.push("topic", "topic.unknown");
                None
            }
        },
    };

    let door_department = match input.department.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) if policy.department(d).is_some() => Some(d.to_owned()),
        Some(_) => {
            e.push("department", "department.unknown");
            None
        }
    };

    let complaint = if kind == Some(Kind::Complaint) && kind_by_rules {
        Some(complaint_from_text(input, &classified, now))
    } else if kind == Some(Kind::Complaint) {
        complaint_details(input, now, &mut e)
    } else {
        forbid_fields(
            &[
                ("incident_date", input.incident_date.is_some()),
                ("complaint_category", input.complaint_category.is_some()),
                ("requested_resolution", input.requested_resolution.is_some()),
            ],
            kind,
            &mut e,
        );
        None
    };
    // A feedback the rules recognised in a mail or a chat has no form's three fields; its
    // text is the feedback, and the agent asks for more if needed.
    let feedback = if kind == Some(Kind::Feedback) && kind_by_rules {
        None
    } else if kind == Some(Kind::Feedback) {
        feedback_details(input, &mut e)
    } else {
        forbid_fields(
            &[
                ("current_feature", input.current_feature.is_some()),
                ("proposed_improvement", input.proposed_improvement.is_some()),
                ("reason", input.reason.is_some()),
            ],
            kind,
            &mut e,
        );
        None
    };

    e.0.extend(crate::attachment::check(&input.attachments));
    if !e.0.is_empty() {
        return Err(Rejection::Invalid(e.0));
    }
    let (Some(kind), Some(channel), Some(name), Some(subject), Some(description)) =
        (kind, channel, name, subject, description)
    else {
        unreachable!("every missing value pushed an error above");
    };
    let placed = match door_department {
        Some(door) if topic.is_none() && kind != Kind::Complaint => {
            place_at_door(door, &classified, policy)
        }
        _ => place(kind, topic, topic_department, &classified, policy),
    };
    let time_barred = complaint.as_ref().and_then(|c| time_bar(c, policy, now));
    let priority = classified.priority.unwrap_or(Priority::Normal);
    // RT-3: feedback is tagged with the feature or performance area it concerns.
    let feature_area = classified
        .feature_area
        .clone()
        .filter(|_| kind == Kind::Feedback);
    let suggested_topic = classified
        .topic
        .clone()
        .filter(|t| placed.topic.as_deref() != Some(t));
    let mut applied = Vec::new();
    if kind_by_rules && classified.kind.is_some() {
        applied.push("kind".to_owned());
    }
    if placed.topic_by_rules {
        applied.push("topic".to_owned());
    }
    if classified.priority.is_some() {
        applied.push("priority".to_owned());
    }
    if feature_area.is_some() {
        applied.push("feature_area".to_owned());
    }
    if kind_by_rules && kind == Kind::Complaint && classified.complaint_category.is_some() {
        applied.push("complaint_category".to_owned());
    }
    let classification = ClassificationNote {
        matched: classified.matched,
        other_topics: classified.other_topics,
        applied,
        unclassified: placed.unclassified,
    };
    let (topic, department) = (placed.topic, placed.department);
    Ok(Intake {
        received: Received {
            code: String::new(),
            kind,
            channel,
            department,
            topic,
            priority,
            customer: CustomerDetails {
                name,
                email: email.map(|e| e.as_str().to_owned()),
                phone: phone.map(|p| p.as_str().to_owned()),
                address,
                language: None,
            },
            subject,
            description,
            complaint,
            feedback,
            policy_version: policy.version.clone(),
            time_barred,
            suggested_topic,
            attachments: input.attachments.clone(),
            feature_area,
            classification: Some(classification),
        },
    })
}

/// The text the rules read: everything the customer wrote, in the order a form asks for it.
fn classified_text(input: &NewTicket) -> String {
    [
        &input.subject,
        &input.description,
        &input.current_feature,
        &input.proposed_improvement,
        &input.reason,
        &input.requested_resolution,
    ]
    .into_iter()
    .flatten()
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join("\n")
}

/// Where a ticket goes, and whether the rules placed it.
struct Placed {
    topic: Option<String>,
    department: String,
    topic_by_rules: bool,
    unclassified: bool,
}

/// RT-2, RT-3: a topic the sender chose decides the department. Otherwise the rules' topic
/// does when they are sure of it (one topic, no other in the text) — except for a complaint,
/// which the complaint department handles whatever it is about, keeping the topic only when
/// it is that department's own. A complaint the rules found no topic for still has its
/// department; anything else they cannot place goes to the triage department, marked
/// unclassified, never to a queue nobody staffs.
fn place(
    kind: Kind,
    chosen: Option<String>,
    chosen_department: Option<String>,
    classified: &Classification,
    policy: &Policy,
) -> Placed {
    if let (Some(topic), Some(department)) = (chosen, chosen_department) {
        return Placed {
            topic: Some(topic),
            department,
            topic_by_rules: false,
            unclassified: false,
        };
    }
    let sure = classified
        .topic
        .as_deref()
        .filter(|_| classified.is_sure())
        .and_then(|t| policy.department_of_topic(t).map(|d| (t, d.id.as_str())));
    match (kind, sure) {
        (Kind::Complaint, sure) => {
            let department = policy.default_department(Kind::Complaint).to_owned();
            let topic = sure
                .filter(|(_, d)| *d == department)
                .map(|(t, _)| t.to_owned());
            Placed {
                topic_by_rules: topic.is_some(),
                topic,
                department,
                unclassified: false,
            }
        }
        (_, Some((topic, department))) => Placed {
            topic: Some(topic.to_owned()),
            department: department.to_owned(),
            topic_by_rules: true,
            unclassified: false,
        },
        (_, None) => Placed {
            topic: None,
            department: policy.triage_department().to_owned(),
            topic_by_rules: false,
            // A form's request without a topic is sorted by triage like any unplaced text;
            // the mark tells the agent the rules found nothing sure to go on.
            unclassified: true,
        },
    }
}

/// CH-3: a contact through a department's own door (the chat widget on that department's
/// page) without a chosen topic goes to that department, not to triage: the visitor chose it
/// by where they asked. The rules still give the topic when they are sure of one of its own.
/// A complaint is not placed here: the complaint department handles complaints whatever door
/// they came through (RT-2), so the caller keeps the ordinary placement for it.
fn place_at_door(door: String, classified: &Classification, policy: &Policy) -> Placed {
    let topic = classified
        .topic
        .as_deref()
        .filter(|_| classified.is_sure())
        .filter(|t| policy.department_of_topic(t).is_some_and(|d| d.id == door))
        .map(str::to_owned);
    Placed {
        topic_by_rules: topic.is_some(),
        // Still a matter for triage to sort when the door is the triage department itself
        // (the widget named no department this policy has) and no rule placed it.
        unclassified: topic.is_none() && door == policy.triage_department(),
        topic,
        department: door,
    }
}

/// SL-4 for a complaint the rules found in a mail or a chat: the incident date the text
/// states, else the day it was received; the category a rule gives, else service quality
/// (the longer bar: a mail is never refused for what no form asked it). Fields the sender
/// did give are used when they read.
fn complaint_from_text(
    input: &NewTicket,
    classified: &Classification,
    now: Timestamp,
) -> ComplaintDetails {
    let today = now.to_zoned(vietnam_zone()).date();
    let given = input
        .incident_date
        .as_deref()
        .and_then(|d| d.trim().parse::<Date>().ok())
        .filter(|d| *d <= today);
    let incident_date = given
        .or_else(|| crate::incident::date_in_text(&classified_text(input), today))
        .unwrap_or(today);
    let category = input
        .complaint_category
        .as_deref()
        .and_then(ComplaintCategory::parse)
        .or(classified.complaint_category)
        .unwrap_or(ComplaintCategory::ServiceQuality);
    ComplaintDetails {
        incident_date,
        category,
        requested_resolution: None,
    }
}

/// SL-4: a complaint more than the policy's days after its incident is time-barred. Days are
/// counted between Vietnamese calendar dates, the way a customer counts them.
pub fn time_bar(c: &ComplaintDetails, policy: &Policy, now: Timestamp) -> Option<TimeBarred> {
    let today = now.to_zoned(vietnam_zone()).date();
    // `until` between dates counts whole days unless asked for larger units.
    let days: i64 = c
        .incident_date
        .until(today)
        .map_or(0, |span| span.get_days().into());
    let limit = policy.time_bar.days(c.category);
    (days > i64::from(limit)).then_some(TimeBarred {
        category: c.category,
        limit_days: limit,
        days_after_incident: days,
    })
}

/// Fields of another kind are refused rather than silently dropped: the customer
/// probably chose the wrong form, and dropping what they wrote would lose it.
fn forbid_fields(fields: &[(&str, bool)], kind: Option<Kind>, e: &mut Errors) {
    if kind.is_none() {
        return;
    }
    for (field, present) in fields {
        if *present {
            e.push(field, "not_for_kind");
        }
    }
}

fn complaint_details(
    input: &NewTicket,
    now: Timestamp,
    e: &mut Errors,
) -> Option<ComplaintDetails> {
    let today = now.to_zoned(vietnam_zone()).date();
    let incident_date = match input.incident_date.as_deref().map(str::trim) {
        None | Some("") => {
            e.push("incident_date", "required");
            None
        }
        Some(raw) => match raw.parse::<Date>() {
            Err(_) => {
                e.push("incident_date", "date");
                None
            }
            Ok(d) if d > today => {
                e.push("incident_date", "date.future");
                None
            }
            Ok(d) => Some(d),
        },
    };
    let category = match input.complaint_category.as_deref() {
        None => {
            e.push("complaint_category", "required");
            None
        }
        Some(c) => ComplaintCategory::parse(c).or_else(|| {
            e.push("complaint_category", "one_of");
            None
        }),
    };
    let requested_resolution = e
        .take(text::optional(
            "requested_resolution",
            input.requested_resolution.as_deref(),
            limits::SHORT_TEXT,
        ))
        .flatten();
    Some(ComplaintDetails {
        incident_date: incident_date?,
        category: category?,
        requested_resolution,
    })
}

fn feedback_details(input: &NewTicket, e: &mut Errors) -> Option<FeedbackDetails> {
    let mut field = |name: &str, value: &Option<String>| {
        e.take(text::required(
            name,
            value.as_deref().unwrap_or(""),
            limits::SHORT_TEXT,
        ))
    };
    let current_feature = field("current_feature", &input.current_feature);
    let proposed_improvement = field("proposed_improvement", &input.proposed_improvement);
    let reason = field("reason", &input.reason);
    Some(FeedbackDetails {
        current_feature: current_feature?,
        proposed_improvement: proposed_improvement?,
        reason: reason?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-20T03:00:00Z".parse().unwrap()
    }

    fn complaint() -> NewTicket {
        NewTicket {
            kind: Some("complaint".into()),
            customer_name: Some("Nguyễn Văn An".into()),
            customer_email: Some("an@example.vn".into()),
            subject: Some("Dịch vụ hosting gián đoạn".into()),
            description: Some("Website ngừng hoạt động ba ngày.".into()),
            incident_date: Some("2026-11-10".into()),
            complaint_category: Some("service_quality".into()),
            ..NewTicket::default()
        }
    }

    fn rules(r: Result<Intake, Rejection>) -> Vec<(String, String)> {
        match r {
            Err(Rejection::Invalid(f)) => f.into_iter().map(|f| (f.field, f.rule)).collect(),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn complete_complaint_routes_to_the_customer_department() {
        let p = Policy::builtin();
        let intake = validate(&complaint(), Source::Public, &p, now()).unwrap();
        assert_eq!(intake.department(), "customer");
        match intake.into_event("HT-2026-000001") {
            Event::Received(r) => {
                assert_eq!(r.code, "HT-2026-000001");
                assert_eq!(r.channel, Channel::Web);
                assert_eq!(r.complaint.unwrap().incident_date.to_string(), "2026-11-10");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ch6_complaint_without_incident_date_names_it() {
        let mut t = complaint();
        t.incident_date = None;
        t.complaint_category = None;
        let got = rules(validate(&t, Source::Public, &Policy::builtin(), now()));
        assert_eq!(
            got,
            vec![
                ("incident_date".into(), "required".into()),
                ("complaint_category".into(), "required".into())
            ]
        );
    }

    #[test]
    fn ch6_feedback_needs_its_three_fields_and_every_error_is_listed() {
        let t = NewTicket {
            kind: Some("feedback".into()),
            customer_name: Some("An".into()),
            customer_phone: Some("0903 123 456".into()),
            subject: Some("Góp ý".into()),
            description: Some("…".into()),
            current_feature: Some("Trang hóa đơn".into()),
            incident_date: Some("2026-01-01".into()),
            ..NewTicket::default()
        };
        let got = rules(validate(&t, Source::Public, &Policy::builtin(), now()));
        assert_eq!(
            got,
            vec![
                ("incident_date".into(), "not_for_kind".into()),
                ("proposed_improvement".into(), "required".into()),
                ("reason".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn ch4_staff_channels_are_refused_on_the_public_form() {
        let mut t = complaint();
        t.channel = Some("walk_in".into());
        let got = rules(validate(&t, Source::Public, &Policy::builtin(), now()));
        assert_eq!(got, vec![("channel".into(), "channel.staff_only".into())]);
        t.customer_email = None;
        t.customer_address = Some("12 Lê Lợi, Quận 1".into());
        assert!(validate(&t, Source::Staff, &Policy::builtin(), now()).is_ok());
    }

    #[test]
    fn future_incident_dates_and_unknown_topics_are_refused() {
        let mut t = complaint();
        t.incident_date = Some("2026-11-21".into());
        t.topic = Some("astrology".into());
        let got = rules(validate(&t, Source::Public, &Policy::builtin(), now()));
        assert_eq!(
            got,
            vec![
                ("topic".into(), "topic.unknown".into()),
                ("incident_date".into(), "date.future".into())
            ]
        );
    }

    #[test]
    fn rt2_topic_decides_the_department() {
        let mut t = complaint();
        t.kind = Some("request".into());
        t.incident_date = None;
        t.complaint_category = None;
        t.topic = Some("hosting_domain".into());
        let intake = validate(&t, Source::Public, &Policy::builtin(), now()).unwrap();
        assert_eq!(intake.department(), "technical");
    }
}

#[cfg(test)]
mod chat_tests {
    use super::*;

    #[test]
    fn ch3_a_chat_visitor_needs_only_a_name() {
        let input = NewTicket {
            kind: Some("request".into()),
            channel: Some("chat".into()),
            customer_name: Some("Khách".into()),
            subject: Some("Hỏi giá".into()),
            description: Some("Gói hosting giá bao nhiêu?".into()),
            ..NewTicket::default()
        };
        let now = "2026-11-20T03:00:00Z".parse().unwrap();
        assert!(validate(&input, Source::Public, &Policy::builtin(), now).is_ok());
        let web = NewTicket {
            channel: Some("web".into()),
            ..input
        };
        assert!(validate(&web, Source::Public, &Policy::builtin(), now).is_err());
    }

    fn chat(message: &str, department: Option<&str>, topic: Option<&str>) -> NewTicket {
        NewTicket {
            channel: Some("chat".into()),
            customer_name: Some("Khách".into()),
            subject: Some(message.into()),
            description: Some(message.into()),
            department: department.map(str::to_owned),
            topic: topic.map(str::to_owned),
            ..NewTicket::default()
        }
    }

    fn placed(input: &NewTicket) -> (Kind, String, Option<String>, bool) {
        let now = "2026-11-20T03:00:00Z".parse().unwrap();
        let intake = validate(input, Source::Public, &Policy::builtin(), now).unwrap();
        let Event::Received(r) = intake.into_event("HT-1") else {
            unreachable!()
        };
        let unclassified = r.classification.is_some_and(|c| c.unclassified);
        (r.kind, r.department, r.topic, unclassified)
    }

    #[test]
    fn ch3_a_chat_goes_to_the_widgets_department() {
        // Nothing the rules are sure of: the widget's department, not triage.
        let (kind, department, topic, unclassified) =
            placed(&chat("Cho tôi hỏi một chút", Some("sales"), None));
        assert_eq!(
            (kind, department.as_str(), topic, unclassified),
            (Kind::Request, "sales", None, false)
        );
        // The rules' topic is kept when it is the department's own.
        let (_, department, topic, _) =
            placed(&chat("Cho tôi xin bảng giá dịch vụ", Some("sales"), None));
        assert_eq!(department, "sales");
        assert_eq!(topic.as_deref(), Some("quotation"));
        // A topic the visitor chose decides, as on a form (RT-2).
        let (_, department, topic, _) =
            placed(&chat("Cho tôi hỏi", Some("sales"), Some("custom_design")));
        assert_eq!(department, "design");
        assert_eq!(topic.as_deref(), Some("custom_design"));
        // A complaint belongs to the complaint department whatever door it came through.
        let (kind, department, _, _) =
            placed(&chat("Tôi muốn khiếu nại về dịch vụ", Some("sales"), None));
        assert_eq!((kind, department.as_str()), (Kind::Complaint, "customer"));
        // The triage department as the door: still marked for triage to sort.
        let (_, department, _, unclassified) =
            placed(&chat("Cho tôi hỏi một chút", Some("customer"), None));
        assert_eq!((department.as_str(), unclassified), ("customer", true));
        // A department the policy does not have is refused by name.
        let now = "2026-11-20T03:00:00Z".parse().unwrap();
        let input = chat("Xin chào", Some("nowhere"), None);
        match validate(&input, Source::Public, &Policy::builtin(), now) {
            Err(Rejection::Invalid(f)) => {
                assert_eq!(
                    (f[0].field.as_str(), f[0].rule.as_str()),
                    ("department", "department.unknown")
                )
            }
            other => panic!("{other:?}"),
        }
    }
}

#[cfg(test)]
mod classification_tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-20T03:00:00Z".parse().unwrap()
    }

    fn mail(subject: &str, body: &str) -> NewTicket {
        NewTicket {
            channel: Some("email".into()),
            customer_name: Some("Lê Văn Cường".into()),
            customer_email: Some("cuong@example.vn".into()),
            subject: Some(subject.into()),
            description: Some(body.into()),
            ..NewTicket::default()
        }
    }

    fn received(intake: Intake) -> Received {
        match intake.into_event("HT-2026-000001") {
            Event::Received(r) => *r,
            other => panic!("{other:?}"),
        }
    }

    /// RT-3, SL-4: a complaint by e-mail is a complaint: the rules give its kind, the text
    /// its incident date and the rules its category; it goes to the complaint department.
    #[test]
    fn rt3_a_complaint_by_mail_is_a_complaint_with_its_date_and_department() {
        let p = Policy::builtin();
        let input = mail(
            "Khiếu nại tên miền",
            "Website bị sập từ ngày 12/11/2026, đề nghị xử lý gấp.",
        );
        let r = received(validate(&input, Source::Mail, &p, now()).unwrap());
        assert_eq!(r.kind, Kind::Complaint);
        assert_eq!(r.department, "customer");
        // hosting_domain belongs to technical: kept as the suggestion, the complaint stays.
        assert_eq!(r.topic, None);
        assert_eq!(r.suggested_topic.as_deref(), Some("hosting_domain"));
        let c = r.complaint.unwrap();
        assert_eq!(c.incident_date.to_string(), "2026-11-12");
        assert_eq!(c.category, ComplaintCategory::ServiceQuality);
        let note = r.classification.unwrap();
        assert_eq!(note.applied, ["kind"]);
        assert!(!note.unclassified);

        let input = mail(
            "Khiếu nại: hóa đơn tính sai tiền, đề nghị hoàn tiền",
            "Kính gửi công ty, hóa đơn tháng này sai.",
        );
        let r = received(validate(&input, Source::Mail, &p, now()).unwrap());
        assert_eq!(r.kind, Kind::Complaint);
        let c = r.complaint.unwrap();
        // No date in the text: the day received; money matters are business (30 days).
        assert_eq!(c.incident_date.to_string(), "2026-11-20");
        assert_eq!(c.category, ComplaintCategory::Business);
        assert_eq!(r.time_barred, None);
    }

    /// SL-4: a mail complaint whose text dates the incident past the bar is time-barred.
    #[test]
    fn sl4_a_mail_complaint_dated_past_the_bar_is_time_barred() {
        let p = Policy::builtin();
        let input = mail(
            "Khiếu nại hóa đơn",
            "Hóa đơn ngày 01/08/2026 tính sai tiền.",
        );
        let r = received(validate(&input, Source::Mail, &p, now()).unwrap());
        let barred = r.time_barred.unwrap();
        assert_eq!(barred.limit_days, 30);
        assert_eq!(barred.days_after_incident, 111);
    }

    /// RT-2: text the rules cannot place goes to triage, marked unclassified, as a request.
    #[test]
    fn rt2_unmatched_mail_goes_to_triage_marked_unclassified() {
        let p = Policy::builtin();
        let r = received(
            validate(
                &mail("Xin chào", "Tôi cần hỏi một việc."),
                Source::Mail,
                &p,
                now(),
            )
            .unwrap(),
        );
        assert_eq!(r.kind, Kind::Request);
        assert_eq!(r.department, "customer");
        assert_eq!(r.department, p.triage_department());
        assert!(r.classification.unwrap().unclassified);
        // Two matters in one text: not sure, so triage too, with both topics to choose from.
        let r = received(
            validate(
                &mail("Báo giá", "Xin báo giá hosting và thiết kế logo"),
                Source::Mail,
                &p,
                now(),
            )
            .unwrap(),
        );
        assert_eq!(r.department, "customer");
        let note = r.classification.unwrap();
        assert!(note.unclassified);
        assert_eq!(note.other_topics.len(), 2);
    }

    /// RT-3: a chat without a kind is classified like a mail; a form's kind is respected.
    #[test]
    fn rt3_chat_is_classified_and_a_forms_kind_is_respected() {
        let p = Policy::builtin();
        let chat = NewTicket {
            channel: Some("chat".into()),
            customer_name: Some("Khách".into()),
            subject: Some("Góp ý giao diện".into()),
            description: Some("Góp ý: giao diện trang quản trị khó dùng".into()),
            ..NewTicket::default()
        };
        let r = received(validate(&chat, Source::Public, &p, now()).unwrap());
        assert_eq!(r.kind, Kind::Feedback);
        assert_eq!(r.feature_area.as_deref(), Some("interface"));
        assert_eq!(r.feedback, None);
        // The API without a kind is refused: the contract makes it a field of the form.
        let api = NewTicket {
            channel: None,
            customer_email: Some("k@example.vn".into()),
            ..chat.clone()
        };
        let got = validate(&api, Source::Public, &p, now()).unwrap_err();
        assert_eq!(got, Rejection::field("kind", "required"));
        // A request on the form that says "khiếu nại" stays a request.
        let form = NewTicket {
            kind: Some("request".into()),
            subject: Some("Khiếu nại hóa đơn".into()),
            ..api
        };
        let r = received(validate(&form, Source::Public, &p, now()).unwrap());
        assert_eq!(r.kind, Kind::Request);
        assert_eq!(r.department, "sales");
        assert_eq!(r.topic.as_deref(), Some("billing"));
    }

    /// RT-3: feedback on the portal is tagged with its feature area from what it says.
    #[test]
    fn rt3_portal_feedback_is_tagged_with_its_feature_area() {
        let p = Policy::builtin();
        let input = NewTicket {
            kind: Some("feedback".into()),
            customer_name: Some("An".into()),
            customer_email: Some("an@example.vn".into()),
            subject: Some("Ý kiến về sản phẩm".into()),
            description: Some("Mong được cải thiện".into()),
            current_feature: Some("Webmail".into()),
            proposed_improvement: Some("Thêm lọc thư rác".into()),
            reason: Some("Nhiều thư rác".into()),
            ..NewTicket::default()
        };
        let r = received(validate(&input, Source::Public, &p, now()).unwrap());
        assert_eq!(r.feature_area.as_deref(), Some("mail_service"));
        assert_eq!(r.kind, Kind::Feedback);
    }
}
