//! The one error type of the crate: every way a calendar question can have no answer.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::lunar::LunarDate;

/// Why a calendar computation has no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// The year lies outside 1900–2100, the range the lunar tables are computed for.
    YearOutOfRange(i32),
    /// The instant's local (UTC+7) date lies outside 1900–2100.
    InstantOutOfRange(Timestamp),
    /// The requested working time does not fit before the end of 2100 (or the calendar has no
    /// working time at all).
    BeyondCalendar,
    /// The lunar date does not exist (a 30th day of a 29-day month, a non-leap month marked leap).
    NoSuchLunarDate(LunarDate),
    /// A shift is malformed: the text says how.
    InvalidShift(String),
    /// A date given in [`crate::Overrides`] or asked about lies outside 1900–2100.
    DateOutOfRange(Date),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::YearOutOfRange(year) => {
                write!(f, "year {year} is outside the supported range 1900–2100")
            }
            CalendarError::InstantOutOfRange(at) => {
                write!(f, "instant {at} is outside the supported range 1900–2100")
            }
            CalendarError::BeyondCalendar => {
                write!(f, "the working time does not fit before the end of 2100")
            }
            CalendarError::NoSuchLunarDate(date) => write!(f, "lunar date {date} does not exist"),
            CalendarError::InvalidShift(why) => write!(f, "invalid shift: {why}"),
            CalendarError::DateOutOfRange(date) => {
                write!(f, "date {date} is outside the supported range 1900–2100")
            }
        }
    }
}

impl std::error::Error for CalendarError {}
