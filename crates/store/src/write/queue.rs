//! Queuing a mail in the commit of the change that causes it (TR-3): threaded to the ticket's
//! earlier mail, once per key, and bounded per address for automatic answers to arrived
//! messages (loop safety). The outbox worker (`jobs::outbox`) sends it.

use crate::error::Result;
use crate::millis;
use crate::tx::{RunIn, Tx};
use jiff::Timestamp;

/// Loop safety (issue 4): at most this many automatic answers to arrived messages go to one
/// address per hour, so two robots answering each other stop after a few rounds instead of
/// flooding both sides.
pub const AUTOMATIC_PER_HOUR: i64 = 5;

/// The kinds of mail that answer a message as it arrives: the only ones a mail loop can feed
/// on. Notices of a status change follow a person's action and are never held back (TR-3:
/// "never lost"), however many changes an hour brings.
const ANSWERS_TO_ARRIVALS: [&str; 2] = ["confirmation", "refused"];

/// A mail to queue, as `core::to_customer` decides it; the store adds the message id and
/// the threading headers.
pub use hotro_core::to_customer::OutMail;

/// Queues `mail` on the caller's transaction, threaded to the ticket's earlier mail, and
/// records its message id for the customer's answer to thread back. Returns false when it was
/// not queued: its key was queued before, or an automatic notice is over the address's bound.
pub(crate) async fn enqueue(
    c: &mut Tx,
    ticket_id: Option<i64>,
    code: &str,
    mail: OutMail,
    now: Timestamp,
) -> Result<bool> {
    // Texts written before the ticket had its code name it `{code}`.
    let mail = OutMail {
        key: mail.key.replace("{code}", code),
        subject: mail.subject.replace("{code}", code),
        body: mail.body.replace("{code}", code),
        ..mail
    };
    if mail.automatic && ANSWERS_TO_ARRIVALS.contains(&mail.kind.as_str()) {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM outbox
             WHERE recipient = $1 AND automatic = 1 AND kind IN ($3, $4) AND created_at > $2",
        )
        .bind(&mail.recipient)
        .bind(millis(now) - 3_600_000)
        .bind(ANSWERS_TO_ARRIVALS[0])
        .bind(ANSWERS_TO_ARRIVALS[1])
        .fetch_one_in(c)
        .await?;
        let n: i64 = row.try_get("n")?;
        if n >= AUTOMATIC_PER_HOUR {
            tracing::warn!(code, kind = %mail.kind, "automatic notice over the per-address bound; not sent");
            return Ok(false);
        }
    }
    let (in_reply_to, refs) = match ticket_id {
        Some(id) => thread_of(c, id).await?,
        None => (None, Vec::new()),
    };
    let message_id = format!(
        "{}.{}@hotro.mail",
        mail.key.replace([':', ' ', '<', '>', '@'], "."),
        millis(now)
    );
    let inserted = sqlx::query(
        "INSERT INTO outbox (idempotency_key, ticket_id, kind, recipient, subject, body,
             message_id, in_reply_to, refs, automatic, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&mail.key)
    .bind(ticket_id)
    .bind(&mail.kind)
    .bind(&mail.recipient)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(&message_id)
    .bind(in_reply_to.as_deref())
    .bind((!refs.is_empty()).then(|| refs.join(" ")))
    .bind(i64::from(mail.automatic))
    .bind(millis(now))
    .execute_in(c)
    .await?
    .rows_affected()
        > 0;
    if inserted && let Some(id) = ticket_id {
        sqlx::query(
            "INSERT INTO mail_messages (message_id, ticket_id, direction, created_at)
             VALUES ($1, $2, 'out', $3) ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(&message_id)
        .bind(id)
        .bind(millis(now))
        .execute_in(c)
        .await?;
    }
    Ok(inserted)
}

/// How many ids a `References` header carries at most: the thread's root and the newest.
const MAX_REFERENCES: i64 = 20;

/// The customer's last message (what a reply answers) and the ticket's earlier message ids.
async fn thread_of(c: &mut Tx, ticket_id: i64) -> Result<(Option<String>, Vec<String>)> {
    let last_in = sqlx::query(
        "SELECT message_id FROM mail_messages WHERE ticket_id = $1 AND direction = 'in'
         ORDER BY created_at DESC, message_id DESC LIMIT 1",
    )
    .bind(ticket_id)
    .fetch_optional_in(c)
    .await?;
    let in_reply_to: Option<String> = match last_in {
        Some(row) => Some(row.try_get("message_id")?),
        None => None,
    };
    let rows = sqlx::query(
        "SELECT message_id FROM mail_messages WHERE ticket_id = $1
         ORDER BY created_at DESC, message_id DESC LIMIT $2",
    )
    .bind(ticket_id)
    .bind(MAX_REFERENCES)
    .fetch_all_in(c)
    .await?;
    let mut refs = rows
        .iter()
        .map(|r| r.try_get::<String>("message_id"))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    refs.reverse();
    Ok((in_reply_to, refs))
}

/// Queues a mail to a member of staff about ticket `ticket_id` (SL-6), due from `send_from`
/// (their department's next working opening): never threaded into the customer's
/// conversation, so an answer to it cannot land on the ticket as the customer's. Once per key.
pub(crate) async fn enqueue_for_staff(
    c: &mut Tx,
    ticket_id: i64,
    mail: OutMail,
    now: Timestamp,
    send_from: Timestamp,
) -> Result<bool> {
    let message_id = format!(
        "{}.{}@hotro.mail",
        mail.key.replace([':', ' ', '<', '>', '@'], "."),
        millis(now)
    );
    let inserted = sqlx::query(
        "INSERT INTO outbox (idempotency_key, ticket_id, kind, recipient, subject, body,
             message_id, automatic, attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&mail.key)
    .bind(ticket_id)
    .bind(&mail.kind)
    .bind(&mail.recipient)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(&message_id)
    .bind(i64::from(mail.automatic))
    .bind(millis(send_from.max(now)))
    .bind(millis(now))
    .execute_in(c)
    .await?
    .rows_affected();
    Ok(inserted > 0)
}
