//! The outbox worker (TR-3): claims due mails from the store's outbox with a lease, sends each
//! over SMTP, and records the outcome. A temporary failure waits and is retried with backoff; a
//! permanent one, or the retry limit, marks the mail failed for an agent to see. Sent mails are
//! never claimed again, so a notice is sent once however often the worker runs.

use hotro_mail::smtp::{Outgoing, SmtpSender};
use hotro_store::{OutboxRow, RetryPolicy, Store, StoreError};
use jiff::{SignedDuration, Timestamp};

/// How long a claimed mail is reserved for the worker that claimed it. Longer than one SMTP
/// conversation may take, so a slow send is not sent twice by another node.
const LEASE: SignedDuration = SignedDuration::from_mins(5);

/// How many mails one pass claims.
const BATCH: i64 = 50;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends every mail due at `now`, once. Tests call it with a chosen `now` to step through
/// outages and backoff without sleeping.
pub async fn send_due(
    store: &Store,
    sender: &SmtpSender,
    retry: RetryPolicy,
    now: Timestamp,
) -> Result<Pass, StoreError> {
    let mut pass = Pass::default();
    for row in store.claim_outbox(now, LEASE, BATCH).await? {
        match sender.send(&outgoing(&row)).await {
            Ok(()) => {
                store.outbox_sent(row.id, now).await?;
                pass.sent += 1;
            }
            Err(e) => {
                let last = e.is_permanent() || row.attempts + 1 >= retry.max_attempts;
                tracing::warn!(key = %row.key, error = %e, last, "mail not sent");
                store
                    .outbox_attempt_failed(row.id, e.to_string(), e.is_permanent(), retry, now)
                    .await?;
                if last {
                    pass.failed += 1;
                } else {
                    pass.retrying += 1;
                }
            }
        }
    }
    Ok(pass)
}

fn outgoing(row: &OutboxRow) -> Outgoing {
    Outgoing {
        to: row.recipient.clone(),
        subject: row.subject.clone(),
        body: row.body.clone(),
        message_id: row.message_id.clone(),
        in_reply_to: row.in_reply_to.clone(),
        references: row.references.clone(),
        automatic: row.automatic,
    }
}

/// Runs [`send_due`] every `every` until the process ends. A database or SMTP outage only
/// delays the mails: they wait in the outbox.
pub fn spawn_worker(
    store: Store,
    sender: SmtpSender,
    retry: RetryPolicy,
    clock: crate::Clock,
    every: std::time::Duration,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match send_due(&store, &sender, retry, clock.now()).await {
                Ok(pass) if pass != Pass::default() => {
                    tracing::info!(
                        sent = pass.sent,
                        retrying = pass.retrying,
                        failed = pass.failed,
                        "outbox pass"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox pass failed; retrying"),
            }
        }
    });
}
