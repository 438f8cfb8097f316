//! The lead's desk (issue 16): a department's open work by the person holding it — how many
//! open tickets, the oldest one, how many of them are past a deadline now — read from the
//! tickets' rows and their stored due times (SL-2, SL-3, QF-3).

use crate::error::Result;
use crate::{Store, from_millis};
use jiff::Timestamp;
use sqlx::Row;
use std::collections::BTreeMap;

/// One line of the desk: an active member of the department (or whoever else holds its
/// tickets), or the unassigned tickets (`agent: None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentWork {
    pub agent: Option<i64>,
    pub name: Option<String>,
    /// Open tickets held.
    pub open: i64,
    /// The oldest open ticket held: its code and when it was received.
    pub oldest: Option<(String, Timestamp)>,
    /// How many of the open tickets have a deadline that passed before `now`.
    pub breached: i64,
}

impl Store {
    /// Issue 16: the open work of `department` by agent at `now`: every active member of it
    /// (with nothing too), anyone else holding its tickets, then the unassigned ones.
    pub async fn open_work(&self, department: &str, now: Timestamp) -> Result<Vec<AgentWork>> {
        let members = sqlx::query(
            "SELECT id, name FROM staff WHERE department = $1 AND active = 1 ORDER BY name, id",
        )
        .bind(department)
        .fetch_all(&self.pool)
        .await?;
        let mut lines: Vec<AgentWork> = Vec::new();
        let mut index: BTreeMap<Option<i64>, usize> = BTreeMap::new();
        for m in &members {
            let id: i64 = m.try_get("id")?;
            index.insert(Some(id), lines.len());
            lines.push(AgentWork {
                agent: Some(id),
                name: Some(m.try_get("name")?),
                open: 0,
                oldest: None,
                breached: 0,
            });
        }
        // Oldest first, so each holder's first ticket is their oldest.
        let rows = sqlx::query(
            "SELECT t.code, t.assignee_id, s.name AS assignee_name, t.received_at,
                    t.ack_due_at, t.resolve_due_at, t.start_by_at, t.sla_paused, t.time_barred
             FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id
             WHERE t.is_open = 1 AND t.department = $1
             ORDER BY t.received_at, t.id",
        )
        .bind(department)
        .fetch_all(&self.pool)
        .await?;
        let mut unassigned = AgentWork {
            agent: None,
            name: None,
            open: 0,
            oldest: None,
            breached: 0,
        };
        for r in &rows {
            let agent: Option<i64> = r.try_get("assignee_id")?;
            let line = match agent {
                None => &mut unassigned,
                Some(_) => {
                    let at = match index.get(&agent) {
                        Some(i) => *i,
                        None => {
                            index.insert(agent, lines.len());
                            lines.push(AgentWork {
                                agent,
                                name: r.try_get("assignee_name")?,
                                open: 0,
                                oldest: None,
                                breached: 0,
                            });
                            lines.len() - 1
                        }
                    };
                    &mut lines[at]
                }
            };
            line.open += 1;
            if line.oldest.is_none() {
                let received = from_millis(r.try_get("received_at")?)?;
                line.oldest = Some((r.try_get("code")?, received));
            }
            let due = crate::read::sla::due_times_of(r)?;
            let past = [due.ack_due_at, due.resolve_due_at, due.start_by_at]
                .into_iter()
                .flatten()
                .any(|d| d < now);
            line.breached += i64::from(past);
        }
        lines.push(unassigned);
        Ok(lines)
    }
}
