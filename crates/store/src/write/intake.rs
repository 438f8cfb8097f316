//! Intake: a checked submission becomes a ticket — its customer (found again by e-mail or
//! phone), its code, its read row and its first records, in one commit (CH-1..CH-6).

use crate::error::Result;
use crate::tx::{RunIn, Tx};
use crate::write::commit::{Commit, Head, NewRow};
use crate::write::extras::{Extras, system_notes};
use crate::{Backend, Change, Store, millis};
use hotro_core::chain::GENESIS;
use hotro_core::codes::TicketCode;
use hotro_core::contact::{email_key, phone_key};
use hotro_core::intake::{Intake, vietnam_zone};
use hotro_core::{Actor, EventRecord, Ticket};
use jiff::Timestamp;
use sqlx::{AssertSqlSafe, Row};

/// A ticket just received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub id: i64,
    pub code: String,
    pub department: String,
}

impl Store {
    /// Records a new ticket: its customer, its code, its first events and its read row, in
    /// one transaction. `tracking_hash` is the SHA-256 of the customer's tracking secret.
    pub async fn receive(
        &self,
        intake: Intake,
        actor: Actor,
        code_prefix: String,
        tracking_hash: String,
        now: Timestamp,
    ) -> Result<Created> {
        self.receive_with(
            intake,
            actor,
            code_prefix,
            tracking_hash,
            now,
            Extras::default(),
        )
        .await
    }

    /// Like [`Store::receive`], with what else must be written in the same transaction: the
    /// inbound mail it came from, notes flagging it for an agent, and the confirmation to send
    /// (CH-1, TR-1, TR-3).
    pub async fn receive_with(
        &self,
        intake: Intake,
        actor: Actor,
        code_prefix: String,
        tracking_hash: String,
        now: Timestamp,
        extras: Extras,
    ) -> Result<Created> {
        self.prepare_codes(&code_prefix, code_year(now)).await?;
        let store = self.clone();
        let created = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    let received = Received {
                        intake,
                        actor,
                        code_prefix,
                        tracking_hash,
                        extras,
                    };
                    let (created, ..) = store.receive_in(c, received, now).await?;
                    Ok(created)
                })
            })
            .await?;
        self.publish(Change {
            code: created.code.clone(),
            departments: vec![created.department.clone()],
            notified: Vec::new(),
        });
        Ok(created)
    }

    /// The writing of [`Store::receive_with`] inside a transaction: the ticket's customer,
    /// code and read row, then its first records (the reception, SL-4's answer to a late
    /// complaint, the system's notes) in one commit. Returns the log's head, the records and
    /// the ticket after them. Crate-visible so the bulk path writes tickets with exactly this
    /// code.
    pub(crate) async fn receive_in(
        &self,
        c: &mut Tx,
        received: Received,
        now: Timestamp,
    ) -> Result<(Created, Head, Vec<EventRecord>, Ticket)> {
        let Received {
            intake,
            actor,
            code_prefix,
            tracking_hash,
            extras,
        } = received;
        let customer_id = upsert_customer(c, &intake, now).await?;
        let year = code_year(now);
        let seq = if c.is_postgres() {
            next_in_sequence(c, &sequence_name(&code_prefix, year)).await?
        } else {
            next_counter(c, &counter_name(&code_prefix, year)).await?
        };
        let code = TicketCode::new(&code_prefix, year, seq).to_string();
        let department = intake.department().to_owned();
        let policy = self.policy_of(c, intake.policy_version()).await?;
        let mut records = intake.into_records(&code, actor, now, &policy);
        records.extend(system_notes(&extras.notes, now));
        let mut ticket = Ticket::received(&records[0]).expect("intake yields a Received event");
        for record in &records[1..] {
            ticket.apply(&record.event);
        }
        let mut head = Head {
            ticket_id: 0,
            code: code.clone(),
            seq: 0,
            hash: GENESIS.to_owned(),
        };
        let mut commit = Commit::new(&records, 0, &ticket);
        commit.extras = extras;
        commit.new_row = Some(NewRow {
            customer_id,
            tracking_hash,
        });
        self.commit(c, &mut head, commit, now).await?;
        let id = head.ticket_id;
        Ok((
            Created {
                id,
                code,
                department,
            },
            head,
            records,
            ticket,
        ))
    }
}

/// A ticket to record, with who brought it and what came with it.
pub(crate) struct Received {
    pub intake: Intake,
    pub actor: Actor,
    pub code_prefix: String,
    pub tracking_hash: String,
    pub extras: Extras,
}

/// Finds the customer by e-mail, then phone, or records a new one. One person writing
/// through several channels is one customer, which QF-3 and the customer's history need to
/// know: addresses are compared by `email_key` (full Unicode case) and numbers by
/// `phone_key` (`0912…`, `+84 912…` and `84912…` are one number).
async fn upsert_customer(c: &mut Tx, intake: &Intake, now: Timestamp) -> Result<i64> {
    let details = intake.customer();
    let email_key = details.email.as_deref().map(email_key);
    let phone_key = details.phone.as_deref().and_then(phone_key);
    for (column, value) in [("email_key", &email_key), ("phone_key", &phone_key)] {
        if let Some(value) = value {
            let found = sqlx::query(AssertSqlSafe(format!(
                "SELECT id FROM customers WHERE {column} = $1 ORDER BY id LIMIT 1"
            )))
            .bind(value)
            .fetch_optional_in(c)
            .await?;
            if let Some(row) = found {
                return Ok(row.try_get("id")?);
            }
        }
    }
    let row = sqlx::query(
        "INSERT INTO customers (name, email, phone, address, created_at, email_key, phone_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&details.name)
    .bind(details.email.as_deref())
    .bind(details.phone.as_deref())
    .bind(details.address.as_deref())
    .bind(millis(now))
    .bind(email_key)
    .bind(phone_key)
    .fetch_one_in(c)
    .await?;
    Ok(row.try_get("id")?)
}

/// The year a ticket received at `now` carries in its code (Vietnamese time).
pub(crate) fn code_year(now: Timestamp) -> i16 {
    now.to_zoned(vietnam_zone()).year()
}

/// The SQLite counter of ticket codes for a prefix and year.
fn counter_name(prefix: &str, year: i16) -> String {
    format!("ticket:{prefix}:{year}")
}

/// The PostgreSQL sequence of ticket codes for a prefix and year (an SQL name: the prefix's
/// letters and digits only; two prefixes that share a name share numbers, never codes).
fn sequence_name(prefix: &str, year: i16) -> String {
    let prefix: String = prefix
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("ticket_code_{prefix}_{year}")
}

impl Store {
    /// Makes sure the PostgreSQL sequence for these ticket codes exists, once per process,
    /// before the write that takes a number from it.
    ///
    /// Why a sequence: a counter row is locked by every intake until its commit's fsync, so
    /// on PostgreSQL it let one intake through at a time (about 200/s, docs/BENCHMARKS.md).
    /// `nextval` locks nothing; the price is a gap in the numbers when an intake is rolled
    /// back, which CONTRACT.md allows (codes are "a sequence number", not a count). SQLite
    /// has one writer and keeps its gapless counter. A sequence starts after the counter's
    /// value, so a store that counted before keeps counting from there.
    pub(crate) async fn prepare_codes(&self, prefix: &str, year: i16) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let name = sequence_name(prefix, year);
        if self
            .code_sequences
            .lock()
            .is_ok_and(|known| known.contains(&name))
        {
            return Ok(());
        }
        let counted: Option<i64> = sqlx::query("SELECT value FROM counters WHERE name = $1")
            .bind(counter_name(prefix, year))
            .fetch_optional(&self.pool)
            .await?
            .map(|row| row.try_get("value"))
            .transpose()?;
        let start = counted.unwrap_or(0) + 1;
        let created = sqlx::query(AssertSqlSafe(format!(
            "CREATE SEQUENCE IF NOT EXISTS {name} START WITH {start}"
        )))
        .execute(&self.pool)
        .await;
        if let Err(e) = created {
            // Another node or task created it at the same moment: what matters is that it is
            // there now.
            let exists: bool = sqlx::query("SELECT to_regclass($1) IS NOT NULL AS found")
                .bind(&name)
                .fetch_one(&self.pool)
                .await?
                .try_get("found")?;
            if !exists {
                return Err(e.into());
            }
        }
        if let Ok(mut known) = self.code_sequences.lock() {
            known.insert(name);
        }
        Ok(())
    }
}

/// The next number of a PostgreSQL sequence ([`Store::prepare_codes`] made it).
async fn next_in_sequence(c: &mut Tx, name: &str) -> Result<i64> {
    let row = sqlx::query("SELECT nextval($1::regclass) AS value")
        .bind(name)
        .fetch_one_in(c)
        .await?;
    Ok(row.try_get("value")?)
}

/// The next value of a named counter, starting at 1.
async fn next_counter(c: &mut Tx, name: &str) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO counters (name, value) VALUES ($1, 1)
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1
         RETURNING value",
    )
    .bind(name)
    .fetch_one_in(c)
    .await?;
    Ok(row.try_get("value")?)
}
