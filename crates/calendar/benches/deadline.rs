//! Deadline throughput (SL-1): `add_working_minutes` for assorted starts and amounts on the three
//! built-in calendars; criterion reports deadlines per second as elements per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hotro_calendar::{WeeklySchedule, WorkingCalendar};
use jiff::Timestamp;

/// Deadlines computed per iteration.
const BATCH: usize = 4096;

/// Starts spread over 2025–2027 (weekends, nights, Tết and seconds included) with the amounts
/// the policy uses: minutes, hours, 48 working hours (SL-2), 7 and 20 working days (SL-3).
fn cases(minutes_per_day: u32) -> Vec<(Timestamp, u32)> {
    let first = Timestamp::from_second(1_735_664_400).expect("2025-01-01T00:00+07:00");
    let amounts = [
        0,
        1,
        30,
        8 * 60,
        48 * 60,
        7 * minutes_per_day,
        20 * minutes_per_day,
    ];
    // A fixed linear congruential generator keeps runs comparable without a dependency.
    let mut state: u64 = 0x2026_0217;
    (0..BATCH)
        .map(|i| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let offset = (state >> 33) as i64 % (3 * 365 * 86_400);
            let from = Timestamp::from_second(first.as_second() + offset).expect("in range");
            (from, amounts[i % amounts.len()])
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("add_working_minutes");
    group.throughput(Throughput::Elements(BATCH as u64));
    let calendars = [
        ("sales", WorkingCalendar::sales(), 420),
        ("technical", WorkingCalendar::technical(), 1440),
        ("office", WorkingCalendar::office(), 540),
    ];
    for (name, calendar, minutes_per_day) in &calendars {
        let cases = cases(*minutes_per_day);
        group.bench_function(*name, |b| {
            b.iter(|| {
                for &(from, n) in &cases {
                    let _ = black_box(calendar.add_working_minutes(black_box(from), black_box(n)));
                }
            })
        });
    }
    group.finish();

    // Building a calendar computes 201 years of holidays; the policy engine does it once.
    c.bench_function("build_office_calendar", |b| {
        b.iter(|| {
            WorkingCalendar::new(
                black_box(&WeeklySchedule::office()),
                &hotro_calendar::Overrides::new(),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
