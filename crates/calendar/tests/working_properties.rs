//! Properties of working-time arithmetic (SL-1), for each built-in calendar and for calendars
//! with overrides, over instants of 1900–2100 with arbitrary seconds and nanoseconds.
//!
//! What is proved, for every sampled `from` and `n`, with `due = add_working_minutes(from, n)`:
//! 1. `working_minutes_between(from, due) == n` (the due time has exactly n working minutes);
//! 2. for n > 0, `working_minutes_between(from, due − 1 ns) == n − 1`: no earlier instant has
//!    n working minutes, so `due` is the earliest one;
//! 3. `add_working_minutes` is monotonic in n: n₁ ≤ n₂ ⇒ due₁ ≤ due₂;
//! 4. for n > 0, `due` is working time or exactly a shift's end: a whole minute whose preceding
//!    nanosecond is working time (and it is never inside a break, night or day off);
//! 5. for n = 0, `due` is `from` when `from` is working time, else `next_opening(from)`;
//! 6. `due` agrees with a minute-by-minute walk of `is_working` (an oracle that uses neither the
//!    running totals nor the galloping search).

use std::sync::LazyLock;

use hotro_calendar::{Overrides, Shift, WeeklySchedule, WorkingCalendar};
use jiff::civil::{Date, Weekday};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

static CALENDARS: LazyLock<Vec<WorkingCalendar>> = LazyLock::new(|| {
    let overrides = Overrides::new()
        .working_day(Date::new(2026, 2, 28).unwrap(), "Làm bù")
        .day_off(Date::new(2026, 3, 4).unwrap(), "Nghỉ thêm")
        .remove(Date::new(2026, 9, 1).unwrap());
    let split = WeeklySchedule::new()
        .with_day(
            Weekday::Monday,
            &[
                Shift::parse("00:00-00:01").unwrap(),
                Shift::parse("23:59-24:00").unwrap(),
            ],
        )
        .with_day(Weekday::Wednesday, &[Shift::parse("08:00-17:00").unwrap()])
        .with_day(Weekday::Saturday, &[Shift::parse("09:00-11:00").unwrap()]);
    vec![
        WorkingCalendar::sales(),
        WorkingCalendar::technical(),
        WorkingCalendar::office(),
        WorkingCalendar::new(&WeeklySchedule::sales(), &overrides),
        WorkingCalendar::new(&split, &Overrides::new()),
    ]
});

/// 1900-01-01T00:00+07:00 and 2099-01-01T00:00+07:00 in Unix seconds: the sampled range leaves
/// two years of room so that deadlines stay inside the tables.
const FIRST_SECOND: i64 = -2_209_014_000;
const LAST_SECOND: i64 = 4_070_883_600;

fn instant() -> impl Strategy<Value = Timestamp> {
    // Half the samples start on a whole minute, where shift edges are most interesting.
    (
        FIRST_SECOND..LAST_SECOND,
        prop_oneof![Just(0i32), 0..1_000_000_000i32],
        any::<bool>(),
    )
        .prop_map(|(second, nanos, whole)| {
            let second = if whole {
                second - second.rem_euclid(60)
            } else {
                second
            };
            Timestamp::new(second, if whole { 0 } else { nanos }).unwrap()
        })
}

fn amount() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), 1..600u32, 0..40_000u32]
}

fn nanosecond() -> SignedDuration {
    SignedDuration::from_nanos(1)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sl1_due_has_exactly_n_working_minutes(which in 0..5usize, from in instant(), n in amount()) {
        let calendar = &CALENDARS[which];
        let due = calendar.add_working_minutes(from, n).unwrap();
        prop_assert!(due >= from);
        prop_assert_eq!(calendar.working_minutes_between(from, due), i64::from(n));
        if n > 0 {
            let just_before = due.checked_sub(nanosecond()).unwrap();
            prop_assert_eq!(calendar.working_minutes_between(from, just_before), i64::from(n) - 1);
            let at_shift_end = due.as_second().rem_euclid(60) == 0
                && due.subsec_nanosecond() == 0
                && calendar.is_working(just_before);
            prop_assert!(calendar.is_working(due) || at_shift_end, "{} → {}", from, due);
        } else if calendar.is_working(from) {
            prop_assert_eq!(due, from);
        } else {
            prop_assert_eq!(Some(due), calendar.next_opening(from));
            prop_assert!(calendar.is_working(due));
        }
    }

    #[test]
    fn sl1_add_is_monotonic_in_n(which in 0..5usize, from in instant(), a in amount(), b in amount()) {
        let calendar = &CALENDARS[which];
        let (low, high) = (a.min(b), a.max(b));
        let due_low = calendar.add_working_minutes(from, low).unwrap();
        let due_high = calendar.add_working_minutes(from, high).unwrap();
        prop_assert!(due_low <= due_high);
    }

    #[test]
    fn sl1_between_is_antisymmetric_and_additive(
        which in 0..5usize, a in instant(), b in instant(), c in instant()
    ) {
        let calendar = &CALENDARS[which];
        let mut points = [a, b, c];
        points.sort();
        let [a, b, c] = points;
        prop_assert_eq!(calendar.working_minutes_between(b, a), -calendar.working_minutes_between(a, b));
        // Rounding down each part loses at most one minute against the whole.
        let whole = calendar.working_minutes_between(a, c);
        let parts = calendar.working_minutes_between(a, b) + calendar.working_minutes_between(b, c);
        prop_assert!(whole - parts == 0 || whole - parts == 1);
    }

    #[test]
    fn sl1_add_agrees_with_a_minute_walk(which in 0..5usize, from in instant(), n in 1..1000u32) {
        let calendar = &CALENDARS[which];
        prop_assert_eq!(calendar.add_working_minutes(from, n).unwrap(), walk(calendar, from, n));
    }
}

/// The oracle: walk whole minutes with `is_working`, counting the working part of each.
fn walk(calendar: &WorkingCalendar, from: Timestamp, n: u32) -> Timestamp {
    let minute = SignedDuration::from_secs(60);
    let second = from.as_second().div_euclid(60) * 60;
    let start = Timestamp::from_second(second).unwrap();
    let offset = from.duration_since(start);
    let mut remaining = SignedDuration::from_secs(i64::from(n) * 60);
    // The first minute counts only from `from` on.
    let mut cursor = start;
    let mut first = true;
    loop {
        if calendar.is_working(cursor) {
            let available = if first { minute - offset } else { minute };
            if available >= remaining {
                let begin = if first { from } else { cursor };
                return begin.checked_add(remaining).unwrap();
            }
            remaining -= available;
        }
        first = false;
        cursor = cursor.checked_add(minute).unwrap();
    }
}
