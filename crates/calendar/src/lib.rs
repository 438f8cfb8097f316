//! hotro-calendar: the Vietnamese lunar calendar, public holidays and working-time arithmetic
//! that the SLA engine uses to turn "48 working hours" into a due instant (SL-1).
//!
//! The crate is pure: it reads no clock, no file and no time-zone database. Callers pass
//! instants in; everything is evaluated in Vietnam's local time, a fixed UTC+07:00. A fixed
//! offset is exact for Asia/Ho_Chi_Minh over every date we compute: Vietnam has kept UTC+7
//! without daylight saving since 1975, and the whole country has done so since then, so the
//! calendar never needs a tz lookup (dates before 1975 are still reckoned in UTC+7, as the
//! lunar calendar itself is).
//!
//! - [`lunar`]: solar ↔ lunar conversion for 1900–2100 on the UTC+7 meridian.
//! - [`holidays`]: the days off of Labour Code 2019 Art. 112, substitute days (Art. 111 §3)
//!   and per-year [`Overrides`].
//! - [`working`]: [`WorkingCalendar`], weekly shifts plus holidays, with
//!   [`WorkingCalendar::add_working_minutes`] and friends.

mod days;
mod error;
pub mod holidays;
pub mod lunar;
mod overrides;
mod time;
pub mod working;

pub use days::{FIRST_YEAR, LAST_YEAR, WeekdaySet};
pub use error::CalendarError;
pub use holidays::{CalendarDay, DayKind, year_days};
pub use lunar::LunarDate;
pub use overrides::{Change, Overrides};
pub use time::{VIETNAM_OFFSET, format_local, to_local};
pub use working::{Shift, WeeklySchedule, WorkingCalendar};
