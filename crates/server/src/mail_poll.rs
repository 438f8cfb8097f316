//! Polling IMAP mailboxes (CH-1): each unseen message goes through the same pipeline as the
//! MTA pipe and the HTTP endpoint, and is marked seen only after it is stored (CH-7). A
//! failure leaves the rest unseen for the next poll; the store recognises duplicates, so a
//! message read twice is still stored once.

use crate::AppState;
use crate::inbox;
use hotro_mail::imap::{ImapConfig, Mailbox};

/// How many messages one poll takes at most, so one poll stays short.
const PER_POLL: usize = 100;

/// Reads the mailbox once. Returns the codes of the tickets the messages were stored on.
pub async fn poll_once(state: &AppState, config: &ImapConfig) -> Result<Vec<String>, String> {
    let mut mailbox = Mailbox::open(config).await?;
    let mut codes = Vec::new();
    let outcome = async {
        for message in mailbox.unseen(PER_POLL).await? {
            let done = inbox::ingest(state, message.raw)
                .await
                .map_err(|e| format!("store: {e}"))?;
            // Only now, with the message durable, may the server forget about it.
            mailbox.mark_stored(message.uid).await?;
            codes.push(done.code);
        }
        Ok::<(), String>(())
    }
    .await;
    mailbox.close().await;
    outcome.map(|()| codes)
}

/// Polls every `every` until the process ends; an unreachable server or store only delays
/// the mail, which waits unseen in the mailbox.
pub fn spawn_poller(state: AppState, config: ImapConfig, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match poll_once(&state, &config).await {
                Ok(codes) if !codes.is_empty() => {
                    tracing::info!(count = codes.len(), mailbox = %config.mailbox, "mail fetched");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "IMAP poll failed; retrying"),
            }
        }
    });
}
