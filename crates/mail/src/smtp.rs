//! Mail out (TR-1, TR-3): building a plain-text message with the threading headers a reply
//! needs, and sending it over SMTP with lettre. Queueing and retrying are the store's and the
//! server's job; this module only says whether one attempt worked, and if not, whether trying
//! again can help.

use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox as LettreMailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// Where and as whom hotro sends mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// `smtp://host:port` (plain, or STARTTLS with `?tls=required`), `smtps://host:port` (TLS),
    /// with optional `user:password@` before the host.
    pub url: String,
    /// The sender, such as `Hỗ trợ khách hàng <hotro@congty.vn>`.
    pub from: String,
    /// How long one SMTP conversation may take.
    pub timeout: Duration,
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    /// Plain text; lines are sent as written.
    pub body: String,
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// Oldest first, without angle brackets.
    pub references: Vec<String>,
    /// A notice hotro sends on its own: marked `Auto-Submitted: auto-generated` (RFC 3834) so
    /// that well-behaved autoresponders do not answer it.
    pub automatic: bool,
}

/// Why one attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later: the server is away or answered 4xx.
    Transient(String),
    /// Trying again will not help: the server refused with 5xx, or the message is unusable
    /// (an address that cannot be written in a header).
    Permanent(String),
}

impl SendError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Permanent(_))
    }

    pub fn message(&self) -> &str {
        match self {
            SendError::Transient(m) | SendError::Permanent(m) => m,
        }
    }
}

impl std::error::Error for SendError {}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Transient(m) => write!(f, "temporary failure: {m}"),
            SendError::Permanent(m) => write!(f, "permanent failure: {m}"),
        }
    }
}

/// Builds the MIME message: UTF-8 plain text, the subject encoded as needed, the given
/// `Message-ID` and the threading headers.
pub fn build(from: &str, mail: &Outgoing) -> Result<Message, SendError> {
    let bad = |what: &str, e: &dyn std::fmt::Display| SendError::Permanent(format!("{what}: {e}"));
    let from: LettreMailbox = from.parse().map_err(|e| bad("sender", &e))?;
    let to: LettreMailbox = mail.to.parse().map_err(|e| bad("recipient", &e))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}>", mail.message_id)))
        .header(ContentType::TEXT_PLAIN);
    if let Some(id) = &mail.in_reply_to {
        builder = builder.in_reply_to(format!("<{id}>"));
    }
    if !mail.references.is_empty() {
        let refs: Vec<String> = mail.references.iter().map(|r| format!("<{r}>")).collect();
        builder = builder.references(refs.join(" "));
    }
    if mail.automatic {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_owned(),
        ));
    }
    builder
        .body(mail.body.clone())
        .map_err(|e| bad("message", &e))
}

/// An SMTP connection pool to one server.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: String,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: it is never printed.
        f.debug_struct("SmtpSender")
            .field("from", &self.from)
            .finish()
    }
}

impl SmtpSender {
    /// Checks the settings; no connection is made until the first message.
    pub fn new(config: &SmtpConfig) -> Result<SmtpSender, String> {
        config
            .from
            .parse::<LettreMailbox>()
            .map_err(|e| format!("sender address {:?}: {e}", config.from))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("SMTP URL: {e}"))?
            .timeout(Some(config.timeout))
            .build();
        Ok(SmtpSender {
            transport,
            from: config.from.clone(),
        })
    }

    /// Sends one message: `Ok` once the server accepted it.
    pub async fn send(&self, mail: &Outgoing) -> Result<(), SendError> {
        let message = build(&self.from, mail)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            // 4xx answers, refused connections and timeouts: the server may be back later.
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr3_reply_headers_thread_and_notices_are_marked_automatic() {
        let mail = Outgoing {
            to: "an@example.vn".into(),
            subject: "Re: [HT-2026-000001] Hóa đơn tháng 11".into(),
            body: "Kính thưa quý khách,\n\nĐã xử lý.".into(),
            message_id: "reply.1@hotro.mail".into(),
            in_reply_to: Some("m1@example.vn".into()),
            references: vec!["m0@example.vn".into(), "m1@example.vn".into()],
            automatic: true,
        };
        let raw = build("Hỗ trợ <hotro@congty.vn>", &mail)
            .unwrap()
            .formatted();
        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains("Message-ID: <reply.1@hotro.mail>"), "{text}");
        assert!(text.contains("In-Reply-To: <m1@example.vn>"), "{text}");
        assert!(
            text.contains("References: <m0@example.vn> <m1@example.vn>"),
            "{text}"
        );
        assert!(text.contains("Auto-Submitted: auto-generated"), "{text}");
        let parsed = crate::parse(&raw, &crate::Limits::default());
        assert_eq!(
            parsed.subject.as_deref(),
            Some("Re: [HT-2026-000001] Hóa đơn tháng 11")
        );
        assert!(parsed.text_body.unwrap().contains("Kính thưa quý khách"));
    }

    #[test]
    fn an_address_that_cannot_be_written_is_a_permanent_failure() {
        let mail = Outgoing {
            to: "not an address".into(),
            subject: "x".into(),
            body: "x".into(),
            message_id: "x@y".into(),
            in_reply_to: None,
            references: Vec::new(),
            automatic: false,
        };
        assert!(build("hotro@congty.vn", &mail).unwrap_err().is_permanent());
    }
}
