//! `hotro audit verify`: recomputes every ticket's hash chain and finds what was edited,
//! reordered or deleted behind hotro's back (SC-3).

use crate::Store;
use crate::error::Result;
use futures_util::TryStreamExt;
use hotro_core::chain::{GENESIS, Link};
use sqlx::Row;

/// One ticket whose stored history fails the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenChain {
    pub code: String,
    /// The first event (by sequence number) where the chain breaks, when there is one.
    pub seq: Option<i64>,
    pub problem: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditReport {
    pub tickets: u64,
    pub events: u64,
    pub broken: Vec<BrokenChain>,
}

/// Walks one ticket's events in order.
struct Walk {
    ticket_id: i64,
    code: String,
    expected_seq: i64,
    prev: String,
    broken: Option<BrokenChain>,
    head_hash: String,
    event_count: i64,
}

impl Walk {
    fn finish(self, report: &mut AuditReport) {
        report.tickets += 1;
        let broken = self.broken.or_else(|| {
            let last_seq = self.expected_seq - 1;
            (last_seq != self.event_count || self.prev != self.head_hash).then(|| BrokenChain {
                code: self.code.clone(),
                seq: None,
                problem: format!(
                    "the ticket records {} events ending in {}, the log has {} ending in {}",
                    self.event_count,
                    short(&self.head_hash),
                    last_seq,
                    short(&self.prev)
                ),
            })
        });
        report.broken.extend(broken);
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

impl Store {
    /// Checks every event of every ticket, streaming, so it runs on any size of store.
    pub async fn verify_chains(&self) -> Result<AuditReport> {
        let mut report = AuditReport::default();
        let mut rows = sqlx::query(
            "SELECT t.id AS ticket_id, t.code, t.head_hash, t.event_count,
                    e.seq, e.at, e.actor, e.payload, e.prev_hash, e.hash
             FROM tickets t LEFT JOIN events e ON e.ticket_id = t.id
             ORDER BY t.id, e.seq",
        )
        .fetch(&self.pool);
        let mut walk: Option<Walk> = None;
        while let Some(row) = rows.try_next().await? {
            let ticket_id: i64 = row.try_get("ticket_id")?;
            if walk.as_ref().is_none_or(|w| w.ticket_id != ticket_id) {
                if let Some(done) = walk.take() {
                    done.finish(&mut report);
                }
                walk = Some(Walk {
                    ticket_id,
                    code: row.try_get("code")?,
                    expected_seq: 1,
                    prev: GENESIS.to_owned(),
                    broken: None,
                    head_hash: row.try_get("head_hash")?,
                    event_count: row.try_get("event_count")?,
                });
            }
            let w = walk.as_mut().expect("set above");
            let Some(seq) = row.try_get::<Option<i64>, _>("seq")? else {
                continue;
            };
            report.events += 1;
            if w.broken.is_some() {
                continue;
            }
            let at: i64 = row.try_get("at")?;
            let actor: String = row.try_get("actor")?;
            let payload: String = row.try_get("payload")?;
            let prev_hash: String = row.try_get("prev_hash")?;
            let hash: String = row.try_get("hash")?;
            let problem = if seq != w.expected_seq {
                Some(format!("event {} is missing", w.expected_seq))
            } else if prev_hash != w.prev {
                Some("the link to the previous event is broken".to_owned())
            } else {
                let link = Link {
                    prev_hash: &prev_hash,
                    ticket_code: &w.code,
                    seq,
                    at_ms: at,
                    actor: &actor,
                    payload: &payload,
                };
                (link.hash() != hash)
                    .then(|| "the event's content does not match its hash".to_owned())
            };
            if let Some(problem) = problem {
                w.broken = Some(BrokenChain {
                    code: w.code.clone(),
                    seq: Some(seq),
                    problem,
                });
            }
            w.expected_seq = seq + 1;
            w.prev = hash;
        }
        if let Some(done) = walk {
            done.finish(&mut report);
        }
        Ok(report)
    }
}
