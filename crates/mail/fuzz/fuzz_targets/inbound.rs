//! Fuzz target for the inbound pipeline's pure half (SC-4): raw bytes through `parse`, then the
//! helpers an ingest applies to what it read. Any panic, including one inside the MIME library
//! (which `parse` would contain and report as `parser_failed`), is a finding.

#![no_main]

use hotro_mail::{
    Limits, html_to_text, parse, referenced_message_ids, safe_filename, split_quoted,
    ticket_code_in_subject,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Generous limits let the whole structure be read; tight ones put the oversize,
    // part-count and depth paths within reach of inputs of a few kilobytes.
    let generous = Limits {
        max_message_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let tight = Limits {
        max_message_bytes: 1024,
        max_header_bytes: 512,
        max_parts: 4,
        max_depth: 2,
        max_references: 2,
        max_recipients: 2,
    };
    for limits in [&generous, &tight] {
        check(data, limits);
    }
    // The text helpers also take the raw input as text, which reaches inputs no parse yields.
    let text = String::from_utf8_lossy(data);
    let _ = split_quoted(&text);
    let _ = safe_filename(&text);
});

fn check(data: &[u8], limits: &Limits) {
    let mail = parse(data, limits);
    assert!(!mail.has_problem("parser_failed"), "{:?}", mail.problems);
    if data.len() > limits.max_message_bytes {
        assert!(mail.has_problem("too_large"));
        assert!(mail.attachments.is_empty());
    }
    assert!(mail.attachments.len() <= limits.max_parts);
    let split = split_quoted(mail.text_body.as_deref().unwrap_or_default());
    assert!(split.quoted.is_none() || !split.new_text.trim().is_empty());
    if let Some(html) = &mail.html_body {
        assert!(!html.to_ascii_lowercase().contains("<script"));
        let _ = html_to_text(html);
    }
    if let Some(subject) = &mail.subject {
        let _ = ticket_code_in_subject(subject, "HT");
    }
    let _ = referenced_message_ids(&mail.in_reply_to, &mail.references);
    for attachment in &mail.attachments {
        assert_eq!(safe_filename(&attachment.name), attachment.name);
    }
}
