//! The lunar calendar against its reference (SL-1): every lunar year 1900–2100 matches Hồ Ngọc
//! Đức's own implementation, and every solar day of 1900–2100 round-trips through the lunar
//! calendar.

use hotro_calendar::LunarDate;
use hotro_calendar::lunar::{from_lunar, leap_month, month_length, tet, to_lunar};
use jiff::ToSpan;
use jiff::civil::Date;

const REFERENCE: &str = include_str!("data/hnd_reference.txt");

#[test]
fn sl1_every_lunar_year_matches_ho_ngoc_duc() {
    let mut years = 0;
    for line in REFERENCE.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [year, tet_date, leap, lengths] = fields[..] else {
            panic!("malformed reference line {line:?}");
        };
        let year: i16 = year.parse().unwrap();
        let tet_date: Date = tet_date.parse().unwrap();
        let leap: u8 = leap.parse().unwrap();
        assert_eq!(tet(year), Ok(tet_date), "Tết {year}");
        assert_eq!(
            leap_month(year),
            Ok((leap != 0).then_some(leap)),
            "leap {year}"
        );

        let mut months = Vec::new();
        for month in 1..=12 {
            months.push((month, false));
            if month == leap {
                months.push((month, true));
            }
        }
        for ((month, is_leap), bit) in months.into_iter().zip(lengths.chars()) {
            let expected = if bit == '1' { 30 } else { 29 };
            assert_eq!(
                month_length(year, month, is_leap),
                Ok(expected),
                "{year} month {month} leap {is_leap}"
            );
        }
        years += 1;
    }
    assert_eq!(years, 201);
}

#[test]
fn sl1_every_day_1900_to_2100_round_trips() {
    let mut date = Date::new(1900, 1, 1).unwrap();
    let last = Date::new(2100, 12, 31).unwrap();
    let mut previous: Option<LunarDate> = None;
    let mut days = 0;
    loop {
        let lunar = to_lunar(date).unwrap();
        assert_eq!(from_lunar(lunar), Ok(date), "{date} → {lunar}");
        // Consecutive days either continue the month or start a new one.
        if let Some(before) = previous {
            let continues = lunar.day == before.day + 1
                && (lunar.year, lunar.month, lunar.leap)
                    == (before.year, before.month, before.leap);
            assert!(continues || lunar.day == 1, "{date}: {before} then {lunar}");
            assert!(lunar.day <= 30);
        }
        previous = Some(lunar);
        days += 1;
        if date == last {
            break;
        }
        date = date.checked_add(1.day()).unwrap();
    }
    assert_eq!(days, 73_414);
}
