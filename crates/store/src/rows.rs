//! Reading stored events back into core records.

use crate::error::{Result, StoreError};
use crate::from_millis;
use crate::tx::Tx;
use hotro_core::{Actor, Event, EventRecord};
use sqlx::any::AnyRow;
use sqlx::{Executor, Row};

/// One stored event row.
pub(crate) struct StoredEvent {
    pub seq: i64,
    pub record: EventRecord,
    pub hash: String,
}

pub(crate) fn event_from_row(row: &AnyRow) -> Result<StoredEvent> {
    let seq: i64 = row.try_get("seq")?;
    let actor: String = row.try_get("actor")?;
    let payload: String = row.try_get("payload")?;
    let event =
        Event::from_json(&payload).map_err(|e| StoreError::Corrupt(format!("event {seq}: {e}")))?;
    Ok(StoredEvent {
        seq,
        record: EventRecord {
            at: from_millis(row.try_get("at")?)?,
            actor: Actor::from_column(&actor)
                .ok_or_else(|| StoreError::Corrupt(format!("actor {actor:?}")))?,
            event,
        },
        hash: row.try_get("hash")?,
    })
}

/// A ticket's whole history, oldest first.
pub(crate) async fn load_events<'e, E>(executor: E, ticket_id: i64) -> Result<Vec<StoredEvent>>
where
    E: Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT seq, at, actor, payload, hash FROM events WHERE ticket_id = $1 ORDER BY seq",
    )
    .bind(ticket_id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(event_from_row).collect()
}

/// Same as [`load_events`] on a connection inside a transaction.
pub(crate) async fn load_events_in(c: &mut Tx, ticket_id: i64) -> Result<Vec<StoredEvent>> {
    load_events(c.now().await?, ticket_id).await
}
