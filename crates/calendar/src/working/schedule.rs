//! Weekly working hours: shifts per weekday, and the built-in department schedules of
//! CONTRACT.md (sales, technical, office).

use std::fmt;

use jiff::civil::Weekday;

use crate::{CalendarError, WeekdaySet};

/// Minutes in a local day; a shift may end at 24:00, which is this value.
pub(crate) const MINUTES_PER_DAY: u16 = 1440;

/// A span of working time within one local day, in whole minutes from midnight:
/// `start` inclusive, `end` exclusive, `end` at most 24:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shift {
    start: u16,
    end: u16,
}

impl Shift {
    /// A shift from `start` to `end` minutes after local midnight.
    pub fn from_minutes(start: u16, end: u16) -> Result<Self, CalendarError> {
        if start >= end || end > MINUTES_PER_DAY {
            return Err(CalendarError::InvalidShift(format!(
                "{start}–{end} must satisfy start < end ≤ 1440 minutes"
            )));
        }
        Ok(Shift { start, end })
    }

    /// Parses `HH:MM-HH:MM` (an en dash and spaces around it are accepted too), e.g.
    /// `08:00-12:00`, `13:30–16:30` or `00:00-24:00`.
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let invalid = || CalendarError::InvalidShift(format!("{text:?} is not HH:MM-HH:MM"));
        let (start, end) = text
            .split_once('-')
            .or_else(|| text.split_once('–'))
            .ok_or_else(invalid)?;
        let start = parse_clock(start.trim()).ok_or_else(invalid)?;
        let end = parse_clock(end.trim()).ok_or_else(invalid)?;
        Shift::from_minutes(start, end)
    }

    /// Minutes from local midnight to the start.
    pub fn start(self) -> u16 {
        self.start
    }

    /// Minutes from local midnight to the end (exclusive), 1440 for 24:00.
    pub fn end(self) -> u16 {
        self.end
    }

    /// Length in minutes.
    pub fn minutes(self) -> u16 {
        self.end - self.start
    }

    /// For the built-in schedules, whose literals are known to be valid.
    const fn at(start_hour: u16, start_minute: u16, end_hour: u16, end_minute: u16) -> Self {
        Shift {
            start: start_hour * 60 + start_minute,
            end: end_hour * 60 + end_minute,
        }
    }
}

impl fmt::Display for Shift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (s, e) = (self.start, self.end);
        write!(f, "{:02}:{:02}-{:02}:{:02}", s / 60, s % 60, e / 60, e % 60)
    }
}

/// `HH:MM` as minutes after midnight; `24:00` is the only hour-24 time.
fn parse_clock(text: &str) -> Option<u16> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: u16 = hours.parse().ok()?;
    let minutes: u16 = minutes.parse().ok()?;
    let valid = (hours < 24 && minutes < 60) || (hours == 24 && minutes == 0);
    valid.then_some(hours * 60 + minutes)
}

/// The shifts of each weekday. A weekday without shifts is a weekly day off, which is what the
/// holiday rules use to place substitute days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklySchedule {
    /// Indexed from Monday; each list sorted, with overlapping or touching shifts merged.
    days: [Vec<Shift>; 7],
}

impl WeeklySchedule {
    /// A schedule with no working time; add days with [`WeeklySchedule::with_day`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the shifts of `day`. Overlapping or touching shifts are merged, so the stored day
    /// is the union of the working time given.
    #[must_use]
    pub fn with_day(mut self, day: Weekday, shifts: &[Shift]) -> Self {
        let mut sorted = shifts.to_vec();
        sorted.sort();
        let mut merged: Vec<Shift> = Vec::with_capacity(sorted.len());
        for shift in sorted {
            match merged.last_mut() {
                Some(last) if shift.start <= last.end => last.end = last.end.max(shift.end),
                _ => merged.push(shift),
            }
        }
        self.days[day.to_monday_zero_offset() as usize] = merged;
        self
    }

    /// The same shifts Monday to Friday, Saturday and Sunday off.
    pub fn monday_to_friday(shifts: &[Shift]) -> Self {
        [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ]
        .into_iter()
        .fold(Self::new(), |schedule, day| schedule.with_day(day, shifts))
    }

    /// The shifts of `day`, sorted and disjoint.
    pub fn shifts(&self, day: Weekday) -> &[Shift] {
        &self.days[day.to_monday_zero_offset() as usize]
    }

    /// The weekly days off: the weekdays without any shift.
    pub fn rest_days(&self) -> WeekdaySet {
        (0..7)
            .map(|i| Weekday::Monday.wrapping_add(i))
            .filter(|&day| self.shifts(day).is_empty())
            .fold(WeekdaySet::EMPTY, WeekdaySet::with)
    }

    /// `sales` (Phòng kinh doanh): Monday–Friday 08:00–12:00 and 13:30–16:30, seed 001's
    /// guidance hours.
    pub fn sales() -> Self {
        Self::monday_to_friday(&[Shift::at(8, 0, 12, 0), Shift::at(13, 30, 16, 30)])
    }

    /// `technical` (Phòng kỹ thuật): Monday–Friday 00:00–24:00, support 24/24 on working days.
    pub fn technical() -> Self {
        Self::monday_to_friday(&[Shift::at(0, 0, 24, 0)])
    }

    /// `design`, `customer` and `other`: Monday–Friday 08:00–17:00 (seed 000).
    pub fn office() -> Self {
        Self::monday_to_friday(&[Shift::at(8, 0, 17, 0)])
    }

    /// The built-in schedule of a department of the built-in policy, by its code.
    pub fn for_department(department: &str) -> Option<Self> {
        match department {
            "sales" => Some(Self::sales()),
            "technical" => Some(Self::technical()),
            "design" | "customer" | "other" => Some(Self::office()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_shifts() {
        assert_eq!(Shift::parse("08:00-12:00"), Ok(Shift::at(8, 0, 12, 0)));
        assert_eq!(Shift::parse("13:30 – 16:30"), Ok(Shift::at(13, 30, 16, 30)));
        assert_eq!(Shift::parse("00:00-24:00").map(|s| s.minutes()), Ok(1440));
        assert_eq!(Shift::at(13, 30, 16, 30).to_string(), "13:30-16:30");
        for bad in [
            "8:00-12:00",
            "12:00-08:00",
            "08:00-24:01",
            "25:00-26:00",
            "08:00",
            "x",
        ] {
            assert!(Shift::parse(bad).is_err(), "{bad}");
        }
        assert!(Shift::from_minutes(10, 10).is_err());
    }

    #[test]
    fn merges_overlapping_shifts_and_finds_rest_days() {
        let schedule = WeeklySchedule::new().with_day(
            Weekday::Saturday,
            &[
                Shift::at(11, 0, 13, 0),
                Shift::at(8, 0, 12, 0),
                Shift::at(13, 0, 14, 0),
            ],
        );
        assert_eq!(schedule.shifts(Weekday::Saturday), [Shift::at(8, 0, 14, 0)]);
        assert_eq!(
            WeeklySchedule::sales().rest_days(),
            WeekdaySet::SATURDAY_SUNDAY
        );
        assert!(WeeklySchedule::for_department("customer").is_some());
        assert!(WeeklySchedule::for_department("nobody").is_none());
    }
}
