//! Reading IMAP mailboxes (CH-1): each unseen message goes through the same pipeline as the
//! MTA pipe and the HTTP endpoint, and is marked seen only after it is stored (CH-7). A
//! failure leaves the rest unseen for the next round; the store recognises duplicates, so a
//! message read twice is still stored once. Between rounds a mailbox whose server offers IDLE
//! waits for new mail on its open connection; others are asked again after a pause.

use super::inbox;
use crate::App;
use hotro_mail::imap::{ImapConfig, Mailbox};
use std::time::Duration;

/// How many messages one round takes at most, so one round stays short.
const PER_POLL: usize = 100;

/// Servers may log out a client idle for 30 minutes (RFC 2177); IDLE is renewed before that.
const IDLE_AT_MOST: Duration = Duration::from_secs(25 * 60);

/// How a mailbox is watched.
#[derive(Debug, Clone)]
pub struct Watch {
    pub config: ImapConfig,
    /// The pause between two rounds without IDLE, and after a failure.
    pub every: Duration,
    /// Use IDLE when the server offers it.
    pub idle: bool,
}

/// Stores every unseen message of an open mailbox, marking each seen once it is stored.
/// Returns the codes of the tickets they were stored on.
async fn store_unseen(app: &App, mailbox: &mut Mailbox) -> Result<Vec<String>, String> {
    let mut codes = Vec::new();
    for message in mailbox.unseen(PER_POLL).await? {
        let done = inbox::ingest(app, message.raw)
            .await
            .map_err(|e| format!("store: {e}"))?;
        // Only now, with the message durable, may the server forget about it.
        mailbox.mark_stored(message.uid).await?;
        // An unreadable message is kept raw and flagged; it is on no ticket.
        codes.extend(done.code);
    }
    Ok(codes)
}

/// Reads the mailbox once. Returns the codes of the tickets the messages were stored on.
pub async fn poll_once(app: &App, config: &ImapConfig) -> Result<Vec<String>, String> {
    let mut mailbox = Mailbox::open(config).await?;
    let outcome = store_unseen(app, &mut mailbox).await;
    mailbox.close().await;
    outcome
}

/// Watches one mailbox on its connection until that fails: a round of unseen mail, then IDLE
/// (or a pause) until the next. Returns why it stopped; the caller reconnects.
pub async fn watch_once(app: &App, watch: &Watch) -> String {
    let mut mailbox = match Mailbox::open(&watch.config).await {
        Ok(m) => m,
        Err(e) => return e,
    };
    let idle = watch.idle && mailbox.supports_idle();
    loop {
        match store_unseen(app, &mut mailbox).await {
            Ok(codes) if !codes.is_empty() => {
                tracing::info!(count = codes.len(), mailbox = %watch.config.mailbox, "mail fetched");
            }
            Ok(_) => {}
            Err(e) => {
                mailbox.close().await;
                return e;
            }
        }
        if idle {
            match mailbox.wait(IDLE_AT_MOST).await {
                Ok((m, _)) => mailbox = m,
                Err(e) => return e,
            }
        } else {
            tokio::time::sleep(watch.every).await;
        }
    }
}

/// Watches a mailbox until the process ends; an unreachable server or store only delays the
/// mail, which waits unseen in the mailbox.
pub fn spawn_watcher(app: App, watch: Watch) {
    tokio::spawn(async move {
        loop {
            let why = watch_once(&app, &watch).await;
            tracing::warn!(error = %why, host = %watch.config.host, "IMAP mailbox lost; retrying");
            tokio::time::sleep(watch.every).await;
        }
    });
}

/// Polls every `every` until the process ends, without IDLE.
pub fn spawn_poller(app: App, config: ImapConfig, every: Duration) {
    spawn_watcher(
        app,
        Watch {
            config,
            every,
            idle: false,
        },
    );
}
