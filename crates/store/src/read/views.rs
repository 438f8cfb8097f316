//! Reading tickets: the department queue, a ticket with its timeline, and the customer's
//! tracking view. Department scoping (RT-4) is part of every query here.

use crate::error::{Result, StoreError};
use crate::rows::load_events;
use crate::{Store, from_millis};
use hotro_core::contact::{email_key, phone_key};
use hotro_core::{Actor, Event, EventRecord, StaffMember, Ticket};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use sqlx::Row;
use std::collections::HashMap;

/// One entry of a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub seq: i64,
    pub at: Timestamp,
    pub actor: Actor,
    /// The staff member's name, for staff actors.
    pub actor_name: Option<String>,
    /// Issue 16: for an assignment, the name of the member of staff it hands the ticket to.
    pub assignee_name: Option<String>,
    pub event: Event,
}

/// A ticket with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketView {
    pub id: i64,
    pub customer_id: i64,
    pub ticket: Ticket,
    pub assignee_name: Option<String>,
    pub timeline: Vec<TimelineEntry>,
}

/// Which part of the queue to read.
#[derive(Debug, Clone, Default)]
pub struct QueueQuery {
    /// A department to read; staff who see one department may only name their own.
    pub department: Option<String>,
    pub limit: i64,
    /// Continue after this position (from [`QueueItem::position`]).
    pub after: Option<(i64, i64, i64)>,
    /// Narrow the queue; `None` takes every value. Filters never change the order.
    pub filter: QueueFilter,
}

/// What the agent's filters keep (the stable names of the vocabularies).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub priority: Option<String>,
    pub channel: Option<String>,
    pub assignee_id: Option<i64>,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub department: String,
    pub topic: Option<String>,
    pub priority: String,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub customer_name: String,
    pub subject: String,
    pub received_at: Timestamp,
    pub updated_at: Timestamp,
    /// (priority rank, received ms, id): the queue order, usable as a cursor.
    pub position: (i64, i64, i64),
    /// The SLA due times of the read row (SL-2, SL-3, QF-3): `None` when the clock does not
    /// apply, is met, or is paused (SL-5).
    pub due: crate::DueTimes,
}

impl TicketView {
    /// The history as core records, for the rules that read it (SLA clocks).
    pub fn records(&self) -> Vec<EventRecord> {
        self.timeline
            .iter()
            .map(|e| EventRecord {
                at: e.at,
                actor: e.actor,
                event: e.event.clone(),
            })
            .collect()
    }
}

/// RT-4: the department a read is narrowed to — the one asked for by someone who sees every
/// department (or none: all of them), else the viewer's own; naming another is `NotFound`.
pub(crate) fn department_in_view(
    viewer: &StaffMember,
    asked: Option<&str>,
) -> Result<Option<String>> {
    match (asked, viewer.role.sees_all_departments()) {
        (asked, true) => Ok(asked.map(str::to_owned)),
        (Some(d), false) if d != viewer.department => Err(StoreError::NotFound),
        (_, false) => Ok(Some(viewer.department.clone())),
    }
}

impl Store {
    /// The open tickets of a department in queue order (QF-1): priority, then time received.
    pub async fn queue(&self, viewer: &StaffMember, query: &QueueQuery) -> Result<Vec<QueueItem>> {
        // Seed 001: on a department's days off, the tickets a duty member covers join their
        // queue, or are their queue when they ask for that department.
        let cover = &viewer.cover;
        let asked = query.department.as_deref();
        let covered = |d: &str| cover.departments.iter().any(|c| c == d);
        let only_covered = !viewer.role.sees_all_departments()
            && asked.is_some_and(|d| d != viewer.department && covered(d));
        let department = if only_covered {
            asked.map(str::to_owned)
        } else {
            department_in_view(viewer, asked)?
        };
        let with_cover = !viewer.role.sees_all_departments() && asked.is_none();
        let mut scope: Vec<String> = Vec::new();
        let mut sql = String::from(
            "SELECT t.id, t.code, t.kind, t.channel, t.department, t.topic, t.priority,
                    t.priority_rank, t.status, t.assignee_id, s.name AS assignee_name,
                    t.customer_name, t.subject, t.received_at, t.updated_at,
                    t.ack_due_at, t.resolve_due_at, t.start_by_at, t.sla_paused, t.time_barred
             FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id
             WHERE t.is_open = 1",
        );
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        let mut list = |items: &[String], scope: &mut Vec<String>| -> String {
            let marks: Vec<String> = items.iter().map(|_| next()).collect();
            scope.extend(items.iter().cloned());
            marks.join(", ")
        };
        let priorities: Vec<String> = cover
            .priorities
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect();
        match &department {
            Some(d) if only_covered => {
                let d = list(std::slice::from_ref(d), &mut scope);
                let p = list(&priorities, &mut scope);
                sql.push_str(&format!(" AND t.department = {d} AND t.priority IN ({p})"));
            }
            Some(d) if with_cover && !cover.departments.is_empty() && !priorities.is_empty() => {
                let own = list(std::slice::from_ref(d), &mut scope);
                let others = list(&cover.departments, &mut scope);
                let p = list(&priorities, &mut scope);
                sql.push_str(&format!(
                    " AND (t.department = {own} OR (t.department IN ({others}) \
                     AND t.priority IN ({p})))"
                ));
            }
            Some(d) => {
                let d = list(std::slice::from_ref(d), &mut scope);
                sql.push_str(&format!(" AND t.department = {d}"));
            }
            None => {}
        }
        let f = &query.filter;
        let mut texts: Vec<&str> = Vec::new();
        for (column, value) in [
            ("t.status", &f.status),
            ("t.kind", &f.kind),
            ("t.priority", &f.priority),
            ("t.channel", &f.channel),
        ] {
            if let Some(v) = value {
                sql.push_str(&format!(" AND {column} = {}", next()));
                texts.push(v);
            }
        }
        if f.assignee_id.is_some() {
            sql.push_str(&format!(" AND t.assignee_id = {}", next()));
        }
        if query.after.is_some() {
            sql.push_str(&format!(
                " AND (t.priority_rank, t.received_at, t.id) > ({}, {}, {})",
                next(),
                next(),
                next()
            ));
        }
        sql.push_str(&format!(
            " ORDER BY t.priority_rank, t.received_at, t.id LIMIT {}",
            next()
        ));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in scope {
            q = q.bind(v);
        }
        for v in texts {
            q = q.bind(v);
        }
        if let Some(a) = f.assignee_id {
            q = q.bind(a);
        }
        if let Some((rank, at, id)) = query.after {
            q = q.bind(rank).bind(at).bind(id);
        }
        let rows = q.bind(query.limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let received: i64 = r.try_get("received_at")?;
                Ok(QueueItem {
                    code: r.try_get("code")?,
                    kind: r.try_get("kind")?,
                    channel: r.try_get("channel")?,
                    department: r.try_get("department")?,
                    topic: r.try_get("topic")?,
                    priority: r.try_get("priority")?,
                    status: r.try_get("status")?,
                    assignee_id: r.try_get("assignee_id")?,
                    assignee_name: r.try_get("assignee_name")?,
                    customer_name: r.try_get("customer_name")?,
                    subject: r.try_get("subject")?,
                    received_at: from_millis(received)?,
                    updated_at: from_millis(r.try_get("updated_at")?)?,
                    position: (r.try_get("priority_rank")?, received, r.try_get("id")?),
                    due: crate::read::sla::due_times_of(r)?,
                })
            })
            .collect()
    }

    /// A ticket and its timeline, if `viewer` may see it (RT-4); otherwise `NotFound`.
    pub async fn ticket_view(&self, viewer: &StaffMember, code: &str) -> Result<TicketView> {
        let view = self.load_view(code, None).await?;
        if !viewer.may_handle_ticket(&view.ticket.department, view.ticket.priority) {
            return Err(StoreError::NotFound);
        }
        Ok(view)
    }

    /// A ticket for its reception slip: its department's staff, or whoever recorded it
    /// (the receptionist prints the slip even when the ticket goes to another department).
    pub async fn reception_view(&self, viewer: &StaffMember, code: &str) -> Result<TicketView> {
        let view = self.load_view(code, None).await?;
        let recorded_by_viewer = view
            .timeline
            .first()
            .is_some_and(|e| e.actor == Actor::Staff { id: viewer.id });
        if viewer.may_handle_ticket(&view.ticket.department, view.ticket.priority)
            || recorded_by_viewer
        {
            Ok(view)
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// The ticket for its customer, found by code and the hash of the tracking secret.
    /// Filtering what a customer may see is the caller's job; this only proves access.
    pub async fn tracked_ticket(&self, code: &str, tracking_hash: &str) -> Result<TicketView> {
        self.load_view(code, Some(tracking_hash)).await
    }

    /// The ticket for its customer, found by code and the e-mail or phone given at intake
    /// (TR-2, for a customer who lost the tracking link). An e-mail is compared by
    /// [`email_key`], a phone by its digits; any mismatch is `NotFound`, like an unknown code,
    /// so the answer tells nobody whether a code exists.
    pub async fn tracked_ticket_by_contact(&self, code: &str, contact: &str) -> Result<TicketView> {
        let row = sqlx::query(
            "SELECT c.email, c.phone FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE t.code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let email: Option<String> = row.try_get("email")?;
        let phone: Option<String> = row.try_get("phone")?;
        // Compared in Rust rather than SQL: the keys (full Unicode lower case, digits only)
        // are `core::contact`'s, and both backends must agree on them.
        let by_email = contact.contains('@')
            && email.is_some_and(|e| {
                constant_time_eq(email_key(&e).as_bytes(), email_key(contact).as_bytes())
            });
        let by_phone = !contact.contains('@')
            && match (phone.as_deref().and_then(phone_key), phone_key(contact)) {
                (Some(stored), Some(given)) => {
                    constant_time_eq(stored.as_bytes(), given.as_bytes())
                }
                _ => false,
            };
        if !(by_email || by_phone) {
            return Err(StoreError::NotFound);
        }
        self.load_view(code, None).await
    }

    async fn load_view(&self, code: &str, tracking_hash: Option<&str>) -> Result<TicketView> {
        let row = sqlx::query(
            "SELECT id, customer_id, department, tracking_hash FROM tickets WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        if let Some(expected) = tracking_hash {
            let stored: String = row.try_get("tracking_hash")?;
            if !constant_time_eq(stored.as_bytes(), expected.as_bytes()) {
                return Err(StoreError::NotFound);
            }
        }
        let id: i64 = row.try_get("id")?;
        let events = load_events(&self.pool, id).await?;
        let records: Vec<EventRecord> = events.iter().map(|e| e.record.clone()).collect();
        let ticket = Ticket::from_history(&records)
            .ok_or_else(|| StoreError::Corrupt(format!("{code}: no intake event")))?;
        let names = self.staff_names(&records).await?;
        let timeline = events
            .into_iter()
            .map(|e| TimelineEntry {
                seq: e.seq,
                at: e.record.at,
                actor_name: match e.record.actor {
                    Actor::Staff { id } => names.get(&id).cloned(),
                    _ => None,
                },
                assignee_name: match e.record.event {
                    Event::Assigned { agent, .. } => names.get(&agent).cloned(),
                    _ => None,
                },
                actor: e.record.actor,
                event: e.record.event,
            })
            .collect();
        Ok(TicketView {
            id,
            customer_id: row.try_get("customer_id")?,
            assignee_name: ticket.assignee.and_then(|a| names.get(&a).cloned()),
            ticket,
            timeline,
        })
    }

    async fn staff_names(&self, records: &[EventRecord]) -> Result<HashMap<i64, String>> {
        let mut ids: Vec<i64> = records
            .iter()
            .flat_map(|r| {
                let by = match r.actor {
                    Actor::Staff { id } => Some(id),
                    _ => None,
                };
                let taken = match r.event {
                    Event::Taken { agent } | Event::Assigned { agent, .. } => Some(agent),
                    _ => None,
                };
                by.into_iter().chain(taken)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut names = HashMap::new();
        for id in ids {
            let row = sqlx::query("SELECT name FROM staff WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(row) = row {
                names.insert(id, row.try_get("name")?);
            }
        }
        Ok(names)
    }
}

/// Compares secrets without leaking, through timing, how much of them matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
