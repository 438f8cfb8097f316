//! Known dates of the Vietnamese lunar calendar (SL-1): Tết, Giỗ Tổ, leap months, and the years
//! where the UTC+7 calendar parts from the Chinese one.

use super::*;

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).expect("a valid literal date")
}

#[test]
fn sl1_tet_dates_are_the_known_ones() {
    let known = [
        (2020, date(2020, 1, 25)),
        (2021, date(2021, 2, 12)),
        (2022, date(2022, 2, 1)),
        (2023, date(2023, 1, 22)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
        (2000, date(2000, 2, 5)),
        (1975, date(1975, 2, 11)),
        (1900, date(1900, 1, 31)),
        (2100, date(2100, 2, 9)),
    ];
    for (year, expected) in known {
        assert_eq!(tet(year), Ok(expected), "Tết {year}");
        assert_eq!(to_lunar(expected), Ok(LunarDate::new(year, 1, 1)));
    }
}

#[test]
fn sl1_vietnam_differs_from_china_in_1968_1985_2007() {
    // China (UTC+8) celebrated on 1968-01-30, 1985-02-20 and 2007-02-18.
    assert_eq!(tet(1968), Ok(date(1968, 1, 29)));
    assert_eq!(tet(1985), Ok(date(1985, 1, 21)));
    assert_eq!(tet(2007), Ok(date(2007, 2, 17)));
    // 2030 is another such year: the new moon falls at 2030-02-02 16:07 UTC, 23:07 in Vietnam
    // but 00:07 on 02-03 in China, so Tết Canh Tuất is 2030-02-02 here (China 2030-02-03).
    assert_eq!(tet(2030), Ok(date(2030, 2, 2)));
    // In 1985 the new moon of 1985-01-21 falls before midnight in UTC+7 but after it in UTC+8,
    // and the Chinese 1985-02-20 is mùng 1 tháng 2 in Vietnam.
    assert_eq!(to_lunar(date(1985, 2, 20)), Ok(LunarDate::new(1985, 2, 1)));
    assert_eq!(to_lunar(date(2007, 2, 18)), Ok(LunarDate::new(2007, 1, 2)));
}

#[test]
fn sl1_gio_to_hung_vuong_is_10_3_lunar() {
    for (year, expected) in [
        (2024, date(2024, 4, 18)),
        (2025, date(2025, 4, 7)),
        (2026, date(2026, 4, 26)),
    ] {
        assert_eq!(from_lunar(LunarDate::new(year, 3, 10)), Ok(expected));
    }
}

#[test]
fn leap_months_follow_the_no_major_term_rule() {
    assert_eq!(leap_month(2020), Ok(Some(4)));
    assert_eq!(leap_month(2023), Ok(Some(2)));
    assert_eq!(leap_month(2025), Ok(Some(6)));
    assert_eq!(leap_month(2026), Ok(None));
    // 2033 is the year whose leap month the simple rules get wrong; the astronomical rule gives 11.
    assert_eq!(leap_month(2033), Ok(Some(11)));
    let leap = LunarDate {
        year: 2025,
        month: 6,
        day: 1,
        leap: true,
    };
    assert_eq!(from_lunar(leap), Ok(date(2025, 7, 25)));
    assert_eq!(to_lunar(date(2025, 7, 25)), Ok(leap));
}

#[test]
fn the_day_before_a_late_new_moon_is_the_last_of_the_month() {
    // Hồ Ngọc Đức's code answers "day 0 of month 4" here; month 3 of 2054 has 30 days.
    assert_eq!(to_lunar(date(2054, 5, 7)), Ok(LunarDate::new(2054, 3, 30)));
    assert_eq!(to_lunar(date(2054, 5, 8)), Ok(LunarDate::new(2054, 4, 1)));
    assert_eq!(to_lunar(date(2062, 4, 9)), Ok(LunarDate::new(2062, 2, 30)));
}

#[test]
fn month_lengths_and_invalid_dates() {
    // Tết 2026 has no "30 Tết": tháng Chạp of Ất Tỵ has 29 days.
    assert_eq!(month_length(2025, 12, false), Ok(29));
    assert_eq!(
        to_lunar(date(2026, 2, 16)),
        Ok(LunarDate::new(2025, 12, 29))
    );
    let thirtieth = LunarDate::new(2025, 12, 30);
    assert_eq!(
        from_lunar(thirtieth),
        Err(CalendarError::NoSuchLunarDate(thirtieth))
    );
    let not_leap = LunarDate {
        year: 2026,
        month: 3,
        day: 1,
        leap: true,
    };
    assert!(from_lunar(not_leap).is_err());
    assert!(from_lunar(LunarDate::new(2026, 13, 1)).is_err());
    assert!(from_lunar(LunarDate::new(2026, 1, 0)).is_err());
}

#[test]
fn the_covered_range_ends_cleanly() {
    assert_eq!(to_lunar(date(1900, 1, 1)), Ok(LunarDate::new(1899, 12, 1)));
    assert_eq!(
        to_lunar(date(2100, 12, 31)),
        Ok(LunarDate::new(2100, 12, 1))
    );
    assert_eq!(
        from_lunar(LunarDate::new(1899, 12, 1)),
        Ok(date(1900, 1, 1))
    );
    assert_eq!(
        to_lunar(date(1899, 12, 31)),
        Err(CalendarError::YearOutOfRange(1899))
    );
    assert_eq!(
        to_lunar(date(2101, 1, 1)),
        Err(CalendarError::YearOutOfRange(2101))
    );
    assert!(from_lunar(LunarDate::new(1899, 11, 1)).is_err());
    assert_eq!(tet(2101), Err(CalendarError::YearOutOfRange(2101)));
}

#[test]
fn display_is_the_vietnamese_short_form() {
    assert_eq!(LunarDate::new(2026, 3, 10).to_string(), "10/3/2026");
    let leap = LunarDate {
        year: 2025,
        month: 6,
        day: 15,
        leap: true,
    };
    assert_eq!(leap.to_string(), "15/6 nhuận/2025");
}
