//! Vietnamese public holidays, computed per year from the Labour Code 2019 (Art. 111–112) and
//! the lunar calendar, never typed in per year, plus the per-year [`Overrides`].
//!
//! The computed days off of a year are, in this order of application:
//! 1. the statutory holidays of Art. 112 §1 (see [`statutory_days`]);
//! 2. substitute days (nghỉ bù, Art. 111 §3): each statutory holiday that falls on a weekly day
//!    off gives one day off on the next working day after it that is not already off;
//! 3. the overrides, which replace whatever was computed for their dates.
//!
//! Every year of 1900–2100 is computed with today's rules (the two-day Quốc khánh of the 2019
//! code, Ngày Văn hóa Việt Nam only from 2026), because the calendar serves deadlines, not history.

mod statutory;

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::{Date, Weekday};

use crate::days::{check_year, date_from_unix_day, unix_day};
use crate::{CalendarError, Change, Overrides, WeekdaySet};
pub use statutory::statutory_days;

/// What a listed day is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DayKind {
    /// A day off: holiday, substitute day or declared extra day off, with its Vietnamese name.
    Off {
        /// e.g. "Quốc khánh", "Nghỉ bù Giỗ Tổ Hùng Vương".
        name: String,
    },
    /// A make-up working day on what would be a weekly day off.
    Work {
        /// Why it is worked.
        reason: String,
    },
}

/// A day that differs from the ordinary week: off, or worked in make-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarDay {
    /// The local (Vietnam) date.
    pub date: Date,
    /// Off or worked, with its name or reason.
    pub kind: DayKind,
}

impl CalendarDay {
    fn off(date: Date, name: impl Into<String>) -> Self {
        CalendarDay {
            date,
            kind: DayKind::Off { name: name.into() },
        }
    }

    /// Whether this is a day off.
    pub fn is_off(&self) -> bool {
        matches!(self.kind, DayKind::Off { .. })
    }
}

impl fmt::Display for CalendarDay {
    /// The `hotro calendar YEAR` line: `YYYY-MM-DD<TAB>off<TAB>name` or
    /// `YYYY-MM-DD<TAB>work<TAB>reason`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DayKind::Off { name } => write!(f, "{}\toff\t{}", self.date, name),
            DayKind::Work { reason } => write!(f, "{}\twork\t{}", self.date, reason),
        }
    }
}

/// The days of `year` that differ from an ordinary Monday–Friday week, sorted by date: public
/// holidays, substitute days and the overrides of that year.
pub fn year_days(year: i16, overrides: &Overrides) -> Result<Vec<CalendarDay>, CalendarError> {
    year_days_with_rest(year, overrides, WeekdaySet::SATURDAY_SUNDAY)
}

/// Like [`year_days`] for a week whose weekly days off are `rest` (the weekdays on which a
/// department has no shift), which decides the substitute days and Quốc khánh's adjacent day.
pub fn year_days_with_rest(
    year: i16,
    overrides: &Overrides,
    rest: WeekdaySet,
) -> Result<Vec<CalendarDay>, CalendarError> {
    check_year(year)?;
    let statutory = statutory_days(year, rest)?;
    let fixed: Vec<i64> = overrides
        .in_year(year)
        .filter(|(_, change)| !matches!(change, Change::Remove))
        .map(|(date, _)| unix_day(date))
        .collect();

    let mut days: BTreeMap<i64, DayKind> = BTreeMap::new();
    for day in &statutory {
        days.insert(unix_day(day.date), day.kind.clone());
    }
    for (day, name) in substitutes(&statutory, rest, &fixed) {
        days.insert(day, DayKind::Off { name });
    }
    for (date, change) in overrides.in_year(year) {
        let day = unix_day(date);
        match change {
            Change::Off { name } => days.insert(day, DayKind::Off { name: name.clone() }),
            Change::Work { reason } => days.insert(
                day,
                DayKind::Work {
                    reason: reason.clone(),
                },
            ),
            Change::Remove => days.remove(&day),
        };
    }
    days.into_iter()
        .map(|(day, kind)| {
            let date = date_from_unix_day(day).ok_or(CalendarError::YearOutOfRange(year.into()))?;
            Ok(CalendarDay { date, kind })
        })
        .collect()
}

/// The `hotro calendar YEAR` output: one [`CalendarDay`] line each, newline-terminated.
pub fn format_year(days: &[CalendarDay]) -> String {
    days.iter().map(|day| format!("{day}\n")).collect()
}

/// Weekday of a day counted from 1970-01-01, a Thursday.
pub(crate) fn weekday_of(day: i64) -> Weekday {
    Weekday::Thursday.wrapping_add(day.rem_euclid(7))
}

/// Substitute days (Art. 111 §3): for each holiday on a weekly day off, in date order, the next
/// working day after it that is neither a holiday, nor an earlier substitute, nor `fixed` by an
/// override. Returns `(day, name)` with days counted from 1970-01-01.
fn substitutes(statutory: &[CalendarDay], rest: WeekdaySet, fixed: &[i64]) -> Vec<(i64, String)> {
    // A week with no working day has nowhere to put a substitute.
    if rest.is_full() {
        return Vec::new();
    }
    let mut taken: Vec<i64> = statutory.iter().map(|d| unix_day(d.date)).collect();
    taken.extend_from_slice(fixed);
    let mut result = Vec::new();
    for holiday in statutory {
        let DayKind::Off { name } = &holiday.kind else {
            continue;
        };
        let day = unix_day(holiday.date);
        if !rest.contains(weekday_of(day)) {
            continue;
        }
        // At most a week of rest days plus the few holidays of one year can be in the way.
        let free =
            (day + 1..day + 60).find(|&d| !rest.contains(weekday_of(d)) && !taken.contains(&d));
        if let Some(free) = free {
            taken.push(free);
            result.push((free, format!("Nghỉ bù {name}")));
        }
    }
    result
}

#[cfg(test)]
mod tests;
