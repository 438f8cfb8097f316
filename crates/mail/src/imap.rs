//! Fetching mail from an IMAP mailbox (CH-1) with async-imap. Messages are read without being
//! marked (`BODY.PEEK[]`) and marked `\Seen` only when the caller says they are stored, so a
//! connection lost mid-fetch loses nothing: the next poll reads the unseen messages again, and
//! the store recognises any it already has by their bytes or `Message-ID`.

use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::net::TcpStream;

/// One mailbox to poll. Plain IMAP on the given port; TLS is not built in yet, so use it on
/// loopback or behind a local TLS tunnel.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    /// The folder to read, usually `INBOX`.
    pub mailbox: String,
}

impl std::fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password is never printed.
        f.debug_struct("ImapConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("mailbox", &self.mailbox)
            .finish()
    }
}

/// One message read from the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    pub raw: Vec<u8>,
}

/// A logged-in session on the selected mailbox.
pub struct Mailbox {
    session: Session<TcpStream>,
}

impl Mailbox {
    /// Connects, logs in and selects the folder.
    pub async fn open(config: &ImapConfig) -> Result<Mailbox, String> {
        let stream = TcpStream::connect((config.host.as_str(), config.port))
            .await
            .map_err(|e| format!("connect to {}:{}: {e}", config.host, config.port))?;
        let mut client = async_imap::Client::new(stream);
        client
            .read_response()
            .await
            .map_err(|e| format!("greeting: {e}"))?
            .ok_or("the server closed the connection before its greeting")?;
        let mut session = client
            .login(&config.user, &config.password)
            .await
            .map_err(|(e, _)| format!("login as {}: {e}", config.user))?;
        session
            .select(&config.mailbox)
            .await
            .map_err(|e| format!("select {}: {e}", config.mailbox))?;
        Ok(Mailbox { session })
    }

    /// Up to `max` unseen messages, oldest first, left unseen on the server.
    pub async fn unseen(&mut self, max: usize) -> Result<Vec<Fetched>, String> {
        let mut uids: Vec<u32> = self
            .session
            .uid_search("UNSEEN")
            .await
            .map_err(|e| format!("search: {e}"))?
            .into_iter()
            .collect();
        uids.sort_unstable();
        uids.truncate(max);
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uids
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let fetches: Vec<_> = self
            .session
            .uid_fetch(&set, "(UID BODY.PEEK[])")
            .await
            .map_err(|e| format!("fetch: {e}"))?
            .try_collect()
            .await
            .map_err(|e| format!("fetch: {e}"))?;
        let mut out: Vec<Fetched> = fetches
            .iter()
            .filter_map(|f| {
                Some(Fetched {
                    uid: f.uid?,
                    raw: f.body()?.to_vec(),
                })
            })
            .collect();
        out.sort_by_key(|f| f.uid);
        Ok(out)
    }

    /// Marks a stored message `\Seen`, so later polls skip it.
    pub async fn mark_stored(&mut self, uid: u32) -> Result<(), String> {
        let _: Vec<_> = self
            .session
            .uid_store(uid.to_string(), "+FLAGS (\\Seen)")
            .await
            .map_err(|e| format!("store flags: {e}"))?
            .try_collect()
            .await
            .map_err(|e| format!("store flags: {e}"))?;
        Ok(())
    }

    /// Ends the session politely; a failure here changes nothing stored.
    pub async fn close(mut self) {
        let _ = self.session.logout().await;
    }
}
