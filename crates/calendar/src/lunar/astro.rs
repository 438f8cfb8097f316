//! Astronomy for the lunar calendar: the new-moon and sun-longitude formulas of Jean Meeus'
//! "Astronomical Algorithms" (1998) in the form Hồ Ngọc Đức published for the Vietnamese
//! calendar, kept term for term so that our dates match his tables.

use std::f64::consts::PI;

/// Vietnam's offset from UTC in hours: the lunar calendar is reckoned on the UTC+7 meridian,
/// which is what makes it differ from the Chinese (UTC+8) calendar in some years.
const TIME_ZONE: f64 = 7.0;

/// Julian day (with fraction) of the new moon of 1900-01-01 13:52 UTC, lunation 0.
pub(super) const EPOCH_NEW_MOON: f64 = 2_415_021.076_998_695;
/// Mean length of a synodic month in days.
pub(super) const SYNODIC_MONTH: f64 = 29.530_588_853;

/// The Julian day (with fraction, UTC) of the `k`-th new moon after the one of 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    // Time in Julian centuries from 1900 January 0.5.
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    // The mean new moon.
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    // The sun's mean anomaly, the moon's mean anomaly and the moon's argument of latitude.
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    // The periodic terms are summed in the published order so rounding matches the original.
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    // Delta T, the difference between dynamical time and universal time.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude in radians, normalised to `[0, 2π)`, at Julian day `jd`.
fn sun_longitude(jd: f64) -> f64 {
    // Time in Julian centuries from 2000-01-01 12:00 UTC.
    let t = (jd - 2_451_545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl = dl + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// The major solar term (0–11, each 30° of longitude, 0 starting at the March equinox) in
/// force at the local midnight that starts the day with Julian day number `day`.
pub(super) fn solar_term(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// The Julian day number of the local (UTC+7) day on which the `k`-th new moon falls.
pub(super) fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_moon_matches_the_published_examples() {
        // The values Hồ Ngọc Đức's published JavaScript (amlich-aa98.js) computes for k = ±2.
        assert!((new_moon(2) - 2_415_079.976_104_907).abs() < 1e-6);
        assert!((new_moon(-2) - 2_414_961.934_395_46).abs() < 1e-6);
    }
}
