//! Fetching mail from an IMAP mailbox (CH-1) with async-imap, over plain IMAP or IMAP over TLS
//! (rustls). Messages are read without being marked (`BODY.PEEK[]`) and marked `\Seen` only
//! when the caller says they are stored, so a connection lost mid-fetch loses nothing: the
//! next poll reads the unseen messages again, and the store recognises any it already has by
//! their bytes or `Message-ID`. Where the server offers IDLE, the mailbox waits for new mail
//! instead of asking again and again.

use async_imap::Session;
use async_imap::extensions::idle::IdleResponse;
use futures_util::TryStreamExt;
use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// How the connection to the IMAP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// IMAP over TLS from the first byte (IMAPS, usually port 993).
    Tls,
    /// No encryption: only for a server on loopback or a trusted network.
    Plain,
}

/// One mailbox to read.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapConfig {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    /// The folder to read, usually `INBOX`.
    pub mailbox: String,
    pub security: Security,
    /// Certificates (PEM) to trust besides the public web roots: a company's own CA, or a
    /// server's self-signed certificate.
    pub ca_file: Option<PathBuf>,
}

impl std::fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password is never printed.
        f.debug_struct("ImapConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("mailbox", &self.mailbox)
            .field("security", &self.security)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

/// One message read from the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    pub raw: Vec<u8>,
}

/// A byte stream async-imap can speak over: a TCP socket, or TLS over one.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> Stream for T {}

/// A logged-in session on the selected mailbox.
pub struct Mailbox {
    session: Session<Box<dyn Stream>>,
    idle: bool,
}

/// What waiting for mail ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woken {
    /// The server announced a change in the mailbox (new mail, most likely).
    Changed,
    /// Nothing happened within the wait.
    TimedOut,
}

/// Checks what can be checked before connecting — the TLS settings and the `ca_file` they
/// read — so a broken mailbox stops the start instead of retrying forever.
pub fn check_settings(config: &ImapConfig) -> Result<(), String> {
    if config.user.trim().is_empty() {
        return Err("user: must not be empty".into());
    }
    match config.security {
        Security::Tls => tls_connector(config).map(|_| ()),
        Security::Plain => Ok(()),
    }
}

/// The TLS settings: the public web roots plus the configured certificates.
fn tls_connector(config: &ImapConfig) -> Result<TlsConnector, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &config.ca_file {
        let pem = std::fs::read(path).map_err(|e| format!("ca_file {}: {e}", path.display()))?;
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| format!("ca_file {}: {e}", path.display()))?;
            roots
                .add(cert)
                .map_err(|e| format!("ca_file {}: {e}", path.display()))?;
            found += 1;
        }
        if found == 0 {
            return Err(format!(
                "ca_file {}: no PEM certificate in it",
                path.display()
            ));
        }
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let tls = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS settings: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(tls)))
}

async fn connect(config: &ImapConfig) -> Result<Box<dyn Stream>, String> {
    let where_ = format!("{}:{}", config.host, config.port);
    let tcp = TcpStream::connect((config.host.as_str(), config.port))
        .await
        .map_err(|e| format!("connect to {where_}: {e}"))?;
    match config.security {
        Security::Plain => Ok(Box::new(tcp)),
        Security::Tls => {
            let name = ServerName::try_from(config.host.clone())
                .map_err(|e| format!("server name {}: {e}", config.host))?;
            let tls = tls_connector(config)?
                .connect(name, tcp)
                .await
                .map_err(|e| format!("TLS with {where_}: {e}"))?;
            Ok(Box::new(tls))
        }
    }
}

impl Mailbox {
    /// Connects, logs in and selects the folder.
    pub async fn open(config: &ImapConfig) -> Result<Mailbox, String> {
        let mut client = async_imap::Client::new(connect(config).await?);
        client
            .read_response()
            .await
            .map_err(|e| format!("greeting: {e}"))?
            .ok_or("the server closed the connection before its greeting")?;
        let mut session = client
            .login(&config.user, &config.password)
            .await
            .map_err(|(e, _)| format!("login as {}: {e}", config.user))?;
        let idle = session
            .capabilities()
            .await
            .map_err(|e| format!("capabilities: {e}"))?
            .has_str("IDLE");
        session
            .select(&config.mailbox)
            .await
            .map_err(|e| format!("select {}: {e}", config.mailbox))?;
        Ok(Mailbox { session, idle })
    }

    /// Whether the server offers IDLE (RFC 2177), so [`Mailbox::wait`] can wait for mail.
    pub fn supports_idle(&self) -> bool {
        self.idle
    }

    /// Waits with IDLE until the server announces a change or `timeout` passes. Only for a
    /// server that [supports IDLE](Mailbox::supports_idle); servers drop idle clients after
    /// about 30 minutes, so keep `timeout` below that.
    pub async fn wait(self, timeout: Duration) -> Result<(Mailbox, Woken), String> {
        let idle = self.idle;
        let mut handle = self.session.idle();
        handle.init().await.map_err(|e| format!("idle: {e}"))?;
        let (waiting, _stop) = handle.wait_with_timeout(timeout);
        let woken = match waiting.await.map_err(|e| format!("idle: {e}"))? {
            IdleResponse::NewData(_) => Woken::Changed,
            IdleResponse::Timeout | IdleResponse::ManualInterrupt => Woken::TimedOut,
        };
        let session = handle.done().await.map_err(|e| format!("idle done: {e}"))?;
        Ok((Mailbox { session, idle }, woken))
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
