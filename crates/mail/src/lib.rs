//! E-mail for hotro, the only crate that knows MIME, SMTP and IMAP (CH-1, CH-7, SC-4, TR-3).
//!
//! In, pure: parse raw MIME, sanitise HTML, fold quoted text, name files safely, and find the
//! keys that thread a mail into a ticket. Parsing never fails and never panics; it reports
//! what it could not read as [`inbound::Problem`]s so that the caller can store every message
//! and flag the odd ones for an agent (CH-7). No database, no clock.
//!
//! The network clients: [`smtp`] sends a queued mail with its threading headers (lettre), and
//! [`imap`] reads a mailbox (async-imap over TCP or rustls), marking a message seen only when
//! the caller says it is stored. What to do with a mail — which ticket, which answer — is
//! decided by the application (`hotro-app`), not here.

pub mod filename;
pub mod html;
pub mod imap;
pub mod inbound;
pub mod language;
pub mod quote;
pub mod smtp;
mod text;
pub mod threading;

pub use filename::safe_filename;
pub use html::{html_to_text, sanitize_html, sanitize_html_with_cid};
pub use inbound::{Attachment, AutomaticReason, Limits, Mailbox, ParsedMail, Problem, parse};
pub use language::wrote_english;
pub use quote::{QuoteSplit, split_quoted};
pub use threading::{referenced_message_ids, ticket_code_in_subject};
