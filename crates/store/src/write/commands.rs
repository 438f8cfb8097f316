//! Staff and customer commands on a ticket: its history loaded (and its row locked on
//! PostgreSQL), the core rules deciding, the events committed; when an issue is settled, the
//! customer's next one gets its start-by deadline (QF-3).

use crate::error::{Result, StoreError};
use crate::rows::load_events_in;
use crate::tx::{RunIn, Tx};
use crate::write::commit::{Commit, Head, lock_ticket};
use crate::write::extras::NewFile;
use crate::{Backend, Change, Store};
use hotro_core::sla;
use hotro_core::ticket::{Context, CustomerCommand};
use hotro_core::{Actor, Command, Event, EventRecord, Policy, StaffMember, Ticket};
use jiff::Timestamp;
use sqlx::AssertSqlSafe;
use std::sync::Arc;

/// What a command did: its events and the ticket's state after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    pub events: Vec<Event>,
    pub ticket: Ticket,
}

impl Store {
    /// Runs a staff command on a ticket: loads its history, lets the core rules decide,
    /// and appends the resulting events. A ticket of another department is `NotFound`.
    pub async fn execute(
        &self,
        staff: &StaffMember,
        code: &str,
        command: Command,
        policy: Arc<Policy>,
        now: Timestamp,
    ) -> Result<Executed> {
        let caller = Caller::Staff(staff.clone(), command);
        self.run_command(code, caller, Vec::new(), policy, now)
            .await
    }

    /// Runs a customer's command on their ticket (TR-2, CP-1, CP-4), after checking the
    /// tracking secret's hash; a wrong secret is `NotFound`, as for a ticket that does not
    /// exist.
    pub async fn execute_as_customer(
        &self,
        code: &str,
        tracking_hash: &str,
        command: CustomerCommand,
        policy: Arc<Policy>,
        now: Timestamp,
    ) -> Result<Executed> {
        self.execute_as_customer_with_files(code, tracking_hash, command, Vec::new(), policy, now)
            .await
    }

    /// Like [`Store::execute_as_customer`], with the files the command names (CH-6): stored in
    /// its commit, so a command the rules refuse stores none of them.
    pub async fn execute_as_customer_with_files(
        &self,
        code: &str,
        tracking_hash: &str,
        command: CustomerCommand,
        files: Vec<NewFile>,
        policy: Arc<Policy>,
        now: Timestamp,
    ) -> Result<Executed> {
        let caller = Caller::Customer(tracking_hash.to_owned(), command);
        self.run_command(code, caller, files, policy, now).await
    }

    async fn run_command(
        &self,
        code: &str,
        caller: Caller,
        files: Vec<NewFile>,
        policy: Arc<Policy>,
        now: Timestamp,
    ) -> Result<Executed> {
        let code = code.to_owned();
        let store = self.clone();
        let done = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    store
                        .command_in(c, code, &caller, files, &policy, now)
                        .await
                })
            })
            .await?;
        let mut departments = vec![done.ticket.department.clone()];
        for e in &done.events {
            if let Event::Transferred { from, .. } = e {
                departments.push(from.clone());
            }
        }
        self.publish(Change {
            code: done.ticket.code.clone(),
            departments,
            notified: Vec::new(),
        });
        Ok(done)
    }

    /// The writing of a command inside a transaction: loads the ticket's history, lets the
    /// core rules decide, appends the events and refreshes the clocks (and QF-3's hand-off).
    /// Crate-visible so the bulk path runs commands with exactly this code.
    pub(crate) async fn command_in(
        &self,
        c: &mut Tx,
        code: String,
        caller: &Caller,
        files: Vec<NewFile>,
        policy: &Arc<Policy>,
        now: Timestamp,
    ) -> Result<Executed> {
        self.note_policy(c, policy, now).await?;
        // PostgreSQL runs commands concurrently: lock the ticket's row so two
        // commands on one ticket are decided one after the other. SQLite's
        // single writer already serialises them.
        let lock = if self.backend == Backend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, department, priority, head_hash, tracking_hash FROM tickets
             WHERE code = $1{lock}"
        )))
        .bind(&code)
        .fetch_optional_in(c)
        .await?
        .ok_or(StoreError::NotFound)?;
        let department: String = row.try_get("department")?;
        let stored_hash: String = row.try_get("tracking_hash")?;
        let priority: String = row.try_get("priority")?;
        let priority = hotro_core::Priority::parse(&priority)
            .ok_or_else(|| StoreError::Corrupt(format!("priority {priority:?}")))?;
        if !caller.may_act(&department, priority, &stored_hash) {
            return Err(StoreError::NotFound);
        }
        let id: i64 = row.try_get("id")?;
        let history = load_events_in(c, id).await?;
        let mut records: Vec<EventRecord> = history.iter().map(|e| e.record.clone()).collect();
        let mut ticket = Ticket::from_history(&records)
            .ok_or_else(|| StoreError::Corrupt(format!("{code}: no intake event")))?;
        let was_open = ticket.status.is_open();
        // Issue 16: an assignment's rule needs the assignee as staff are now (active only).
        let assignee = match caller {
            Caller::Staff(_, Command::Assign { agent, .. }) => {
                crate::staff::active_member_in(c, *agent).await?
            }
            _ => None,
        };
        let (events, actor) = caller.decide(&ticket, policy, assignee.as_ref(), now)?;
        for e in &events {
            ticket.apply(e);
        }
        let last = history.last();
        let mut head = Head {
            ticket_id: id,
            code,
            seq: last.map_or(0, |e| e.seq),
            hash: row.try_get("head_hash")?,
        };
        if let Some(last) = last
            && last.hash != head.hash
        {
            return Err(StoreError::Corrupt(format!(
                "{}: head hash does not match the last event",
                head.code
            )));
        }
        let from = records.len();
        records.extend(events.iter().map(|e| EventRecord {
            at: now,
            actor,
            event: e.clone(),
        }));
        let mut commit = Commit::new(&records, from, &ticket);
        commit.extras.files = files;
        self.commit(c, &mut head, commit, now).await?;
        // QF-3: the customer's next issue gets its start-by deadline.
        if was_open && !ticket.status.is_open() {
            let version = self.policy_of(c, &ticket.policy_version).await?;
            self.hand_off_next_issue(c, &ticket, id, &version, now)
                .await?;
        }
        Ok(Executed { events, ticket })
    }

    /// QF-3: when a customer's issue is done, their oldest waiting issue must be taken up
    /// within the policy's hours; it gets a start-by event of its own.
    pub(crate) async fn hand_off_next_issue(
        &self,
        c: &mut Tx,
        done: &Ticket,
        done_id: i64,
        policy: &Policy,
        now: Timestamp,
    ) -> Result<()> {
        // `+t.is_open`: a customer has few tickets, so read them by customer and sort them;
        // without it SQLite may prefer the queue index for the order and walk every open
        // ticket of every customer on each resolve.
        let row = sqlx::query(
            "SELECT t.id, t.code FROM tickets t
             WHERE t.customer_id = (SELECT customer_id FROM tickets WHERE id = $1)
               AND t.id <> $1 AND +t.is_open = 1 AND t.assignee_id IS NULL
               AND t.status IN ('new', 'reopened') AND t.start_by_at IS NULL
             ORDER BY t.priority_rank, t.received_at, t.id LIMIT 1",
        )
        .bind(done_id)
        .fetch_optional_in(c)
        .await?;
        let Some(row) = row else { return Ok(()) };
        let next_code: String = row.try_get("code")?;
        let (_, records, head) = lock_ticket(c, &next_code, self.backend).await?;
        let record = EventRecord {
            at: now,
            actor: Actor::System,
            event: sla::start_next_issue(done, policy, now),
        };
        self.commit_system(c, head, records, vec![record], now)
            .await
    }
}

/// Who runs a command, with what they ask.
pub(crate) enum Caller {
    Staff(StaffMember, Command),
    /// The customer, identified by the hash of their tracking secret.
    Customer(String, CustomerCommand),
}

impl Caller {
    /// What the core rules decide on `ticket` for this caller, and who the events are by.
    pub(crate) fn decide(
        &self,
        ticket: &Ticket,
        policy: &Policy,
        assignee: Option<&StaffMember>,
        now: Timestamp,
    ) -> Result<(Vec<Event>, Actor)> {
        Ok(match self {
            Caller::Staff(staff, command) => {
                let ctx = Context {
                    staff,
                    policy,
                    now,
                    assignee,
                };
                (ticket.decide(command, &ctx)?, Actor::Staff { id: staff.id })
            }
            Caller::Customer(_, command) => (ticket.decide_customer(command)?, Actor::Customer),
        })
    }

    /// RT-4 for staff; for the customer, the tracking secret (compared without leaking
    /// through timing how much of it matched).
    fn may_act(&self, department: &str, priority: hotro_core::Priority, stored_hash: &str) -> bool {
        match self {
            // The consulted department answers its question without seeing the ticket;
            // the core rules check that it is the department asked (RP-3).
            Caller::Staff(_, Command::AnswerConsultation { .. }) => true,
            Caller::Staff(staff, _) => staff.may_handle_ticket(department, priority),
            Caller::Customer(hash, _) => {
                hash.len() == stored_hash.len()
                    && hash
                        .bytes()
                        .zip(stored_hash.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0
            }
        }
    }
}
