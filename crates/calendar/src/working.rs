//! Working time: a department's [`WorkingCalendar`] (weekly shifts plus the holiday set) and the
//! deadline arithmetic the SLA engine runs on it (SL-1).
//!
//! # Resolution
//!
//! Shifts start and end on whole local minutes, and working time is measured exactly, to the
//! nanosecond, between instants. An instant is working time when the local minute holding it
//! lies inside a shift (a shift's start is working, its end is not). So:
//!
//! - [`WorkingCalendar::add_working_minutes`]`(from, n)` is the earliest instant `t ≥ from` such
//!   that the working time in `[from, t]` is exactly `n` minutes. When `from` is inside a working
//!   minute, at `s` seconds past it, the due time keeps those seconds (`08:00:30 + 1` is
//!   `08:01:30`); otherwise it is a whole minute, possibly the very end of a shift.
//! - [`WorkingCalendar::working_minutes_between`]`(a, b)` is that working time rounded down to
//!   whole minutes, hence `working_minutes_between(from, add_working_minutes(from, n)) == n`.
//!
//! # Speed
//!
//! The calendar keeps one byte per day for 1900–2100 (which shifts apply: a weekday's, Monday's
//! for a make-up day, or none on a day off) and the running total of working minutes before
//! each day. A deadline is then a prefix-sum lookup: count the working minutes before `from`,
//! add `n`, and find the day holding that count by galloping then binary search; whole weeks and
//! months are skipped without walking them.

mod schedule;

use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::days::{DAY_COUNT, FIRST_DAY, LAST_YEAR, day_index, weekday_at_index};
use crate::holidays::{DayKind, year_days_with_rest};
use crate::{CalendarError, FIRST_YEAR, Overrides};
use schedule::MINUTES_PER_DAY;
pub use schedule::{Shift, WeeklySchedule};

/// Vietnam's fixed UTC offset in seconds (see [`crate::VIETNAM_OFFSET`]).
const OFFSET_SECONDS: i64 = 7 * 3600;
/// The Unix second of 1900-01-01T00:00:00+07:00, minute 0 of the tables.
const EPOCH_SECOND: i64 = FIRST_DAY * 86_400 - OFFSET_SECONDS;
const DAY_MINUTES: i64 = MINUTES_PER_DAY as i64;
/// Local minutes covered by the tables; minute indexes run from 0 to this, exclusive.
const TOTAL_MINUTES: i64 = DAY_COUNT as i64 * DAY_MINUTES;
const NANOS_PER_SECOND: i64 = 1_000_000_000;
/// The profile of a day off: no shifts.
const CLOSED: u8 = 7;
/// The profile of a make-up working day: Monday's shifts.
const MONDAY: u8 = 0;

/// A department's working time from 1900-01-01 through 2100-12-31, local (UTC+7) time.
///
/// Days off (public holidays, substitute days, declared days off) are closed whatever the
/// weekly schedule says; make-up working days have Monday's shifts. Outside 1900–2100 there is
/// no working time.
#[derive(Clone)]
pub struct WorkingCalendar {
    schedule: WeeklySchedule,
    /// Shifts by profile: 0–6 the weekdays from Monday, 7 closed.
    profiles: [Vec<Shift>; 8],
    /// The profile of each day from 1900-01-01; shared, so cloning a calendar is cheap.
    day_profile: Arc<[u8]>,
    /// Working minutes before each day; one entry more than days, the last being the total.
    cumulative: Arc<[u32]>,
}

impl fmt::Debug for WorkingCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkingCalendar")
            .field("schedule", &self.schedule)
            .field("working_minutes", &self.cumulative[DAY_COUNT])
            .finish_non_exhaustive()
    }
}

impl WorkingCalendar {
    /// The calendar of a weekly schedule with the Vietnamese public holidays of every year,
    /// edited by `overrides`. Substitute days follow the schedule's own weekly days off.
    pub fn new(schedule: &WeeklySchedule, overrides: &Overrides) -> Self {
        let profiles: [Vec<Shift>; 8] = std::array::from_fn(|i| match i {
            0..7 => schedule
                .shifts(jiff::civil::Weekday::Monday.wrapping_add(i as i64))
                .to_vec(),
            _ => Vec::new(),
        });
        let mut day_profile: Vec<u8> = (0..DAY_COUNT)
            .map(|i| weekday_at_index(i).to_monday_zero_offset() as u8)
            .collect();
        let rest = schedule.rest_days();
        for year in FIRST_YEAR..=LAST_YEAR {
            // The holiday rules cannot fail for a covered year (the test
            // `every_year_is_computable_and_sorted` runs them all), and overrides only pick
            // dates, so there is no error to report here.
            let days = year_days_with_rest(year, overrides, rest)
                .expect("holidays are computable for every covered year");
            for day in days {
                if let Ok(index) = day_index(day.date) {
                    day_profile[index] = match day.kind {
                        DayKind::Off { .. } => CLOSED,
                        DayKind::Work { .. } => MONDAY,
                    };
                }
            }
        }
        let profile_minutes: Vec<u32> = profiles
            .iter()
            .map(|shifts| shifts.iter().map(|s| u32::from(s.minutes())).sum())
            .collect();
        let mut cumulative = Vec::with_capacity(DAY_COUNT + 1);
        let mut total = 0u32;
        cumulative.push(total);
        for &profile in &day_profile {
            // At most 1440 × 73,414 ≈ 1.06e8 minutes, far below u32::MAX.
            total += profile_minutes[usize::from(profile)];
            cumulative.push(total);
        }
        WorkingCalendar {
            schedule: schedule.clone(),
            profiles,
            day_profile: day_profile.into(),
            cumulative: cumulative.into(),
        }
    }

    /// `sales`: Monday–Friday 08:00–12:00 and 13:30–16:30, no overrides.
    pub fn sales() -> Self {
        Self::new(&WeeklySchedule::sales(), &Overrides::new())
    }

    /// `technical`: Monday–Friday 00:00–24:00, no overrides.
    pub fn technical() -> Self {
        Self::new(&WeeklySchedule::technical(), &Overrides::new())
    }

    /// `design`, `customer`, `other`: Monday–Friday 08:00–17:00, no overrides.
    pub fn office() -> Self {
        Self::new(&WeeklySchedule::office(), &Overrides::new())
    }

    /// The weekly schedule the calendar was built from.
    pub fn schedule(&self) -> &WeeklySchedule {
        &self.schedule
    }

    /// The shifts in force on a local date: none on a day off, Monday's on a make-up day.
    pub fn shifts_on(&self, date: Date) -> Result<&[Shift], CalendarError> {
        let index = day_index(date)?;
        Ok(self.profile(index))
    }

    /// The earliest instant at which `n` working minutes have passed since `from` (it may be
    /// the very end of a shift). For `n = 0` it is `from` itself when that is working time,
    /// else the next opening.
    ///
    /// Fails when `from` lies outside 1900–2100 or the working time runs past 2100.
    pub fn add_working_minutes(&self, from: Timestamp, n: u32) -> Result<Timestamp, CalendarError> {
        let (minute, nanos) = split(from);
        if !(0..TOTAL_MINUTES).contains(&minute) {
            return Err(CalendarError::InstantOutOfRange(from));
        }
        let working = self.is_working_minute(minute);
        let day = (minute / DAY_MINUTES) as usize;
        if n == 0 {
            return if working {
                Ok(from)
            } else {
                self.opening_after(minute)
            };
        }
        let before = u64::from(self.worked_before(minute));
        if nanos > 0 && working {
            // The rest of the current minute counts; the due time lands the same number of
            // nanoseconds into the n-th working minute after it.
            let end = self.minute_of_count(before + 1 + u64::from(n), day)?;
            instant(end - 1, nanos)
        } else {
            instant(self.minute_of_count(before + u64::from(n), day)?, 0)
        }
    }

    /// Working minutes from `a` to `b`: the working time between them rounded down to whole
    /// minutes, negative when `b` is before `a`. Time outside 1900–2100 counts as closed.
    pub fn working_minutes_between(&self, a: Timestamp, b: Timestamp) -> i64 {
        if b < a {
            return -self.working_minutes_between(b, a);
        }
        let (a_minute, a_nanos) = self.clamp(split(a));
        let (b_minute, b_nanos) = self.clamp(split(b));
        let whole =
            i64::from(self.worked_before(b_minute)) - i64::from(self.worked_before(a_minute));
        // The part of a's minute before a is not between them; the part of b's minute before b is.
        let a_part = if self.in_range_working(a_minute) {
            a_nanos
        } else {
            0
        };
        let b_part = if self.in_range_working(b_minute) {
            b_nanos
        } else {
            0
        };
        whole + if b_part < a_part { -1 } else { 0 }
    }

    /// The earliest working instant at or after `at`: `at` itself when it is working time, else
    /// the start of the next shift. `None` outside 1900–2100 or when no shift follows.
    pub fn next_opening(&self, at: Timestamp) -> Option<Timestamp> {
        let (minute, _) = split(at);
        if !(0..TOTAL_MINUTES).contains(&minute) {
            return None;
        }
        if self.is_working_minute(minute) {
            Some(at)
        } else {
            self.opening_after(minute).ok()
        }
    }

    /// Whether `at` is working time: inside a shift of a working day (a shift's end is not).
    pub fn is_working(&self, at: Timestamp) -> bool {
        self.in_range_working(split(at).0)
    }

    /// The shifts of day `index`.
    fn profile(&self, index: usize) -> &[Shift] {
        &self.profiles[usize::from(self.day_profile[index])]
    }

    fn in_range_working(&self, minute: i64) -> bool {
        (0..TOTAL_MINUTES).contains(&minute) && self.is_working_minute(minute)
    }

    /// Whether local minute `minute` (in range) lies inside a shift.
    fn is_working_minute(&self, minute: i64) -> bool {
        let of_day = (minute % DAY_MINUTES) as u16;
        self.profile((minute / DAY_MINUTES) as usize)
            .iter()
            .any(|s| s.start() <= of_day && of_day < s.end())
    }

    /// Working minutes in the tables before local minute `minute` (0 ≤ minute ≤ TOTAL_MINUTES).
    fn worked_before(&self, minute: i64) -> u32 {
        let index = (minute / DAY_MINUTES) as usize;
        if index >= DAY_COUNT {
            return self.cumulative[DAY_COUNT];
        }
        let of_day = (minute % DAY_MINUTES) as u16;
        let within: u32 = self
            .profile(index)
            .iter()
            .filter(|s| s.start() < of_day)
            .map(|s| u32::from(of_day.min(s.end()) - s.start()))
            .sum();
        self.cumulative[index] + within
    }

    /// The local minute that ends the `count`-th working minute of the tables (`count ≥ 1`):
    /// the smallest minute boundary with `count` working minutes before it. `hint` is a day
    /// whose start has fewer than `count` working minutes before it.
    fn minute_of_count(&self, count: u64, hint: usize) -> Result<i64, CalendarError> {
        let cumulative = &self.cumulative;
        if count == 0 || count > u64::from(cumulative[DAY_COUNT]) {
            return Err(CalendarError::BeyondCalendar);
        }
        // Gallop forward from the hint, doubling the step, until a day start reaches the count;
        // a deadline is usually days or weeks away, so this touches only a few cache lines.
        let mut low = hint;
        let mut step = 1;
        let mut high = (low + step).min(DAY_COUNT);
        while u64::from(cumulative[high]) < count {
            low = high;
            step *= 2;
            high = (low + step).min(DAY_COUNT);
        }
        // Now cumulative[low] < count <= cumulative[high]: find the first day start reaching it.
        let first = low + 1 + cumulative[low + 1..=high].partition_point(|&c| u64::from(c) < count);
        let day = first - 1;
        // What remains is at most one day's minutes, so it fits a u16.
        let mut remaining = (count - u64::from(cumulative[day])) as u16;
        for shift in self.profile(day) {
            if remaining <= shift.minutes() {
                return Ok(day as i64 * DAY_MINUTES + i64::from(shift.start() + remaining));
            }
            remaining -= shift.minutes();
        }
        // The running totals are built from the same shifts, so the loop always returns.
        Err(CalendarError::BeyondCalendar)
    }

    /// The start of the first working minute after the closed minute `minute`.
    fn opening_after(&self, minute: i64) -> Result<Timestamp, CalendarError> {
        let count = u64::from(self.worked_before(minute)) + 1;
        let end = self.minute_of_count(count, (minute / DAY_MINUTES) as usize)?;
        instant(end - 1, 0)
    }

    /// Limits a split instant to the tables: before them is their start, after them their end.
    fn clamp(&self, (minute, nanos): (i64, i64)) -> (i64, i64) {
        if minute < 0 {
            (0, 0)
        } else if minute >= TOTAL_MINUTES {
            (TOTAL_MINUTES, 0)
        } else {
            (minute, nanos)
        }
    }
}

/// An instant as (local minute from 1900-01-01T00:00+07:00, nanoseconds into that minute).
fn split(at: Timestamp) -> (i64, i64) {
    let mut seconds = at.as_second();
    let mut nanos = i64::from(at.subsec_nanosecond());
    // Before 1970 jiff reports a negative fraction; normalise it to [0, 1 s).
    if nanos < 0 {
        seconds -= 1;
        nanos += NANOS_PER_SECOND;
    }
    let local = seconds - EPOCH_SECOND;
    (
        local.div_euclid(60),
        local.rem_euclid(60) * NANOS_PER_SECOND + nanos,
    )
}

/// The instant `nanos` nanoseconds into local minute `minute`.
fn instant(minute: i64, nanos: i64) -> Result<Timestamp, CalendarError> {
    let seconds = EPOCH_SECOND + minute * 60 + nanos / NANOS_PER_SECOND;
    // The remainder is below one second, so it fits an i32.
    Timestamp::new(seconds, (nanos % NANOS_PER_SECOND) as i32)
        .map_err(|_| CalendarError::BeyondCalendar)
}

#[cfg(test)]
mod tests;
