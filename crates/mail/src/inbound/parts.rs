//! Reading the body and the files of a parsed message, within the part and depth limits.

use std::collections::HashSet;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use super::charset;
use super::headers::normalise_id;
use super::{Attachment, Limits, ParsedMail, Problem};
use crate::html::{html_to_text, is_too_complex, sanitize_html};
use crate::safe_filename;
use crate::text::{body, one_line};

pub(super) fn read(mail: &mut ParsedMail, message: &Message<'_>, limits: &Limits) {
    let usable = usable_parts(mail, message, limits);
    let is_usable = |id: &u32| usable.get(*id as usize).copied().unwrap_or(false);

    for (id, part) in message.parts.iter().enumerate() {
        if !usable.get(id).copied().unwrap_or(false) {
            continue;
        }
        // The library also marks a message that has headers but no body; that is not broken.
        let empty = matches!(&part.body, PartType::Text(text) if text.is_empty());
        if part.is_encoding_problem && !empty {
            mail.push_problem(Problem::BrokenPart);
        }
        if let Some(charset) = unknown_charset(part) {
            mail.push_problem(Problem::UnknownCharset { charset });
        }
    }

    // Parts the library set aside as files but which are text to be shown (CH-1).
    // A part the library already reads as text keeps its place among the texts.
    let library_texts: HashSet<u32> = message.text_body.iter().copied().collect();
    let extra_texts: Vec<(u32, String)> = message
        .attachments
        .iter()
        .copied()
        .filter(|id| is_usable(id) && !library_texts.contains(id))
        .filter_map(|id| Some((id, shown_as_text(message.parts.get(id as usize)?)?)))
        .collect();
    let set_aside = |id: &u32| extra_texts.iter().any(|(known, _)| known == id);
    // The library's text parts, then the ones it had set aside as files.
    let mut texts: Vec<&str> = message
        .text_body
        .iter()
        .filter(|id| is_usable(id))
        .filter_map(
            |id| match message.parts.get(*id as usize).map(|p| &p.body) {
                Some(PartType::Text(text)) => Some(text.as_ref()),
                _ => None,
            },
        )
        .collect();
    texts.extend(extra_texts.iter().map(|(_, text)| text.as_str()));
    let htmls: Vec<&str> = message
        .html_body
        .iter()
        .filter(|id| is_usable(id))
        .filter_map(
            |id| match message.parts.get(*id as usize).map(|p| &p.body) {
                Some(PartType::Html(html)) => Some(html.as_ref()),
                _ => None,
            },
        )
        .collect();

    if !texts.is_empty() {
        mail.text_body = Some(body(&texts.join("\n")));
    }
    if !htmls.is_empty() {
        let raw_html = htmls.join("\n");
        if is_too_complex(&raw_html) {
            mail.push_problem(Problem::HtmlTooComplex);
        }
        mail.html_body = Some(sanitize_html(&raw_html));
        if mail.text_body.is_none() {
            mail.text_body = Some(body(&html_to_text(&raw_html)));
            mail.text_from_html = true;
        }
    }

    mail.attachments = message
        .attachments
        .iter()
        .filter(|id| is_usable(id) && !set_aside(id))
        .filter_map(|id| message.parts.get(*id as usize))
        .filter_map(|part| attachment(message, part))
        .collect();
}

/// Marks which parts may be read: within the first `max_parts` and at most `max_depth` deep.
/// Parts are stored flat in document order; the tree is walked without recursion so that a
/// hostile nesting depth cannot exhaust the stack.
fn usable_parts(mail: &mut ParsedMail, message: &Message<'_>, limits: &Limits) -> Vec<bool> {
    let count = message.parts.len();
    if count > limits.max_parts {
        mail.push_problem(Problem::TooManyParts {
            limit: limits.max_parts,
        });
    }
    let mut usable = vec![false; count.min(limits.max_parts)];
    let mut seen = vec![false; count];
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    while let Some((id, depth)) = stack.pop() {
        if id >= count || seen[id] {
            continue;
        }
        seen[id] = true;
        if depth > limits.max_depth {
            mail.push_problem(Problem::TooDeep {
                limit: limits.max_depth,
            });
            continue;
        }
        if let Some(slot) = usable.get_mut(id) {
            *slot = true;
        }
        if let PartType::Multipart(children) = &message.parts[id].body {
            stack.extend(children.iter().map(|&child| (child as usize, depth + 1)));
        }
    }
    usable
}

/// The text of a part the library filed as an attachment that common mail clients show as
/// the body; `None` for a real file. Two cases (CH-1):
/// - a `Content-Type` with no subtype (`Content-Type: text`, `Content-Type: foo`) is not a
///   valid type, and RFC 2045 says to read an invalid type as `text/plain`;
/// - a `text/plain` part whose transfer encoding did not decode (declared base64, sent as
///   plain text): the library keeps its raw text, and the customer's words are in it.
///
/// A part with a file name or an `attachment` disposition stays a file.
fn shown_as_text(part: &MessagePart<'_>) -> Option<String> {
    let named = part.attachment_name().is_some()
        || part
            .content_disposition()
            .is_some_and(|cd| cd.is_attachment());
    let content_type = part.content_type()?;
    let no_subtype = content_type
        .subtype()
        .is_none_or(|sub| sub.trim().is_empty())
        && !["multipart", "message"]
            .iter()
            .any(|kind| content_type.ctype().eq_ignore_ascii_case(kind));
    let undecoded_plain = part.is_encoding_problem
        && content_type.ctype().eq_ignore_ascii_case("text")
        && content_type
            .subtype()
            .is_some_and(|sub| sub.eq_ignore_ascii_case("plain"));
    if named || !(no_subtype || undecoded_plain) {
        return None;
    }
    match &part.body {
        PartType::Text(text) => Some(text.to_string()),
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => {
            let label = content_type.attribute("charset").unwrap_or("utf-8");
            Some(charset::decode_bytes(label.trim().trim_matches('"'), bytes))
        }
        _ => None,
    }
}

/// Returns the charset label of a text part when no decoder knows it.
fn unknown_charset(part: &MessagePart<'_>) -> Option<String> {
    if !matches!(part.body, PartType::Text(_) | PartType::Html(_)) {
        return None;
    }
    charset::unknown(part.content_type()?.attribute("charset")?)
}

fn attachment(message: &Message<'_>, part: &MessagePart<'_>) -> Option<Attachment> {
    let (bytes, default_type) = match &part.body {
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => {
            (bytes.to_vec(), "application/octet-stream")
        }
        PartType::Text(text) => (original_bytes(message, part, text), "text/plain"),
        PartType::Html(html) => (original_bytes(message, part, html), "text/html"),
        PartType::Message(nested) => (forwarded_bytes(message, part, nested), "message/rfc822"),
        PartType::Multipart(_) => return None,
    };
    let content_type = part
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_owned(),
        })
        .map(|ct| one_line(&ct).to_ascii_lowercase())
        .filter(|ct| ct.contains('/'))
        .unwrap_or_else(|| default_type.to_owned());
    let original_name = part
        .attachment_name()
        .map(one_line)
        .filter(|n| !n.is_empty())
        .or_else(|| nested_subject_name(part));
    let name = safe_filename(
        original_name
            .as_deref()
            .unwrap_or(&default_name(&content_type)),
    );
    let content_id = part.content_id().and_then(normalise_id);
    let marked_attachment = part
        .content_disposition()
        .is_some_and(|cd| cd.is_attachment());
    let inline = content_type.starts_with("image/")
        && !marked_attachment
        && (content_id.is_some() || matches!(part.body, PartType::InlineBinary(_)));
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Some(Attachment {
        name,
        original_name,
        content_type,
        content_id,
        inline,
        bytes,
        sha256,
    })
}

/// The bytes of a text part as the sender wrote them, before charset conversion, so that an
/// attached text file hashes the same as the customer's copy. Falls back to the decoded text
/// when the raw part cannot be located or decoded.
fn original_bytes(message: &Message<'_>, part: &MessagePart<'_>, decoded: &str) -> Vec<u8> {
    let start = part.raw_body_offset() as usize;
    let end = part.raw_end_offset() as usize;
    let raw = message.raw_message().get(start..end);
    let bytes = match (raw, part.encoding) {
        (Some(raw), Encoding::Base64) => base64_decode(raw),
        (Some(raw), Encoding::QuotedPrintable) => quoted_printable_decode(raw),
        (Some(raw), Encoding::None) if !part.is_encoding_problem => Some(raw.to_vec()),
        _ => None,
    };
    bytes.unwrap_or_else(|| decoded.as_bytes().to_vec())
}

/// The raw bytes of an attached message. A message attached without transfer encoding is a
/// slice of the outer message (the MIME library's nested `raw_message` is then the whole outer
/// message); an encoded one is what the library decoded.
fn forwarded_bytes(message: &Message<'_>, part: &MessagePart<'_>, nested: &Message<'_>) -> Vec<u8> {
    if part.encoding != Encoding::None {
        return nested.raw_message().to_vec();
    }
    let start = part.raw_body_offset() as usize;
    let end = part.raw_end_offset() as usize;
    message
        .raw_message()
        .get(start..end)
        .unwrap_or_default()
        .to_vec()
}

/// A name for a forwarded message from its subject, as mail programs do.
fn nested_subject_name(part: &MessagePart<'_>) -> Option<String> {
    match &part.body {
        PartType::Message(nested) => nested
            .subject()
            .map(one_line)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{s}.eml")),
        _ => None,
    }
}

/// A name for a part that has none, with an extension a file manager recognises.
fn default_name(content_type: &str) -> String {
    let extension = match content_type {
        "image/png" => ".png",
        "image/jpeg" | "image/jpg" | "image/pjpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "application/pdf" => ".pdf",
        "text/plain" => ".txt",
        "text/html" => ".html",
        "message/rfc822" | "message/global" => ".eml",
        "message/delivery-status" => ".txt",
        _ => "",
    };
    format!("attachment{extension}")
}
