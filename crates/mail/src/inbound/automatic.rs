//! Loop safety: recognising mail sent by a machine, which hotro must never answer automatically
//! (RFC 3834; issue 4 "Loop safety").

use std::fmt;

use mail_parser::{Message, MimeHeaders};

use super::Mailbox;
use super::headers::raw_header;

/// Why a message counts as automatic. The first signal found is reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutomaticReason {
    /// `Auto-Submitted` with a value other than `no` (RFC 3834), such as `auto-replied`.
    AutoSubmitted(String),
    /// `Precedence: bulk`, `junk`, `list` or `auto_reply`.
    Precedence(String),
    /// `X-Autoreply` or `X-Autorespond`, set by older vacation programs.
    AutoReplyHeader(String),
    /// `List-Id` or `List-Unsubscribe`: mailing-list or newsletter traffic.
    MailingList,
    /// A null return path (`Return-Path: <>`), which bounces and auto-replies carry.
    NullSender,
    /// The sender is a mailer daemon or postmaster.
    MailerDaemon,
    /// `Content-Type: multipart/report`: a delivery status or read receipt.
    DeliveryReport,
}

impl AutomaticReason {
    /// A stable machine code, for storage and logs.
    pub fn code(&self) -> &'static str {
        match self {
            AutomaticReason::AutoSubmitted(_) => "auto_submitted",
            AutomaticReason::Precedence(_) => "precedence",
            AutomaticReason::AutoReplyHeader(_) => "auto_reply_header",
            AutomaticReason::MailingList => "mailing_list",
            AutomaticReason::NullSender => "null_sender",
            AutomaticReason::MailerDaemon => "mailer_daemon",
            AutomaticReason::DeliveryReport => "delivery_report",
        }
    }
}

impl fmt::Display for AutomaticReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AutomaticReason::AutoSubmitted(v) => write!(f, "Auto-Submitted: {v}"),
            AutomaticReason::Precedence(v) => write!(f, "Precedence: {v}"),
            AutomaticReason::AutoReplyHeader(v) => write!(f, "{v} header"),
            AutomaticReason::MailingList => f.write_str("mailing list"),
            AutomaticReason::NullSender => f.write_str("null sender"),
            AutomaticReason::MailerDaemon => f.write_str("mailer daemon"),
            AutomaticReason::DeliveryReport => f.write_str("delivery report"),
        }
    }
}

/// Local parts of senders that are machines by convention.
const DAEMON_LOCAL_PARTS: &[&str] = &["mailer-daemon", "postmaster"];

pub(super) fn detect(message: &Message<'_>, from: Option<&Mailbox>) -> Option<AutomaticReason> {
    let header = |name: &str| raw_header(message, name);

    if let Some(value) = header("Auto-Submitted") {
        let token = first_token(&value);
        if !token.is_empty() && token != "no" {
            return Some(AutomaticReason::AutoSubmitted(token));
        }
    }
    if let Some(value) = header("Precedence") {
        let token = first_token(&value);
        if matches!(token.as_str(), "bulk" | "junk" | "list" | "auto_reply") {
            return Some(AutomaticReason::Precedence(token));
        }
    }
    for name in ["X-Autoreply", "X-Autorespond"] {
        if let Some(value) = header(name)
            && first_token(&value) != "no"
        {
            return Some(AutomaticReason::AutoReplyHeader(name.to_owned()));
        }
    }
    if header("List-Id").is_some() || header("List-Unsubscribe").is_some() {
        return Some(AutomaticReason::MailingList);
    }
    if let Some(value) = header("Return-Path")
        && value
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim()
            .is_empty()
    {
        return Some(AutomaticReason::NullSender);
    }
    if let Some(mailbox) = from {
        let local = mailbox.address.split('@').next().unwrap_or_default();
        if DAEMON_LOCAL_PARTS.contains(&local) {
            return Some(AutomaticReason::MailerDaemon);
        }
    }
    if message.root_part().is_content_type("multipart", "report") {
        return Some(AutomaticReason::DeliveryReport);
    }
    None
}

/// The first token of a header value, lower-cased: `auto-replied; owner=x` gives `auto-replied`.
fn first_token(value: &str) -> String {
    value
        .split([';', ' ', '\t', '\r', '\n', '('])
        .find(|t| !t.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_token_ignores_parameters() {
        assert_eq!(
            first_token(" Auto-Replied; owner-email=x@y"),
            "auto-replied"
        );
        assert_eq!(first_token("\r\n"), "");
    }
}
