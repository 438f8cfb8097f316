//! What the inbound pipeline reads out of a parsed mail: the new text without the quote, the
//! files that may join a ticket, the Cc contacts, the language to answer in, and the notes
//! that tell an agent what could not be read (CH-1, CH-6, CH-7).

use crate::texts::vi;
use hotro_core::Language;
use hotro_core::attachment::{Attachment, limits as file_limits, sha256_hex, sniff};
use hotro_core::contact::{Email, email_key};
use hotro_core::text::limits;
use hotro_mail::ParsedMail;
use hotro_store::NewFile;

/// How many Cc addresses of a first mail become known contacts of its ticket.
const MAX_CC_CONTACTS: usize = 10;

/// The addresses the customer put in Cc of the mail that opens a ticket: people they want in
/// the conversation, whose answers may join it (issue 4, known contacts).
pub(super) fn cc_contacts(mail: &ParsedMail, customer: Option<&str>) -> Vec<String> {
    let mut contacts: Vec<String> = mail
        .cc
        .iter()
        .filter_map(|m| Email::parse("cc", &m.address).ok())
        .map(|e| e.key())
        .filter(|e| customer.is_none_or(|c| email_key(c) != *e))
        .collect();
    contacts.sort();
    contacts.dedup();
    contacts.truncate(MAX_CC_CONTACTS);
    contacts
}

/// The mail's files that may join a ticket (CH-6: types judged by content, within the
/// per-message limits), to be stored in its ticket's commit, and the names of those kept out,
/// which stay in the raw message for an agent.
pub(super) fn files_of(mail: &ParsedMail) -> (Vec<NewFile>, Vec<String>) {
    let mut kept: Vec<NewFile> = Vec::new();
    let mut refused = Vec::new();
    let mut total = 0usize;
    for file in &mail.attachments {
        let fits = kept.len() < file_limits::FILES
            && file.bytes.len() <= file_limits::FILE_BYTES
            && total + file.bytes.len() <= file_limits::TOTAL_BYTES;
        match sniff(&file.bytes) {
            Some(content_type) if fits => {
                total += file.bytes.len();
                kept.push(NewFile {
                    attachment: Attachment {
                        sha256: sha256_hex(&file.bytes),
                        name: file.name.clone(),
                        content_type: content_type.to_owned(),
                        size: file.bytes.len() as u64,
                    },
                    content: file.bytes.clone(),
                });
            }
            _ => refused.push(file.name.clone()),
        }
    }
    (kept, refused)
}

/// The records of `files`, as the rules and the ticket name them.
pub(super) fn records(files: &[NewFile]) -> Vec<Attachment> {
    files.iter().map(|f| f.attachment.clone()).collect()
}

/// What the customer wrote now: the new text without the quoted earlier mail (which the raw
/// message keeps), cut to the description limit.
pub(super) fn body_text(mail: &ParsedMail, has_files: bool) -> String {
    let split = mail.split_text();
    let text = split.new_text.trim();
    if text.is_empty() {
        if has_files {
            String::new()
        } else {
            vi("mail.no_body", &[])
        }
    } else {
        cut(text, limits::DESCRIPTION)
    }
}

/// Notes on what the parser could not read, for the agent.
pub(super) fn problem_notes(mail: &ParsedMail, sha: &str) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(hotro_mail::Problem::TooLarge { size, limit }) = mail
        .problems
        .iter()
        .find(|p| matches!(p, hotro_mail::Problem::TooLarge { .. }))
    {
        notes.push(note(
            "mail.note.too_large",
            &[
                ("size", &size.to_string()),
                ("limit", &limit.to_string()),
                ("sha256", sha),
            ],
        ));
    }
    let others: Vec<String> = mail
        .problems
        .iter()
        .filter(|p| !matches!(p.code(), "too_large" | "no_sender" | "no_message_id"))
        .map(|p| p.to_string())
        .collect();
    if !others.is_empty() {
        notes.push(note(
            "mail.note.problems",
            &[("problems", &others.join("; ")), ("sha256", sha)],
        ));
    }
    notes
}

/// The language to answer in (TR-1): English when the customer wrote in English,
/// Vietnamese otherwise, the default for everyone.
pub(super) fn customer_language(mail: &ParsedMail) -> Language {
    if hotro_mail::wrote_english(mail) {
        Language::En
    } else {
        Language::Vi
    }
}

/// A system note for the agent, from the catalogue.
pub(super) fn note(key: &str, args: &[(&str, &str)]) -> String {
    vi(key, args)
}

/// At most `max` characters of `text`.
pub(super) fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// What makes two messages under one `Message-ID` the same message: sender, date, subject,
/// bodies and files. The transport headers (`Received`, `Delivered-To`, a mailbox's flags)
/// differ between copies of one message and are left out.
pub(super) fn fingerprint(mail: &ParsedMail) -> String {
    let mut text = String::new();
    let mut field = |value: &str| {
        // Length-prefixed, so no two different field lists run together into the same text.
        text.push_str(&value.len().to_string());
        text.push(':');
        text.push_str(value);
    };
    field(mail.from.as_ref().map_or("", |m| m.address.as_str()));
    field(&mail.date.map(|d| d.to_string()).unwrap_or_default());
    field(mail.subject.as_deref().unwrap_or_default());
    field(mail.text_body.as_deref().unwrap_or_default());
    field(mail.html_body.as_deref().unwrap_or_default());
    for file in &mail.attachments {
        field(&file.name);
        field(&sha256_hex(&file.bytes));
    }
    sha256_hex(text.as_bytes())
}
