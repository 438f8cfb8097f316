//! Whole-year holiday lists (SL-1), checked by hand against the weekday of each date.

use super::*;

fn date(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).expect("a valid literal date")
}

fn lines(year: i16, overrides: &Overrides) -> Vec<String> {
    year_days(year, overrides)
        .expect("a covered year")
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn sl1_year_2026_computed() {
    assert_eq!(
        lines(2026, &Overrides::new()),
        [
            "2026-01-01\toff\tTết Dương lịch",
            // Tháng Chạp of Ất Tỵ has 29 days, so the eve is 29 Tết.
            "2026-02-16\toff\tTết Nguyên Đán (29 tháng Chạp)",
            "2026-02-17\toff\tTết Nguyên Đán (mùng 1)",
            "2026-02-18\toff\tTết Nguyên Đán (mùng 2)",
            "2026-02-19\toff\tTết Nguyên Đán (mùng 3)",
            "2026-02-20\toff\tTết Nguyên Đán (mùng 4)",
            // Giỗ Tổ falls on Sunday 26/4, so Monday 27/4 is given in its place.
            "2026-04-26\toff\tGiỗ Tổ Hùng Vương",
            "2026-04-27\toff\tNghỉ bù Giỗ Tổ Hùng Vương",
            "2026-04-30\toff\tNgày Chiến thắng",
            "2026-05-01\toff\tNgày Quốc tế Lao động",
            // 2/9 is a Wednesday: both neighbours are one day from the weekend, 1/9 wins.
            "2026-09-01\toff\tQuốc khánh (ngày liền kề)",
            "2026-09-02\toff\tQuốc khánh",
            "2026-11-24\toff\tNgày Văn hóa Việt Nam",
        ]
    );
}

#[test]
fn sl1_year_2022_substitutes_follow_weekend_holidays() {
    let all = lines(2022, &Overrides::new());
    for expected in [
        "2022-01-01\toff\tTết Dương lịch", // Saturday
        "2022-01-03\toff\tNghỉ bù Tết Dương lịch",
        "2022-04-10\toff\tGiỗ Tổ Hùng Vương", // Sunday
        "2022-04-11\toff\tNghỉ bù Giỗ Tổ Hùng Vương",
        // Saturday 30/4 and Sunday 1/5 give Monday 2/5 and Tuesday 3/5.
        "2022-05-02\toff\tNghỉ bù Ngày Chiến thắng",
        "2022-05-03\toff\tNghỉ bù Ngày Quốc tế Lao động",
        "2022-09-01\toff\tQuốc khánh (ngày liền kề)",
    ] {
        assert!(all.iter().any(|l| l == expected), "missing {expected}");
    }
    // Ngày Văn hóa Việt Nam is a day off only from 2026.
    assert!(!all.iter().any(|l| l.contains("Văn hóa")));
}

#[test]
fn sl1_tet_2023_on_a_weekend_is_made_up_after_tet() {
    let all = lines(2023, &Overrides::new());
    // 30 Tết on Saturday 21/1 and mùng 1 on Sunday 22/1; mùng 2–4 run Monday to Wednesday,
    // so the substitutes are Thursday 26/1 and Friday 27/1.
    assert_eq!(
        all[1..9],
        [
            "2023-01-02\toff\tNghỉ bù Tết Dương lịch",
            "2023-01-21\toff\tTết Nguyên Đán (30 tháng Chạp)",
            "2023-01-22\toff\tTết Nguyên Đán (mùng 1)",
            "2023-01-23\toff\tTết Nguyên Đán (mùng 2)",
            "2023-01-24\toff\tTết Nguyên Đán (mùng 3)",
            "2023-01-25\toff\tTết Nguyên Đán (mùng 4)",
            "2023-01-26\toff\tNghỉ bù Tết Nguyên Đán (30 tháng Chạp)",
            "2023-01-27\toff\tNghỉ bù Tết Nguyên Đán (mùng 1)",
        ]
    );
}

#[test]
fn sl1_national_day_on_saturday_is_made_up_on_monday() {
    let all = lines(2023, &Overrides::new());
    assert!(all.contains(&"2023-09-01\toff\tQuốc khánh (ngày liền kề)".to_string()));
    assert!(all.contains(&"2023-09-04\toff\tNghỉ bù Quốc khánh".to_string()));
}

#[test]
fn sl1_overrides_add_remove_and_make_up() {
    // An example schedule: Friday 2/1 swapped for Saturday 10/1, and the Quốc khánh neighbour
    // moved from Tuesday 1/9 to Thursday 3/9.
    let overrides = Overrides::new()
        .day_off(date(2026, 1, 2), "Nghỉ hoán đổi Tết Dương lịch")
        .working_day(date(2026, 1, 10), "Làm bù cho ngày 02/01")
        .replace(
            date(2026, 9, 1),
            date(2026, 9, 3),
            "Quốc khánh (ngày liền kề)",
        )
        .day_off(date(2027, 1, 4), "not this year");
    let all = lines(2026, &overrides);
    assert_eq!(
        all[..3],
        [
            "2026-01-01\toff\tTết Dương lịch",
            "2026-01-02\toff\tNghỉ hoán đổi Tết Dương lịch",
            "2026-01-10\twork\tLàm bù cho ngày 02/01",
        ]
    );
    assert!(!all.iter().any(|l| l.starts_with("2026-09-01")));
    assert!(all.contains(&"2026-09-03\toff\tQuốc khánh (ngày liền kề)".to_string()));
    assert_eq!(all.len(), 15);
}

#[test]
fn substitutes_avoid_dates_fixed_by_overrides() {
    // Monday 27/4/2026 is declared worked (a weekday make-up, unusual but allowed), so the
    // substitute for Sunday's Giỗ Tổ moves to Tuesday 28/4.
    let overrides = Overrides::new().working_day(date(2026, 4, 27), "Làm bù");
    let all = lines(2026, &overrides);
    assert!(all.contains(&"2026-04-27\twork\tLàm bù".to_string()));
    assert!(all.contains(&"2026-04-28\toff\tNghỉ bù Giỗ Tổ Hùng Vương".to_string()));
}

#[test]
fn other_weekly_rest_days_change_the_substitutes() {
    // A department working Saturdays only rests on Sunday: Saturday holidays are not made up.
    let sunday = WeekdaySet::from_weekdays(&[Weekday::Sunday]);
    let days = year_days_with_rest(2022, &Overrides::new(), sunday).unwrap();
    let text = format_year(&days);
    assert!(!text.contains("Nghỉ bù Tết Dương lịch"));
    assert!(!text.contains("Nghỉ bù Ngày Chiến thắng"));
    // Sunday 1/5 is made up on Monday 2/5.
    assert!(text.contains("2022-05-02\toff\tNghỉ bù Ngày Quốc tế Lao động\n"));
}

#[test]
fn every_year_is_computable_and_sorted() {
    for year in crate::FIRST_YEAR..=crate::LAST_YEAR {
        let days = year_days(year, &Overrides::new()).unwrap();
        assert!(days.windows(2).all(|w| w[0].date < w[1].date), "{year}");
        assert!(days.iter().all(|d| d.date.year() == year), "{year}");
        // 11 statutory days (12 from 2026), fewer only when two coincide, plus substitutes.
        assert!(days.len() >= 10, "{year}");
    }
    assert_eq!(
        year_days(1899, &Overrides::new()),
        Err(CalendarError::YearOutOfRange(1899))
    );
}
