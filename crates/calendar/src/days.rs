//! Day numbers: the proleptic Gregorian arithmetic that the lunar, holiday and working-time
//! modules share, kept here so that hot paths never go through a general date library.

use jiff::civil::{Date, Weekday};

use crate::CalendarError;

/// The first year the calendar covers.
pub const FIRST_YEAR: i16 = 1900;
/// The last year the calendar covers.
pub const LAST_YEAR: i16 = 2100;

/// Julian day number of 1970-01-01, the epoch of [`days_from_civil`].
const JDN_UNIX_EPOCH: i64 = 2_440_588;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: `(year, month, day)`.
pub(crate) const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// Days since 1970-01-01 of the first covered day, 1900-01-01.
pub(crate) const FIRST_DAY: i64 = days_from_civil(FIRST_YEAR as i64, 1, 1);
/// Number of days from 1900-01-01 through 2100-12-31.
pub(crate) const DAY_COUNT: usize =
    (days_from_civil(LAST_YEAR as i64 + 1, 1, 1) - FIRST_DAY) as usize;

/// Days since 1970-01-01 of a date.
pub(crate) fn unix_day(date: Date) -> i64 {
    days_from_civil(
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    )
}

/// The date `days` after 1970-01-01, if jiff can represent it.
pub(crate) fn date_from_unix_day(days: i64) -> Option<Date> {
    let (y, m, d) = civil_from_days(days);
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// Julian day number (days since 1 January 4713 BC, Julian calendar, at noon) of a date.
pub(crate) fn jdn(date: Date) -> i64 {
    unix_day(date) + JDN_UNIX_EPOCH
}

/// The date of a Julian day number.
pub(crate) fn date_from_jdn(jdn: i64) -> Option<Date> {
    date_from_unix_day(jdn - JDN_UNIX_EPOCH)
}

/// Index of a covered date in per-day tables (0 = 1900-01-01).
pub(crate) fn day_index(date: Date) -> Result<usize, CalendarError> {
    check_year(date.year())?;
    // The year check makes the difference non-negative and below DAY_COUNT.
    Ok((unix_day(date) - FIRST_DAY) as usize)
}

/// Weekday of a per-day table index; 1900-01-01 was a Monday.
pub(crate) fn weekday_at_index(index: usize) -> Weekday {
    Weekday::Monday.wrapping_add(index as i64 % 7)
}

/// Accepts a year inside the covered range.
pub(crate) fn check_year(year: i16) -> Result<(), CalendarError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(CalendarError::YearOutOfRange(i32::from(year)))
    }
}

/// A set of weekdays, used for the weekly days off (Art. 111 of the Labour Code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct WeekdaySet(u8);

impl WeekdaySet {
    /// No weekday.
    pub const EMPTY: WeekdaySet = WeekdaySet(0);
    /// Saturday and Sunday, the weekly days off of the built-in Monday–Friday calendars.
    pub const SATURDAY_SUNDAY: WeekdaySet = WeekdaySet(0b110_0000);

    /// The set holding exactly these weekdays.
    pub fn from_weekdays(days: &[Weekday]) -> Self {
        days.iter().fold(Self::EMPTY, |set, &day| set.with(day))
    }

    /// This set plus `day`.
    #[must_use]
    pub fn with(self, day: Weekday) -> Self {
        WeekdaySet(self.0 | 1 << day.to_monday_zero_offset())
    }

    /// Whether `day` is in the set.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.to_monday_zero_offset()) != 0
    }

    /// Whether the set holds all seven weekdays.
    pub fn is_full(self) -> bool {
        self.0 == 0b111_1111
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_known_values() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
        assert_eq!(DAY_COUNT, 73_414);
        let d = Date::new(2026, 11, 24).unwrap();
        assert_eq!(jdn(d), 2_461_369);
        assert_eq!(date_from_jdn(jdn(d)), Some(d));
        assert_eq!(weekday_at_index(day_index(d).unwrap()), d.weekday());
    }
}
