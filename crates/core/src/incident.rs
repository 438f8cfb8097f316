//! SL-4 for mail and chat: the incident date a customer's own words state, where no form
//! asked for one. Only clear forms count ("12/11/2026", "12-11-2026", "2026-11-12",
//! "ngày 12 tháng 11 năm 2026", "12/11" in the year received); anything vaguer leaves the
//! choice to the caller, who takes the day received.

use jiff::civil::Date;

/// The first clear date in `text` that is not after `today`; a day and month without a year
/// are taken in `today`'s year, or the year before when that would be in the future.
pub fn date_in_text(text: &str, today: Date) -> Option<Date> {
    let folded = crate::policy::fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        let word = word.trim_end_matches('.');
        // A day and month alone ("1/2") is too often a fraction; "ngày 1/2" or "từ 1/2" is a date.
        let dated = i > 0 && matches!(words[i - 1], "ngay" | "tu");
        let found = numeric(word, today, dated).or_else(|| spelled(&words[i..]));
        if let Some(d) = found.filter(|d| *d <= today) {
            return Some(d);
        }
    }
    None
}

/// "12/11/2026", "12-11-2026", "12.11.2026", "2026-11-12", and "12/11" after "ngày" or "từ".
fn numeric(word: &str, today: Date, dated: bool) -> Option<Date> {
    let sep = ['/', '-', '.'].into_iter().find(|s| word.contains(*s))?;
    let parts: Vec<&str> = word.split(sep).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |s: &str| s.parse::<i16>().ok();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            Date::new(n(y)?, i8::try_from(n(m)?).ok()?, i8::try_from(n(d)?).ok()?).ok()
        }
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            Date::new(n(y)?, i8::try_from(n(m)?).ok()?, i8::try_from(n(d)?).ok()?).ok()
        }
        [d, m] if dated && sep == '/' && d.len() <= 2 && m.len() <= 2 => {
            let (d, m) = (i8::try_from(n(d)?).ok()?, i8::try_from(n(m)?).ok()?);
            let this_year = Date::new(today.year(), m, d).ok()?;
            if this_year <= today {
                Some(this_year)
            } else {
                Date::new(today.year() - 1, m, d).ok()
            }
        }
        _ => None,
    }
}

/// "ngay 12 thang 11 nam 2026" (folded), starting at `words[0] == "ngay"`.
fn spelled(words: &[&str]) -> Option<Date> {
    match words {
        ["ngay", d, "thang", m, "nam", y, ..] => {
            let y = y.trim_end_matches('.');
            Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn sl4_clear_dates_in_vietnamese_text_are_found() {
        let today = date(2026, 11, 20);
        assert_eq!(
            date_in_text("Website bị sập từ ngày 12/11/2026, rất bất tiện.", today),
            Some(date(2026, 11, 12))
        );
        assert_eq!(
            date_in_text("Sự cố ngày 3-11-2026", today),
            Some(date(2026, 11, 3))
        );
        assert_eq!(
            date_in_text("hóa đơn 2026-10-05 tính sai", today),
            Some(date(2026, 10, 5))
        );
        assert_eq!(
            date_in_text("Ngày 5 tháng 11 năm 2026 tôi nhận hóa đơn.", today),
            Some(date(2026, 11, 5))
        );
        // Without a year: this year, unless that is still to come.
        assert_eq!(
            date_in_text("từ 15/11 đến nay", today),
            Some(date(2026, 11, 15))
        );
        assert_eq!(
            date_in_text("từ 15/12 năm ngoái", today),
            Some(date(2025, 12, 15))
        );
    }

    #[test]
    fn sl4_vague_impossible_or_future_dates_are_not_taken() {
        let today = date(2026, 11, 20);
        assert_eq!(date_in_text("hôm qua website bị sập", today), None);
        assert_eq!(date_in_text("ngày 31/02/2026", today), None);
        assert_eq!(date_in_text("hẹn ngày 25/12/2026", today), None);
        assert_eq!(date_in_text("gói 1/2 năm, giá 12.000", today), None);
        assert_eq!(date_in_text("", today), None);
    }
}
