//! Latency histograms per operation, merged from every client, and the printed report.

use super::ops::{Op, Outcome};
use hdrhistogram::Histogram;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// What one operation did during a run.
pub struct OpStats {
    /// Latency of successful requests, in microseconds.
    pub latency: Histogram<u64>,
    pub ok: u64,
    /// Failed requests by HTTP status (0: no answer).
    pub failed: BTreeMap<u16, u64>,
    pub unavailable: u64,
}

impl OpStats {
    fn new() -> OpStats {
        OpStats {
            // 1 µs to 10 minutes at 3 significant digits: a few dozen KiB per operation.
            latency: Histogram::new_with_bounds(1, 600_000_000, 3).expect("the bounds are valid"),
            ok: 0,
            failed: BTreeMap::new(),
            unavailable: 0,
        }
    }
}

/// Per-operation statistics of one client, or of all once merged.
#[derive(Default)]
pub struct Stats(pub HashMap<Op, OpStats>);

impl Stats {
    pub fn record(&mut self, op: Op, outcome: Outcome, took: Duration) {
        let s = self.0.entry(op).or_insert_with(OpStats::new);
        match outcome {
            Outcome::Ok => {
                s.ok += 1;
                s.latency.saturating_record(took.as_micros().max(1) as u64);
            }
            Outcome::Failed(status) => *s.failed.entry(status).or_default() += 1,
            Outcome::Unavailable => s.unavailable += 1,
            Outcome::Skipped => {}
        }
    }

    pub fn merge(&mut self, other: Stats) {
        for (op, theirs) in other.0 {
            let mine = self.0.entry(op).or_insert_with(OpStats::new);
            // Both histograms have the same bounds, so adding cannot fail.
            let _ = mine.latency.add(&theirs.latency);
            mine.ok += theirs.ok;
            mine.unavailable += theirs.unavailable;
            for (status, n) in theirs.failed {
                *mine.failed.entry(status).or_default() += n;
            }
        }
    }

    /// The table printed after a run: throughput and latency quantiles per operation.
    pub fn render(&self, elapsed: Duration) -> String {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let ms = |us: u64| us as f64 / 1000.0;
        let mut out = format!(
            "{:<14} {:>9} {:>7} {:>10} {:>9} {:>9} {:>9} {:>9}\n",
            "operation", "ok", "errors", "ok/s", "p50 ms", "p95 ms", "p99 ms", "max ms"
        );
        let mut ops: Vec<_> = self.0.iter().collect();
        ops.sort_by_key(|(op, _)| **op);
        for (op, s) in ops {
            let errors: u64 = s.failed.values().sum();
            if s.unavailable > 0 && s.ok == 0 {
                out.push_str(&format!(
                    "{:<14} not available on this server (404)\n",
                    op.name()
                ));
                continue;
            }
            let h = &s.latency;
            out.push_str(&format!(
                "{:<14} {:>9} {:>7} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>9.2}\n",
                op.name(),
                s.ok,
                errors,
                s.ok as f64 / secs,
                ms(h.value_at_quantile(0.50)),
                ms(h.value_at_quantile(0.95)),
                ms(h.value_at_quantile(0.99)),
                ms(h.max()),
            ));
            if errors > 0 {
                let detail: Vec<String> = s
                    .failed
                    .iter()
                    .map(|(status, n)| match status {
                        0 => format!("{n} without answer"),
                        s => format!("{n} × HTTP {s}"),
                    })
                    .collect();
                out.push_str(&format!("{:<14}   errors: {}\n", "", detail.join(", ")));
            }
        }
        out
    }
}
