//! Inbound e-mail for hotro: parse raw MIME, sanitise HTML, fold quoted text, name files safely,
//! and find the keys that thread a mail into a ticket (CH-1, CH-7, SC-4).
//!
//! Everything here is pure: no database, no network, no clock. Parsing never fails and never
//! panics; it reports what it could not read as [`inbound::Problem`]s so that the caller can
//! store every message and flag the odd ones for an agent (CH-7).

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
