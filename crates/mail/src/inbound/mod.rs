//! Parsing of one raw inbound message into what a ticket needs (CH-1), leniently and within
//! limits (SC-4): it never fails and never panics, and flags problems instead (CH-7).

mod automatic;
mod charset;
mod head;
mod headers;
mod parts;
mod problem;

use std::panic::{AssertUnwindSafe, catch_unwind};

use jiff::Timestamp;
use mail_parser::{Message, MessageParser, PartType};

pub use automatic::AutomaticReason;
pub use problem::Problem;

use crate::quote::{QuoteSplit, split_quoted};
use crate::text;

/// Bounds on how much work one message may cost. The defaults suit a helpdesk: mail servers
/// commonly refuse messages over 25 MiB, and real mail rarely has more than a few dozen parts
/// or nests them more than five deep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// A bigger message is not parsed deeply: only its headers are read (issue 4, "Bad input").
    pub max_message_bytes: usize,
    /// How many bytes from the start of an oversized message are searched for its headers.
    pub max_header_bytes: usize,
    /// MIME parts beyond this count are skipped.
    pub max_parts: usize,
    /// Parts nested deeper than this (the top level is depth 0) are skipped.
    pub max_depth: usize,
    /// At most this many `References` ids are kept: the first one (the thread's root) and the
    /// most recent ones, which are the ones that can match a ticket.
    pub max_references: usize,
    /// At most this many `To` plus `Cc` addresses are kept.
    pub max_recipients: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 25 * 1024 * 1024,
            max_header_bytes: 256 * 1024,
            max_parts: 500,
            max_depth: 16,
            max_references: 100,
            max_recipients: 500,
        }
    }
}

/// One e-mail address with the display name the sender gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    /// The address, trimmed and lower-cased so that it compares equal however the customer's
    /// mail program spelled it.
    pub address: String,
    /// The display name, decoded, on one line and in NFC; `None` when absent or blank.
    pub name: Option<String>,
}

/// A file carried by the message: an attachment or an inline image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// A name safe to use on any file system and in a download header (see
    /// [`crate::safe_filename`]).
    pub name: String,
    /// The name as the sender gave it (decoded, NFC), kept for the evidence record; `None` when
    /// the part had no name.
    pub original_name: Option<String>,
    /// The MIME type in lower case, such as `image/png`.
    pub content_type: String,
    /// The `Content-ID` without angle brackets, which `cid:` links in the HTML body refer to.
    pub content_id: Option<String>,
    /// True for a part meant to be shown inside the body (an inline image) rather than listed.
    pub inline: bool,
    /// The decoded content.
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`, lower-case hex: the key of the content-addressed store and the hash
    /// in an evidence bundle's manifest (CP-3).
    pub sha256: String,
}

/// Everything hotro reads from one inbound message. Every text is in NFC.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedMail {
    /// Size of the raw input in bytes.
    pub size: usize,
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// `In-Reply-To` ids, without angle brackets.
    pub in_reply_to: Vec<String>,
    /// `References` ids, without angle brackets, oldest first.
    pub references: Vec<String>,
    /// The decoded subject on one line; `None` when absent.
    pub subject: Option<String>,
    /// The sender; `None` when no address could be read (with [`Problem::NoSender`]).
    pub from: Option<Mailbox>,
    /// Where the sender asks answers to go, when that differs from `from`.
    pub reply_to: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    /// The `Date` header, when readable.
    pub date: Option<Timestamp>,
    /// The plain-text body. When the message has only HTML, this is derived from it
    /// (`text_from_html` is then true).
    pub text_body: Option<String>,
    pub text_from_html: bool,
    /// The HTML body, already sanitised (see [`crate::sanitize_html`]): hostile markup never
    /// leaves this crate. The raw message keeps the original.
    pub html_body: Option<String>,
    pub attachments: Vec<Attachment>,
    /// Why this message was sent by a machine (auto-reply, bounce, list), if it was. No
    /// automatic answer may be sent to such a message (issue 4, loop safety).
    pub automatic: Option<AutomaticReason>,
    pub problems: Vec<Problem>,
}

impl ParsedMail {
    /// True when the message came from a machine and must not be answered automatically.
    pub fn is_automatic(&self) -> bool {
        self.automatic.is_some()
    }

    /// True when the message carries the given problem kind (compared by [`Problem::code`]).
    pub fn has_problem(&self, code: &str) -> bool {
        self.problems.iter().any(|p| p.code() == code)
    }

    /// The text body split into the new part and the quoted earlier text, for the timeline.
    pub fn split_text(&self) -> QuoteSplit {
        split_quoted(self.text_body.as_deref().unwrap_or_default())
    }

    /// Every message id this mail refers to, most specific first (see
    /// [`crate::referenced_message_ids`]).
    pub fn referenced_ids(&self) -> Vec<String> {
        crate::threading::referenced_message_ids(&self.in_reply_to, &self.references)
    }

    fn push_problem(&mut self, problem: Problem) {
        if !self.problems.contains(&problem) {
            self.problems.push(problem);
        }
    }
}

/// Reads one raw message. It never fails and never panics: whatever cannot be read becomes a
/// [`Problem`], and the caller stores the message anyway (CH-7).
pub fn parse(raw: &[u8], limits: &Limits) -> ParsedMail {
    let mut mail = ParsedMail {
        size: raw.len(),
        ..ParsedMail::default()
    };
    if raw.len() > limits.max_message_bytes {
        mail.push_problem(Problem::TooLarge {
            size: raw.len(),
            limit: limits.max_message_bytes,
        });
        let head = &raw[..limits.max_header_bytes.min(raw.len())];
        read_guarded(
            &mut mail,
            |parser| parser.parse_headers(head),
            limits,
            false,
        );
        return finish(mail);
    }
    // Headers that run into the body without a blank line get one where the body starts.
    let separated: Vec<u8>;
    let raw = match head::body_without_blank_line(raw) {
        Some(at) => {
            let ending: &[u8] = if raw[..at].ends_with(b"\r\n") {
                b"\r\n"
            } else {
                b"\n"
            };
            separated = [&raw[..at], ending, &raw[at..]].concat();
            &separated
        }
        None => raw,
    };
    // The MIME library drops a last header line that has no line ending (a message of headers
    // only, cut short); parsing a copy with one added keeps it. Offsets stay valid because
    // the byte is appended at the end. Messages with a body need no copy.
    let padded: Vec<u8>;
    let raw = if raw.is_empty() || raw.ends_with(b"\n") || has_blank_line(raw) {
        raw
    } else {
        padded = [raw, b"\n"].concat();
        &padded
    };
    if !read_guarded(&mut mail, |parser| parser.parse(raw), limits, true) {
        // The full parse failed inside the MIME library: fall back to the headers alone, so the
        // ticket still knows who wrote and about what.
        read_guarded(&mut mail, |parser| parser.parse_headers(raw), limits, false);
        // The agent still gets to read the message: its raw body as text, flagged.
        mail.text_body = raw_body_text(raw);
    }
    finish(mail)
}

/// How much of a raw body is shown as text when the MIME structure could not be read.
const MAX_RAW_BODY_TEXT: usize = 1024 * 1024;

/// The body of a message the MIME library failed on, as lossy UTF-8 text: everything after
/// the first blank line, cut at [`MAX_RAW_BODY_TEXT`] bytes.
fn raw_body_text(raw: &[u8]) -> Option<String> {
    let start = raw
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|at| at + 2)
        .into_iter()
        .chain(raw.windows(3).position(|w| w == b"\n\r\n").map(|at| at + 3))
        .min()?;
    let body = &raw[start..];
    let body = &body[..body.len().min(MAX_RAW_BODY_TEXT)];
    let text = text::body(&String::from_utf8_lossy(body));
    (!text.trim().is_empty()).then_some(text)
}

/// True when the input has a blank line, that is, a body after its headers.
fn has_blank_line(raw: &[u8]) -> bool {
    raw.windows(2).any(|w| w == b"\n\n") || raw.windows(3).any(|w| w == b"\n\r\n")
}

/// Runs one parse and the extraction from it with any panic contained. A panic leaves `mail`
/// as it was before the call plus [`Problem::ParserFailed`], and returns false.
fn read_guarded<'x>(
    mail: &mut ParsedMail,
    run: impl FnOnce(&MessageParser) -> Option<Message<'x>>,
    limits: &Limits,
    with_body: bool,
) -> bool {
    let before = mail.clone();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let parser = MessageParser::default();
        match run(&parser) {
            Some(message) => {
                headers::read(mail, &message, limits);
                if with_body {
                    parts::read(mail, &message, limits);
                }
                drop_flat(message);
            }
            None => mail.push_problem(Problem::NoHeaders),
        }
    }));
    if outcome.is_err() {
        *mail = before;
        mail.push_problem(Problem::ParserFailed);
        return false;
    }
    true
}

/// Drops a parsed message without recursion. Messages attached inside messages nest as deep
/// as the input says (a few megabytes of `Content-Type: message/rfc822` headers give 100,000
/// levels), and the compiler's recursive drop would overflow the stack, which aborts the whole
/// server. Detaching each attached message before dropping its parent keeps the stack flat.
fn drop_flat(message: Message<'_>) {
    let mut pending = vec![message];
    while let Some(mut message) = pending.pop() {
        for part in &mut message.parts {
            if matches!(part.body, PartType::Message(_))
                && let PartType::Message(inner) = std::mem::take(&mut part.body)
            {
                pending.push(inner);
            }
        }
    }
}

/// Adds the problems that follow from what was (not) found.
fn finish(mut mail: ParsedMail) -> ParsedMail {
    if mail.from.is_none() {
        mail.push_problem(Problem::NoSender);
    }
    if mail.message_id.is_none() && !mail.has_problem("no_headers") {
        mail.push_problem(Problem::NoMessageId);
    }
    mail
}
