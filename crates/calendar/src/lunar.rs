//! The Vietnamese lunar calendar (âm lịch), computed astronomically for the UTC+7 meridian
//! with Hồ Ngọc Đức's algorithm, for solar dates from 1900-01-01 through 2100-12-31.
//!
//! A lunar month starts on the local day of a new moon. Month 11 is the month holding the
//! winter solstice; when 13 new moons separate two such months, the first month after month 11
//! that contains no major solar term (trung khí) is the leap month and repeats the previous
//! month's number. Reckoning in UTC+7 rather than UTC+8 is what makes some Vietnamese dates
//! (Tết 1968, 1985, 2007, …) differ from the Chinese calendar.

mod astro;

use std::fmt;

use jiff::civil::Date;

use crate::CalendarError;
use crate::days::{FIRST_YEAR, LAST_YEAR, check_year, date_from_jdn, days_from_civil, jdn};
use astro::{EPOCH_NEW_MOON, SYNODIC_MONTH, new_moon_day, solar_term};

/// A date of the Vietnamese lunar calendar.
///
/// The fields are public so callers can write literals; [`from_lunar`] rejects dates that do
/// not exist (a 30th day in a 29-day month, a leap flag on a month that is not leap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LunarDate {
    /// The lunar year, numbered like the solar year in which its month 1 begins.
    pub year: i16,
    /// The month, 1 (tháng Giêng) to 12 (tháng Chạp).
    pub month: u8,
    /// The day of the month, 1 to 29 or 30.
    pub day: u8,
    /// Whether this is the leap (nhuận) repetition of `month`.
    pub leap: bool,
}

impl LunarDate {
    /// A lunar date in an ordinary (non-leap) month.
    pub const fn new(year: i16, month: u8, day: u8) -> Self {
        LunarDate {
            year,
            month,
            day,
            leap: false,
        }
    }
}

impl fmt::Display for LunarDate {
    /// Writes the Vietnamese short form, e.g. `10/3/2026` or `15/6 nhuận/2025`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(f, "{}/{}{}/{}", self.day, self.month, leap, self.year)
    }
}

/// The lunar date of a solar date between 1900-01-01 and 2100-12-31.
pub fn to_lunar(date: Date) -> Result<LunarDate, CalendarError> {
    check_year(date.year())?;
    let day_number = jdn(date);
    let solar_year = i64::from(date.year());
    let k = ((day_number as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH).floor() as i64;
    // The mean lunation only estimates k; the true new moon can fall a day later than the
    // estimate allows. The original steps back once; on 2054-05-07 and 2062-04-09 that is not
    // enough (it answers "day 0 of the next month"), so we keep stepping back, which yields the
    // last day of the previous month, as the month lengths of the original imply.
    let mut month_start = new_moon_day(k + 1);
    let mut back = k;
    while month_start > day_number {
        month_start = new_moon_day(back);
        back -= 1;
    }
    // a11 and b11 are the starts of the months 11 that enclose the date.
    let mut a11 = lunar_month_11(solar_year);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = solar_year;
        a11 = lunar_month_11(solar_year - 1);
    } else {
        lunar_year = solar_year + 1;
        b11 = lunar_month_11(solar_year + 1);
    }
    let day = day_number - month_start + 1;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    // Every value is bounded by the checks above: months 1–12, days 1–30, years 1899–2100.
    Ok(LunarDate {
        year: lunar_year as i16,
        month: month as u8,
        day: day as u8,
        leap,
    })
}

/// The solar date of a lunar date, when it exists and falls between 1900-01-01 and 2100-12-31.
pub fn from_lunar(lunar: LunarDate) -> Result<Date, CalendarError> {
    let (start, length) = month_start(lunar).ok_or(CalendarError::NoSuchLunarDate(lunar))?;
    if lunar.day == 0 || i64::from(lunar.day) > length {
        return Err(CalendarError::NoSuchLunarDate(lunar));
    }
    let date = date_from_jdn(start + i64::from(lunar.day) - 1)
        .ok_or(CalendarError::NoSuchLunarDate(lunar))?;
    check_year(date.year()).map_err(|_| CalendarError::NoSuchLunarDate(lunar))?;
    Ok(date)
}

/// Mùng 1 Tết: the solar date of the first day of lunar year `year` (1900–2100).
pub fn tet(year: i16) -> Result<Date, CalendarError> {
    check_year(year)?;
    from_lunar(LunarDate::new(year, 1, 1))
}

/// The leap month of lunar year `year` (1900–2100), if it has one.
pub fn leap_month(year: i16) -> Result<Option<u8>, CalendarError> {
    check_year(year)?;
    Ok((1..=12).find(|&month| {
        month_start(LunarDate {
            year,
            month,
            day: 1,
            leap: true,
        })
        .is_some()
    }))
}

/// The number of days (29 or 30) of a lunar month of the years 1900–2100.
pub fn month_length(year: i16, month: u8, leap: bool) -> Result<u8, CalendarError> {
    check_year(year)?;
    let lunar = LunarDate {
        year,
        month,
        day: 1,
        leap,
    };
    let (_, length) = month_start(lunar).ok_or(CalendarError::NoSuchLunarDate(lunar))?;
    // A lunation lasts 29 or 30 days, so the narrowing cannot lose anything.
    Ok(length as u8)
}

/// The Julian day number on which a lunar month starts and its length in days, or `None` when
/// the month does not exist. Years one either side of the covered range are accepted so that
/// the first and last days of the range can be converted both ways.
fn month_start(lunar: LunarDate) -> Option<(i64, i64)> {
    let year = i64::from(lunar.year);
    if !(1..=12).contains(&lunar.month)
        || year < i64::from(FIRST_YEAR) - 1
        || year > i64::from(LAST_YEAR)
    {
        return None;
    }
    let month = i64::from(lunar.month);
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1), lunar_month_11(year))
    } else {
        (lunar_month_11(year), lunar_month_11(year + 1))
    };
    let k = (0.5 + (a11 as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH).floor() as i64;
    let mut off = (month - 11).rem_euclid(12);
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let leap_month = (leap_off - 2).rem_euclid(12);
        if lunar.leap && month != leap_month {
            return None;
        }
        if lunar.leap || off >= leap_off {
            off += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let start = new_moon_day(k + off);
    Some((start, new_moon_day(k + off + 1) - start))
}

/// The Julian day number on which month 11 (the winter-solstice month) of `year` starts.
fn lunar_month_11(year: i64) -> i64 {
    let off = days_from_civil(year, 12, 31) + 2_440_588 - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let new_moon = new_moon_day(k);
    // Solar term 9 starts at the winter solstice; a new moon after it belongs to month 12.
    if solar_term(new_moon) >= 9 {
        new_moon_day(k - 1)
    } else {
        new_moon
    }
}

/// How many months after the month 11 starting on `a11` the leap month comes: the first month
/// whose start has the same major solar term as the next month's start has none of its own.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = solar_term(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = solar_term(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

#[cfg(test)]
mod tests;
