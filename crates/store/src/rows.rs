//! Reading stored events back into core records.

use crate::error::{Result, StoreError};
use crate::from_millis;
use crate::tx::{Columns, RunIn, Tx};
use hotro_core::{Actor, Event, EventRecord};
use sqlx::Executor;

/// One stored event row.
pub(crate) struct StoredEvent {
    pub seq: i64,
    pub record: EventRecord,
    pub hash: String,
}

pub(crate) fn event_from_row(row: &impl Columns) -> Result<StoredEvent> {
    let seq: i64 = row.column("seq")?;
    let actor: String = row.column("actor")?;
    let payload: String = row.column("payload")?;
    let event =
        Event::from_json(&payload).map_err(|e| StoreError::Corrupt(format!("event {seq}: {e}")))?;
    Ok(StoredEvent {
        seq,
        record: EventRecord {
            at: from_millis(row.column("at")?)?,
            actor: Actor::from_column(&actor)
                .ok_or_else(|| StoreError::Corrupt(format!("actor {actor:?}")))?,
            event,
        },
        hash: row.column("hash")?,
    })
}

/// A ticket's whole history, oldest first.
pub(crate) async fn load_events<'e, E>(executor: E, ticket_id: i64) -> Result<Vec<StoredEvent>>
where
    E: Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(EVENTS_OF_TICKET)
        .bind(ticket_id)
        .fetch_all(executor)
        .await?;
    rows.iter().map(event_from_row).collect()
}

/// Same as [`load_events`] on a connection inside a transaction.
pub(crate) async fn load_events_in(c: &mut Tx, ticket_id: i64) -> Result<Vec<StoredEvent>> {
    let rows = sqlx::query(EVENTS_OF_TICKET)
        .bind(ticket_id)
        .fetch_all_in(c)
        .await?;
    rows.iter().map(event_from_row).collect()
}

const EVENTS_OF_TICKET: &str =
    "SELECT seq, at, actor, payload, hash FROM events WHERE ticket_id = $1 ORDER BY seq";
