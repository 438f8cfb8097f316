//! Policy file tests: the built-in policy encodes the seeds, and every broken rule of a bad
//! file is reported with its line and field.

use super::*;

#[test]
fn builtin_policy_encodes_the_seeds() {
    let p = Policy::builtin();
    assert_eq!(p.reply.greeting, "Kính thưa quý khách");
    assert_eq!(
        p.reply.closing,
        "Cám ơn quý khách đã quan tâm đến sản phẩm và dịch vụ của chúng tôi"
    );
    let ids: Vec<&str> = p.departments.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["sales", "technical", "design", "customer", "other"]);
    assert_eq!(
        p.department_of_topic("hosting_domain").unwrap().id,
        "technical"
    );
    assert_eq!(p.default_department(Kind::Complaint), "customer");
}

#[test]
fn sl1_builtin_hours_are_the_contract_calendars() {
    let p = Policy::builtin();
    for (id, expected) in [
        ("sales", WeeklySchedule::sales()),
        ("technical", WeeklySchedule::technical()),
        ("design", WeeklySchedule::office()),
        ("customer", WeeklySchedule::office()),
        ("other", WeeklySchedule::office()),
    ] {
        assert_eq!(p.department(id).unwrap().hours, expected, "{id}");
    }
}

#[test]
fn sl2_sl3_sl4_sl6_builtin_time_limits_follow_the_seeds() {
    let p = Policy::builtin();
    let ack = p
        .acknowledge_target(Kind::Complaint, None, "customer", Priority::Normal)
        .unwrap();
    assert_eq!((ack.within, ack.unit), (48, Unit::WorkingHours));
    assert!(
        p.acknowledge_target(Kind::Feedback, None, "other", Priority::Low)
            .is_some()
    );
    assert!(
        p.acknowledge_target(Kind::Request, None, "sales", Priority::Normal)
            .is_none()
    );
    let resolve = p
        .resolve_target(Kind::Complaint, None, "customer", Priority::Normal)
        .unwrap();
    assert_eq!((resolve.within, resolve.unit), (20, Unit::CalendarDays));
    let technical = p
        .resolve_target(
            Kind::Request,
            Some("hosting_domain"),
            "technical",
            Priority::High,
        )
        .unwrap();
    assert_eq!((technical.within, technical.unit), (7, Unit::CalendarDays));
    assert_eq!(p.time_bar.service_quality_days, 90);
    assert_eq!(p.time_bar.business_days, 30);
    assert_eq!(p.sla.warning_at_percent, 75);
    assert_eq!(p.sla.next_issue_within_hours, 24);
}

fn issues(text: &str) -> Vec<(Option<usize>, String)> {
    Policy::from_toml(text)
        .unwrap_err()
        .issues
        .into_iter()
        .map(|i| (i.line, i.field))
        .collect()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn bad_policies_are_refused_with_the_field() {
    let broken = DEFAULT_POLICY_TOML.replace("complaint = \"customer\"", "complaint = \"legal\"");
    let err = Policy::from_toml(&broken).unwrap_err();
    assert!(err.to_string().contains("routing.complaint"), "{err}");
    let err = Policy::from_toml("version = 1").unwrap_err();
    assert!(err.to_string().contains("version"), "{err}");
}

#[test]
fn every_error_of_a_bad_policy_is_listed_with_line_and_field() {
    let text = DEFAULT_POLICY_TOML
        // An overlapping shift.
        .replace(
            "shifts = [\"08:00-12:00\", \"13:30-16:30\"]",
            "shifts = [\"08:00-12:00\", \"11:30-16:30\"]",
        )
        // An unknown department.
        .replace("feedback = \"customer\"", "feedback = \"marketing\"")
        // A negative duration.
        .replacen("within = 48", "within = -48", 1)
        // A topic routed nowhere.
        .replace("topic = \"quotation\"", "topic = \"astrology\"")
        + "\n[[holidays]]\ndate = \"2101-01-02\"\noff = \"Ngày tương lai\"\n";
    let got = issues(&text);
    let expected = vec![
        (
            Some(line_of(&text, "feedback = \"marketing\"")),
            "routing.feedback".to_owned(),
        ),
        (
            Some(line_of(&text, "11:30-16:30")),
            "departments[0].hours".to_owned(),
        ),
        (
            Some(line_of(&text, "within = -48")),
            "sla.acknowledge[0].within".to_owned(),
        ),
        (
            Some(line_of(&text, "astrology")),
            "classification[5].topic".to_owned(),
        ),
        (
            Some(line_of(&text, "2101-01-02")),
            "holidays[0].date".to_owned(),
        ),
    ];
    assert_eq!(got, expected);
}

#[test]
fn type_errors_in_several_sections_are_all_listed() {
    let text = DEFAULT_POLICY_TOML
        .replace("warning_at_percent = 75", "warning_at_percent = \"75%\"")
        .replace(
            "service_quality_days = 90",
            "service_quality_days = 90\nbogus = 1",
        )
        .replace("name_en = \"Design\"", "name_en = 3");
    let got = issues(&text);
    let fields: Vec<&str> = got.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(fields, ["departments[2]", "sla", "time_bar"], "{got:?}");
    assert!(got.iter().all(|(line, _)| line.is_some()), "{got:?}");
}

#[test]
fn sl1_a_policy_sets_hours_and_holiday_overrides() {
    let text = DEFAULT_POLICY_TOML.replace(
        "hours = [{ days = \"mon-fri\", shifts = [\"08:00-17:00\"] }]\ntopics = [\n  { id = \"custom_design\"",
        "hours = [{ days = \"mon-fri\", shifts = [\"08:00-12:00\"] }, { days = \"sat\", shifts = [\"08:00-11:00\"] }]\ntopics = [\n  { id = \"custom_design\"",
    ) + "\n[[holidays]]\ndate = \"2027-02-05\"\noff = \"Nghỉ Tết thêm\"\n";
    let p = Policy::from_toml(&text).unwrap();
    let design = &p.department("design").unwrap().hours;
    assert_eq!(design.shifts(jiff::civil::Weekday::Saturday).len(), 1);
    let date: Date = "2027-02-05".parse().unwrap();
    assert!(p.holidays.get(date).is_some());
    assert!(p.calendar("design").shifts_on(date).unwrap().is_empty());
}

#[test]
fn tr1_bad_notice_templates_are_listed_with_line_and_field() {
    let text = DEFAULT_POLICY_TOML
        // A status that does not exist.
        .replace("to = \"referred_external\"", "to = \"escalated\"")
        // A placeholder the template is never given.
        .replace(
            "subject_en = \"[{code}] Resolved: {subject}\"",
            "subject_en = \"[{code}] Resolved: {titel}\"",
        )
        // An empty English greeting.
        .replace("greeting_en = \"Dear customer\"", "greeting_en = \" \"");
    let got = issues(&text);
    let expected = vec![
        (
            Some(line_of(&text, "greeting_en = \" \"")),
            "notices.greeting_en".to_owned(),
        ),
        (
            Some(line_of(&text, "to = \"escalated\"")),
            "notices.status[3].to".to_owned(),
        ),
        (
            Some(line_of(&text, "{titel}")),
            "notices.status[4].subject_en".to_owned(),
        ),
    ];
    assert_eq!(got, expected);
    let message = Policy::from_toml(&text).unwrap_err().to_string();
    assert!(message.contains("unknown placeholder {titel}"), "{message}");
}

#[test]
fn tr1_a_policy_without_notices_keeps_the_builtin_wording() {
    let start = DEFAULT_POLICY_TOML.find("\n[notices]\n").unwrap();
    let end = DEFAULT_POLICY_TOML
        .find("# Where a ticket goes when neither")
        .unwrap();
    let text = format!(
        "{}{}",
        &DEFAULT_POLICY_TOML[..start],
        &DEFAULT_POLICY_TOML[end..]
    );
    let p = Policy::from_toml(&text).unwrap();
    assert_eq!(p.notices, Policy::builtin().notices);
}

#[test]
fn seed001_holiday_duty_covers_urgent_work_of_departments_that_are_off() {
    use crate::staff::Role;
    let p = Policy::builtin();
    assert_eq!(p.duty.roles, [Role::General]);
    assert_eq!(p.duty.priorities, [Priority::Urgent]);
    // Tết 2027 (mùng 2, 07/02/2027): every department is off; a general member of sales
    // covers the others' urgent work, an agent covers nothing.
    let tet: jiff::Timestamp = "2027-02-07T03:00:00Z".parse().unwrap();
    let cover = p.duty_cover(Role::General, "sales", tet);
    assert_eq!(
        cover.departments,
        ["technical", "design", "customer", "other"]
    );
    assert!(cover.covers("technical", Priority::Urgent));
    assert!(!cover.covers("technical", Priority::High));
    assert_eq!(p.duty_cover(Role::Agent, "sales", tet), Cover::default());
    // A working day: nobody covers, and general staff keep to their own department.
    let monday: jiff::Timestamp = "2026-11-23T03:00:00Z".parse().unwrap();
    assert!(p.departments_off(monday).is_empty());
    assert_eq!(
        p.duty_cover(Role::General, "sales", monday),
        Cover::default()
    );
    assert!(!Role::General.sees_all_departments());
}

#[test]
fn seed001_duty_roles_and_priorities_that_name_nothing_real_are_refused_with_their_line() {
    let text = DEFAULT_POLICY_TOML.replace(
        "roles = [\"general\"]\npriorities = [\"urgent\"]",
        "roles = [\"general\", \"janitor\"]\npriorities = [\"urgentissimo\"]",
    );
    let got = issues(&text);
    assert_eq!(
        got,
        vec![
            (Some(line_of(&text, "janitor")), "duty.roles".to_owned()),
            (
                Some(line_of(&text, "urgentissimo")),
                "duty.priorities".to_owned()
            ),
        ]
    );
}

/// RT-2, RT-3: a triage department, a rule's feature area or a feature area's phrase that
/// names nothing real is refused with its line and field.
#[test]
fn rt2_rt3_triage_and_feature_area_references_must_name_something_real() {
    let text = DEFAULT_POLICY_TOML
        .replace("triage = \"customer\"", "triage = \"reception\"")
        .replace(
            "topic = \"custom_design\"",
            "topic = \"custom_design\"\nfeature_area = \"astrology\"",
        )
        + "\n[[feature_areas]]\nid = \"performance\"\nname = \"Lặp\"\nname_en = \"Again\"\nphrases = [\" \"]\n";
    let got = issues(&text);
    let expected = vec![
        (
            Some(line_of(&text, "triage = \"reception\"")),
            "routing.triage".to_owned(),
        ),
        (
            Some(line_of(&text, "feature_area = \"astrology\"")),
            "classification[9].feature_area".to_owned(),
        ),
        (
            Some(text.lines().count() - 3),
            "feature_areas[6].id".to_owned(),
        ),
        (
            Some(text.lines().count()),
            "feature_areas[6].phrases".to_owned(),
        ),
    ];
    assert_eq!(got, expected);
}

/// RT-2: a policy file written before triage existed sends what the rules cannot place, and
/// requests and feedback without a topic, to its complaint department.
#[test]
fn rt2_a_file_without_triage_uses_the_complaint_department() {
    let text = DEFAULT_POLICY_TOML
        .replace("triage = \"customer\"\n", "")
        .replace("request = \"customer\"\n", "")
        .replace("feedback = \"customer\"\n", "")
        .replace("complaint = \"customer\"", "complaint = \"other\"");
    let p = Policy::from_toml(&text).unwrap();
    assert_eq!(p.triage_department(), "other");
    assert_eq!(p.default_department(crate::Kind::Request), "other");
    assert_eq!(p.default_department(crate::Kind::Feedback), "other");
    let builtin = Policy::builtin();
    assert_eq!(builtin.triage_department(), "customer");
    assert_eq!(builtin.default_department(crate::Kind::Request), "customer");
}
