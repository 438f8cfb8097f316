//! Customers as one person (issue 16): a customer's history across channels, found from a
//! ticket or by e-mail or phone. Records made before the keys existed, and a person recorded
//! twice (once by phone, once by an address in another case), are joined by the keys they
//! share. Department scoping (RT-4) holds here as everywhere: a member of staff sees the
//! tickets they may handle and only a count of the others, and a person none of whose tickets
//! they may handle is `NotFound`.

use crate::error::{Result, StoreError};
use crate::tx::RunIn;
use crate::{Store, from_millis};
use hotro_core::contact::{ContactKey, email_key, phone_key};
use hotro_core::{Priority, StaffMember};
use jiff::Timestamp;
use sqlx::Row;

/// How many of a person's tickets a history lists, newest first.
const HISTORY_LIMIT: i64 = 200;
/// Customer rows whose keys are filled in per transaction when the store opens.
const BACKFILL_BATCH: i64 = 1000;
/// The counters row that says every customer record has its keys.
const KEYED: &str = "customers:keyed";

/// A person's contact data and tickets, as one member of staff may see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerHistory {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The tickets the viewer may handle, newest first.
    pub tickets: Vec<CustomerTicket>,
    /// How many more the person has in departments the viewer does not see.
    pub elsewhere: usize,
}

/// One ticket of a person's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerTicket {
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub department: String,
    pub status: String,
    pub subject: String,
    pub received_at: Timestamp,
}

/// A person found by a contact, for a search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerMatch {
    pub id: i64,
    pub name: String,
    /// How many of their tickets the searcher may handle.
    pub tickets: usize,
}

impl Store {
    /// The person behind customer `id` — every customer record sharing its e-mail or phone
    /// key — with the tickets `viewer` may handle. `NotFound` when there are none.
    pub async fn customer_history(&self, viewer: &StaffMember, id: i64) -> Result<CustomerHistory> {
        let row = sqlx::query(
            "SELECT id, name, email, phone, address, email_key, phone_key
             FROM customers WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let email_key: Option<String> = row.try_get("email_key")?;
        let phone_key: Option<String> = row.try_get("phone_key")?;
        let rows = sqlx::query(
            "SELECT t.code, t.kind, t.channel, t.department, t.priority, t.status, t.subject,
                    t.received_at
             FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE c.id = $1 OR c.email_key = $2 OR c.phone_key = $3
             ORDER BY t.received_at DESC, t.id DESC LIMIT $4",
        )
        .bind(id)
        .bind(email_key)
        .bind(phone_key)
        .bind(HISTORY_LIMIT)
        .fetch_all(&self.pool)
        .await?;
        let mut tickets = Vec::new();
        let mut elsewhere = 0;
        for r in &rows {
            let department: String = r.try_get("department")?;
            let priority: String = r.try_get("priority")?;
            let priority = Priority::parse(&priority).unwrap_or(Priority::Normal);
            if !viewer.may_handle_ticket(&department, priority) {
                elsewhere += 1;
                continue;
            }
            tickets.push(CustomerTicket {
                code: r.try_get("code")?,
                kind: r.try_get("kind")?,
                channel: r.try_get("channel")?,
                department,
                status: r.try_get("status")?,
                subject: r.try_get("subject")?,
                received_at: from_millis(r.try_get("received_at")?)?,
            });
        }
        if tickets.is_empty() {
            return Err(StoreError::NotFound);
        }
        Ok(CustomerHistory {
            id,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            phone: row.try_get("phone")?,
            address: row.try_get("address")?,
            tickets,
            elsewhere,
        })
    }

    /// The people with this e-mail or phone, each once (the oldest record stands for the
    /// person), who have a ticket `viewer` may handle.
    pub async fn customers_by_contact(
        &self,
        viewer: &StaffMember,
        key: &ContactKey,
    ) -> Result<Vec<CustomerMatch>> {
        let (column, value) = match key {
            ContactKey::Email(k) => ("email_key", k),
            ContactKey::Phone(k) => ("phone_key", k),
        };
        let ids: Vec<i64> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM customers WHERE {column} = $1 ORDER BY id LIMIT 20"
        )))
        .bind(value)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
        let Some(&first) = ids.first() else {
            return Ok(Vec::new());
        };
        // Every record of the contact is one person: the first one's history has them all.
        match self.customer_history(viewer, first).await {
            Ok(h) => Ok(vec![CustomerMatch {
                id: h.id,
                name: h.name,
                tickets: h.tickets.len(),
            }]),
            Err(StoreError::NotFound) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Fills in the keys of customer records made before they existed; run by `open` until
    /// it has finished once. A cursor by id, so a record whose phone has no digit (no key) is
    /// read once, not forever.
    pub(crate) async fn backfill_customer_keys(&self) -> Result<u64> {
        let done = sqlx::query("SELECT value FROM counters WHERE name = $1")
            .bind(KEYED)
            .fetch_optional(&self.pool)
            .await?;
        if done.is_some() {
            return Ok(0);
        }
        let mut after = 0i64;
        let mut filled = 0u64;
        loop {
            let rows = sqlx::query(
                "SELECT id, email, phone FROM customers
                 WHERE id > $1 AND ((email IS NOT NULL AND email_key IS NULL)
                                 OR (phone IS NOT NULL AND phone_key IS NULL))
                 ORDER BY id LIMIT $2",
            )
            .bind(after)
            .bind(BACKFILL_BATCH)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last() else {
                self.writer
                    .write(|c| {
                        Box::pin(async move {
                            sqlx::query(
                                "INSERT INTO counters (name, value) VALUES ($1, 1)
                                 ON CONFLICT (name) DO NOTHING",
                            )
                            .bind(KEYED)
                            .execute_in(c)
                            .await?;
                            Ok(())
                        })
                    })
                    .await?;
                return Ok(filled);
            };
            after = last.try_get("id")?;
            let mut keys = Vec::with_capacity(rows.len());
            for r in &rows {
                let email: Option<String> = r.try_get("email")?;
                let phone: Option<String> = r.try_get("phone")?;
                keys.push((
                    r.try_get::<i64, _>("id")?,
                    email.as_deref().map(email_key),
                    phone.as_deref().and_then(phone_key),
                ));
            }
            filled += keys.len() as u64;
            self.writer
                .write(move |c| {
                    Box::pin(async move {
                        for (id, email, phone) in keys {
                            sqlx::query(
                                "UPDATE customers SET email_key = $1, phone_key = $2 WHERE id = $3",
                            )
                            .bind(email)
                            .bind(phone)
                            .bind(id)
                            .execute_in(c)
                            .await?;
                        }
                        Ok(())
                    })
                })
                .await?;
        }
    }
}
