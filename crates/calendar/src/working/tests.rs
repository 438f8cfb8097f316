//! Hand-checked deadlines (SL-1, SL-2, SL-3) for the three built-in calendars: across a
//! weekend, across Tết 2026 (Monday 16/2 to Friday 20/2 off) and across Tuesday 24/11/2026.

use super::*;
use crate::format_local;

fn at(text: &str) -> Timestamp {
    text.parse().expect("a valid literal instant")
}

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).expect("a valid literal date")
}

/// The due instant, printed as `hotro calendar due` prints it.
fn due(calendar: &WorkingCalendar, from: &str, minutes: u32) -> String {
    format_local(
        calendar
            .add_working_minutes(at(from), minutes)
            .expect("a deadline inside the tables"),
    )
}

#[test]
fn sl1_office_across_weekend_tet_and_culture_day() {
    let office = WorkingCalendar::office();
    // Friday 16:00: one hour left, then Monday 08:00–09:00.
    assert_eq!(
        due(&office, "2026-03-06T16:00:00+07:00", 120),
        "2026-03-09T09:00:00+07:00"
    );
    // A deadline may be the very end of a shift rather than the next opening.
    assert_eq!(
        due(&office, "2026-03-06T16:00:00+07:00", 60),
        "2026-03-06T17:00:00+07:00"
    );
    // Tết 2026 closes Monday 16/2 to Friday 20/2, so after Friday 13/2 comes Monday 23/2.
    assert_eq!(
        due(&office, "2026-02-13T16:00:00+07:00", 120),
        "2026-02-23T09:00:00+07:00"
    );
    // Tuesday 24/11/2026 is Ngày Văn hóa Việt Nam.
    assert_eq!(
        due(&office, "2026-11-23T16:30:00+07:00", 60),
        "2026-11-25T08:30:00+07:00"
    );
    // SL-2: 48 working hours from Monday 10:00 with 9-hour days: 7 h on Monday, 36 h to
    // Friday, then 5 h into the next Monday.
    assert_eq!(
        due(&office, "2026-03-02T10:00:00+07:00", 48 * 60),
        "2026-03-09T13:00:00+07:00"
    );
}

#[test]
fn sl1_sales_across_weekend_lunch_tet_and_culture_day() {
    let sales = WorkingCalendar::sales();
    assert_eq!(
        due(&sales, "2026-03-06T16:00:00+07:00", 60),
        "2026-03-09T08:30:00+07:00"
    );
    // The lunch break 12:00–13:30 is not working time.
    assert_eq!(
        due(&sales, "2026-03-09T11:30:00+07:00", 60),
        "2026-03-09T14:00:00+07:00"
    );
    assert_eq!(
        due(&sales, "2026-03-09T12:15:00+07:00", 0),
        "2026-03-09T13:30:00+07:00"
    );
    assert_eq!(
        due(&sales, "2026-02-13T16:00:00+07:00", 60),
        "2026-02-23T08:30:00+07:00"
    );
    assert_eq!(
        due(&sales, "2026-11-23T16:00:00+07:00", 60),
        "2026-11-25T08:30:00+07:00"
    );
    // SL-2: 7 hours a day, so 48 hours from Monday 08:00 is six days plus six hours.
    assert_eq!(
        due(&sales, "2026-03-02T08:00:00+07:00", 48 * 60),
        "2026-03-10T15:30:00+07:00"
    );
}

#[test]
fn sl1_technical_across_weekend_tet_and_culture_day() {
    let technical = WorkingCalendar::technical();
    // 24:00 on Monday and 00:00 on Tuesday join: the night is one stretch of working time.
    assert_eq!(
        technical.working_minutes_between(
            at("2026-03-09T23:00:00+07:00"),
            at("2026-03-10T01:00:00+07:00")
        ),
        120
    );
    assert!(!technical.is_working(at("2026-03-07T00:00:00+07:00")));
    assert_eq!(
        due(&technical, "2026-03-06T23:00:00+07:00", 120),
        "2026-03-09T01:00:00+07:00"
    );
    assert_eq!(
        due(&technical, "2026-03-07T10:00:00+07:00", 0),
        "2026-03-09T00:00:00+07:00"
    );
    assert_eq!(
        due(&technical, "2026-02-13T23:30:00+07:00", 60),
        "2026-02-23T00:30:00+07:00"
    );
    assert_eq!(
        due(&technical, "2026-11-23T23:00:00+07:00", 120),
        "2026-11-25T01:00:00+07:00"
    );
    assert_eq!(
        due(&technical, "2026-03-02T10:00:00+07:00", 48 * 60),
        "2026-03-04T10:00:00+07:00"
    );
    // SL-3: 20 working days from Monday 2/2 skip Tết week and end as Friday 6/3 ends.
    assert_eq!(
        due(&technical, "2026-02-02T00:00:00+07:00", 20 * 1440),
        "2026-03-07T00:00:00+07:00"
    );
}

#[test]
fn sl1_seconds_inside_a_minute_carry_through() {
    let office = WorkingCalendar::office();
    assert_eq!(
        due(&office, "2026-03-02T08:00:30+07:00", 0),
        "2026-03-02T08:00:30+07:00"
    );
    assert_eq!(
        due(&office, "2026-03-02T08:00:30+07:00", 1),
        "2026-03-02T08:01:30+07:00"
    );
    // 30 s on Friday and 30 s on Monday make the minute.
    assert_eq!(
        due(&office, "2026-03-06T16:59:30+07:00", 1),
        "2026-03-09T08:00:30+07:00"
    );
    assert_eq!(
        due(&office, "2026-03-02T07:59:59.5+07:00", 0),
        "2026-03-02T08:00:00+07:00"
    );
    assert_eq!(
        due(&office, "2026-03-02T07:59:59.5+07:00", 2),
        "2026-03-02T08:02:00+07:00"
    );
    let from = at("2026-03-06T16:59:30+07:00");
    assert_eq!(
        office.working_minutes_between(from, at("2026-03-09T08:00:29+07:00")),
        0
    );
    assert_eq!(
        office.working_minutes_between(from, at("2026-03-09T08:00:30+07:00")),
        1
    );
    assert_eq!(
        office.working_minutes_between(at("2026-03-09T08:00:30+07:00"), from),
        -1
    );
}

#[test]
fn sl1_between_counts_only_open_time() {
    let office = WorkingCalendar::office();
    let friday = at("2026-02-13T17:00:00+07:00");
    assert_eq!(
        office.working_minutes_between(friday, at("2026-02-23T08:00:00+07:00")),
        0
    );
    assert_eq!(
        office.working_minutes_between(friday, at("2026-02-23T12:00:00+07:00")),
        240
    );
    let week = office.working_minutes_between(
        at("2026-03-02T00:00:00+07:00"),
        at("2026-03-09T00:00:00+07:00"),
    );
    assert_eq!(week, 5 * 9 * 60);
}

#[test]
fn sl1_overrides_make_up_days_use_monday_hours() {
    let overrides = Overrides::new()
        .working_day(date(2026, 1, 10), "Làm bù cho ngày 02/01")
        .day_off(date(2026, 1, 2), "Nghỉ hoán đổi Tết Dương lịch");
    let sales = WorkingCalendar::new(&WeeklySchedule::sales(), &overrides);
    assert_eq!(
        sales.shifts_on(date(2026, 1, 10)),
        Ok(WeeklySchedule::sales().shifts(jiff::civil::Weekday::Monday))
    );
    assert_eq!(sales.shifts_on(date(2026, 1, 2)), Ok(&[][..]));
    // Wednesday 31/12/2025 16:00: half an hour, then 1/1 and 2/1 off and the weekend.
    assert_eq!(
        due(&sales, "2025-12-31T16:00:00+07:00", 60),
        "2026-01-05T08:30:00+07:00"
    );
    // Friday 9/1 16:00: half an hour, then the make-up Saturday opens at 08:00.
    assert_eq!(
        due(&sales, "2026-01-09T16:00:00+07:00", 60),
        "2026-01-10T08:30:00+07:00"
    );
    assert!(sales.is_working(at("2026-01-10T13:30:00+07:00")));
    assert!(!sales.is_working(at("2026-01-10T12:30:00+07:00")));
}

#[test]
fn opening_and_working_predicates() {
    let sales = WorkingCalendar::sales();
    assert!(sales.is_working(at("2026-03-09T08:00:00+07:00")));
    assert!(!sales.is_working(at("2026-03-09T12:00:00+07:00")));
    assert!(!sales.is_working(at("2026-02-17T09:00:00+07:00")));
    assert_eq!(
        sales.next_opening(at("2026-03-09T16:30:00+07:00")),
        Some(at("2026-03-10T08:00:00+07:00"))
    );
    let inside = at("2026-03-09T09:15:07+07:00");
    assert_eq!(sales.next_opening(inside), Some(inside));
}

#[test]
fn the_range_ends_cleanly() {
    let office = WorkingCalendar::office();
    let early = at("1899-12-31T23:00:00+07:00");
    assert_eq!(
        office.add_working_minutes(early, 1),
        Err(CalendarError::InstantOutOfRange(early))
    );
    assert_eq!(office.next_opening(early), None);
    assert!(!office.is_working(early));
    // Friday 31/12/2100 has nine working hours, and nothing follows.
    let last = at("2100-12-31T08:00:00+07:00");
    assert_eq!(
        due(&office, "2100-12-31T08:00:00+07:00", 540),
        "2100-12-31T17:00:00+07:00"
    );
    assert_eq!(
        office.add_working_minutes(last, 541),
        Err(CalendarError::BeyondCalendar)
    );
    assert_eq!(office.next_opening(at("2100-12-31T17:00:00+07:00")), None);
    // Time outside the tables counts as closed; Monday 1/1/1900 is Tết Dương lịch.
    assert_eq!(
        office.working_minutes_between(early, at("1900-01-02T09:00:00+07:00")),
        60
    );
    // Before 1970 jiff's fractions are negative; the split must still be exact.
    assert_eq!(
        due(&office, "1965-06-01T08:00:00.25+07:00", 1),
        "1965-06-01T08:01:00.25+07:00"
    );
}

#[test]
fn empty_schedule_has_no_deadline() {
    let closed = WorkingCalendar::new(&WeeklySchedule::new(), &Overrides::new());
    let from = at("2026-03-09T08:00:00+07:00");
    assert_eq!(
        closed.add_working_minutes(from, 1),
        Err(CalendarError::BeyondCalendar)
    );
    assert_eq!(closed.next_opening(from), None);
    assert_eq!(
        closed.working_minutes_between(from, at("2030-01-01T00:00:00Z")),
        0
    );
}
