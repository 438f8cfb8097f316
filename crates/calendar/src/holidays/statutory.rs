//! The statutory public holidays of one year (Labour Code 2019 Art. 112 §1, and Ngày Văn hóa
//! Việt Nam from 2026), before substitute days and overrides.

use super::{CalendarDay, DayKind, weekday_of};
use crate::days::{check_year, date_from_unix_day, days_from_civil, unix_day};
use crate::lunar::{self, LunarDate};
use crate::{CalendarError, WeekdaySet};

/// The first year in which 24/11, Ngày Văn hóa Việt Nam, is a paid day off (Politburo
/// Resolution 80-NQ/TW, January 2026).
const CULTURE_DAY_FROM: i16 = 2026;

/// The statutory holidays of `year`, sorted by date, for a week whose days off are `rest`:
///
/// - 1/1 Tết Dương lịch;
/// - Tết Nguyên Đán, five days: by default the last day of the lunar year (29 or 30 tháng
///   Chạp) and mùng 1 to mùng 4. The Prime Minister fixes the real schedule each year, usually
///   around this core; the per-year overrides express it;
/// - 10/3 lunar, Giỗ Tổ Hùng Vương;
/// - 30/4 Ngày Chiến thắng and 1/5 Ngày Quốc tế Lao động;
/// - 2/9 Quốc khánh plus one adjacent day: whichever of 1/9 and 3/9 is a working day, the one
///   nearer the weekly days off when both are, and 1/9 on a tie;
/// - from 2026, 24/11 Ngày Văn hóa Việt Nam.
///
/// Two holidays on one date (Giỗ Tổ fell on 30/4 in 1947) make one day off named after both.
pub fn statutory_days(year: i16, rest: WeekdaySet) -> Result<Vec<CalendarDay>, CalendarError> {
    check_year(year)?;
    let y = i64::from(year);
    let mut days: Vec<(i64, String)> = vec![(days_from_civil(y, 1, 1), "Tết Dương lịch".into())];

    let tet = unix_day(lunar::tet(year)?);
    let eve = date_from_unix_day(tet - 1).ok_or(CalendarError::YearOutOfRange(year.into()))?;
    let eve_day = lunar::to_lunar(eve)?.day;
    days.push((tet - 1, format!("Tết Nguyên Đán ({eve_day} tháng Chạp)")));
    for i in 0..4 {
        days.push((tet + i, format!("Tết Nguyên Đán (mùng {})", i + 1)));
    }

    let gio_to = lunar::from_lunar(LunarDate::new(year, 3, 10))?;
    days.push((unix_day(gio_to), "Giỗ Tổ Hùng Vương".into()));
    days.push((days_from_civil(y, 4, 30), "Ngày Chiến thắng".into()));
    days.push((days_from_civil(y, 5, 1), "Ngày Quốc tế Lao động".into()));
    days.push((days_from_civil(y, 9, 2), "Quốc khánh".into()));
    days.push((
        national_day_neighbour(year, rest),
        "Quốc khánh (ngày liền kề)".into(),
    ));
    if year >= CULTURE_DAY_FROM {
        days.push((days_from_civil(y, 11, 24), "Ngày Văn hóa Việt Nam".into()));
    }

    days.sort_by_key(|(day, _)| *day);
    let mut result: Vec<CalendarDay> = Vec::with_capacity(days.len());
    for (day, name) in days {
        let date = date_from_unix_day(day).ok_or(CalendarError::YearOutOfRange(year.into()))?;
        match result.last_mut() {
            Some(CalendarDay {
                date: last,
                kind: DayKind::Off { name: last_name },
            }) if *last == date => {
                last_name.push_str(", ");
                last_name.push_str(&name);
            }
            _ => result.push(CalendarDay::off(date, name)),
        }
    }
    Ok(result)
}

/// The day next to 2/9 that Art. 112 adds to Quốc khánh ("01 ngày liền kề trước hoặc sau"),
/// counted from 1970-01-01.
///
/// The rule: take whichever of 1/9 and 3/9 is a working day; when both are, take the one
/// closer to the weekly days off, so that the holiday joins the weekend; on a tie (2/9 on a
/// Wednesday) take 1/9. With Saturday and Sunday off this gives, by weekday of 2/9:
/// Mon → 3/9, Tue → 1/9, Wed → 1/9, Thu → 3/9, Fri → 1/9, Sat → 1/9 (and 2/9 is made up on
/// Monday 4/9), Sun → 3/9 (and 2/9 is made up on Tuesday 4/9). It matches the schedules the
/// government chose for 2021–2025 (3/9/2021, 1/9/2022, 1/9/2023, 3/9/2024, 1/9/2025).
fn national_day_neighbour(year: i16, rest: WeekdaySet) -> i64 {
    let before = days_from_civil(i64::from(year), 9, 1);
    let after = before + 2;
    let working = |day: i64| !rest.contains(weekday_of(day));
    // Distance in days from `day` to the nearest weekly day off, walking away from 2/9.
    let to_rest = |day: i64, step: i64| (1..=7).find(|&n| !working(day + n * step)).unwrap_or(8);
    match (working(before), working(after)) {
        (false, true) => after,
        (true, true) if to_rest(after, 1) < to_rest(before, -1) => after,
        _ => before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Date;

    fn neighbour(year: i16) -> Date {
        date_from_unix_day(national_day_neighbour(year, WeekdaySet::SATURDAY_SUNDAY)).unwrap()
    }

    #[test]
    fn sl1_national_day_neighbour_matches_2021_to_2025() {
        assert_eq!(neighbour(2021), Date::new(2021, 9, 3).unwrap()); // 2/9 Thursday
        assert_eq!(neighbour(2022), Date::new(2022, 9, 1).unwrap()); // Friday
        assert_eq!(neighbour(2023), Date::new(2023, 9, 1).unwrap()); // Saturday
        assert_eq!(neighbour(2024), Date::new(2024, 9, 3).unwrap()); // Monday
        assert_eq!(neighbour(2025), Date::new(2025, 9, 1).unwrap()); // Tuesday
        assert_eq!(neighbour(2026), Date::new(2026, 9, 1).unwrap()); // Wednesday: tie → 1/9
        assert_eq!(neighbour(2029), Date::new(2029, 9, 3).unwrap()); // Sunday
    }

    #[test]
    fn two_holidays_on_one_date_make_one_day() {
        let days = statutory_days(1947, WeekdaySet::SATURDAY_SUNDAY).unwrap();
        let april_30 = Date::new(1947, 4, 30).unwrap();
        let same: Vec<_> = days.iter().filter(|d| d.date == april_30).collect();
        assert_eq!(same.len(), 1);
        assert_eq!(
            same[0].kind,
            DayKind::Off {
                name: "Giỗ Tổ Hùng Vương, Ngày Chiến thắng".into()
            }
        );
    }
}
