//! Reading the top-level headers: ids, subject, addresses and date.

use std::collections::HashSet;

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use mail_parser::{Address, HeaderName, HeaderValue, Message};

use super::{Limits, Mailbox, ParsedMail, Problem, automatic, charset};
use crate::text::{nfc, one_line};

/// The longest message id kept. RFC 5322 lines are at most 998 characters, so anything longer
/// is not an id a mail program produced.
const MAX_ID_LEN: usize = 998;

/// The longest address kept (RFC 5321 allows 64 + 1 + 255 octets).
const MAX_ADDRESS_LEN: usize = 320;

pub(super) fn read(mail: &mut ParsedMail, message: &Message<'_>, limits: &Limits) {
    // A Message-ID with a missing bracket still identifies the message for de-duplication.
    mail.message_id = message
        .message_id()
        .and_then(normalise_id)
        .or_else(|| raw_header(message, "Message-ID").and_then(|raw| normalise_id(&raw)));
    mail.in_reply_to = ids(message.in_reply_to());
    mail.references = cap_references(ids(message.references()), limits.max_references);
    mail.subject = message
        .subject()
        .map(|subject| joined_if_split(message, subject))
        .map(|subject| one_line(&subject))
        .filter(|subject| !subject.is_empty());
    mail.from = message.from().and_then(first_mailbox);
    mail.reply_to = message
        .reply_to()
        .and_then(first_mailbox)
        .filter(|reply_to| Some(reply_to) != mail.from.as_ref());
    mail.to = mailboxes(message.to(), limits.max_recipients);
    let room = limits.max_recipients.saturating_sub(mail.to.len());
    mail.cc = mailboxes(message.cc(), room);
    read_date(mail, message);
    for name in ["Subject", "From", "To", "Cc", "Reply-To"] {
        if let Some(charset) =
            raw_header(message, name).and_then(|raw| charset::unknown_in_encoded_words(&raw))
        {
            mail.push_problem(Problem::UnknownCharset { charset });
        }
    }
    mail.automatic = automatic::detect(message, mail.from.as_ref());
}

/// The subject decoded again with adjacent encoded words joined, when the library's reading
/// has replacement characters that joining removes: a character split across two words
/// (CH-1). Otherwise the library's reading stands.
fn joined_if_split(message: &Message<'_>, decoded: &str) -> String {
    if !decoded.contains('\u{FFFD}') {
        return decoded.to_owned();
    }
    raw_header(message, "Subject")
        .map(|raw| charset::decode_joined_words(&raw))
        .filter(|joined| joined.matches('\u{FFFD}').count() < decoded.matches('\u{FFFD}').count())
        .unwrap_or_else(|| decoded.to_owned())
}

/// Normalises a message id: no angle brackets, no white space, and `None` when nothing is left
/// or the id is implausibly long.
pub(crate) fn normalise_id(raw: &str) -> Option<String> {
    let id: String = raw
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .chars()
        .filter(|ch| !ch.is_whitespace() && !ch.is_control())
        .collect();
    (!id.is_empty() && id.len() <= MAX_ID_LEN).then(|| nfc(&id))
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let raw: Vec<&str> = match value {
        HeaderValue::Text(id) => vec![id.as_ref()],
        HeaderValue::TextList(list) => list.iter().map(|id| id.as_ref()).collect(),
        _ => Vec::new(),
    };
    // A set keeps de-duplication linear: a hostile References header can hold 100,000 ids.
    let mut seen: HashSet<String> = HashSet::with_capacity(raw.len());
    raw.into_iter()
        .filter_map(normalise_id)
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// Keeps the thread's root and the most recent ids when a `References` header is very long.
fn cap_references(mut references: Vec<String>, max: usize) -> Vec<String> {
    if references.len() <= max {
        return references;
    }
    if max == 0 {
        return Vec::new();
    }
    let tail_start = references.len() - (max - 1);
    let mut kept = references.split_off(tail_start);
    references.truncate(1);
    references.append(&mut kept);
    references
}

fn addresses<'a>(address: &'a Address<'_>) -> Vec<&'a mail_parser::Addr<'a>> {
    match address {
        Address::List(list) => list.iter().collect(),
        Address::Group(groups) => groups.iter().flat_map(|g| g.addresses.iter()).collect(),
    }
}

fn first_mailbox(address: &Address<'_>) -> Option<Mailbox> {
    addresses(address).into_iter().find_map(|addr| {
        mailbox(
            addr.address.as_deref().unwrap_or_default(),
            addr.name.as_deref(),
        )
    })
}

fn mailboxes(address: Option<&Address<'_>>, max: usize) -> Vec<Mailbox> {
    let mut out: Vec<Mailbox> = Vec::new();
    for addr in address.map(addresses).unwrap_or_default() {
        if out.len() >= max {
            break;
        }
        let parsed = mailbox(
            addr.address.as_deref().unwrap_or_default(),
            addr.name.as_deref(),
        );
        if let Some(mb) = parsed
            && !out.iter().any(|known| known.address == mb.address)
        {
            out.push(mb);
        }
    }
    out
}

/// Builds a mailbox when `address` looks like `local@domain`; display names alone (a common
/// way a From header breaks) are not an address.
pub(crate) fn mailbox(address: &str, name: Option<&str>) -> Option<Mailbox> {
    let address = nfc(address.trim().trim_start_matches('<').trim_end_matches('>')).to_lowercase();
    let (local, domain) = address.rsplit_once('@')?;
    let plausible = !local.is_empty()
        && !domain.is_empty()
        && address.len() <= MAX_ADDRESS_LEN
        && !address
            .chars()
            .any(|ch| ch.is_whitespace() || ch.is_control() || matches!(ch, '<' | '>' | ','));
    if !plausible {
        return None;
    }
    let name = name
        .map(one_line)
        .map(|n| n.trim_matches(|c| c == '"' || c == '\'').trim().to_owned())
        .filter(|n| !n.is_empty() && *n != address);
    Some(Mailbox { address, name })
}

fn read_date(mail: &mut ParsedMail, message: &Message<'_>) {
    let present = message
        .root_part()
        .headers
        .iter()
        .any(|h| h.name == HeaderName::Date);
    if !present {
        return;
    }
    mail.date = message.date().and_then(|date| {
        let offset_seconds = (i32::from(date.tz_hour) * 60 + i32::from(date.tz_minute)) * 60;
        let offset_seconds = if date.tz_before_gmt {
            -offset_seconds
        } else {
            offset_seconds
        };
        let civil = DateTime::new(
            i16::try_from(date.year).ok()?,
            i8::try_from(date.month).ok()?,
            i8::try_from(date.day).ok()?,
            i8::try_from(date.hour).ok()?,
            i8::try_from(date.minute).ok()?,
            // A leap second (:60) is read as the last second of its minute.
            i8::try_from(date.second.min(59)).ok()?,
            0,
        )
        .ok()?;
        let zone = TimeZone::fixed(Offset::from_seconds(offset_seconds).ok()?);
        zone.to_timestamp(civil).ok()
    });
    if mail.date.is_none() {
        mail.problems.push(Problem::BadDate);
    }
}

/// The raw text of the last top-level header called `name`, whatever the parser made of it;
/// `None` when the header is absent. Raw text serves where structure failed: a header the
/// parser could not read must still count.
pub(super) fn raw_header(message: &Message<'_>, name: &str) -> Option<String> {
    let header = message
        .root_part()
        .headers
        .iter()
        .rev()
        .find(|h| h.name().eq_ignore_ascii_case(name))?;
    let raw = message
        .raw_message()
        .get(header.offset_start() as usize..header.offset_end() as usize)
        .map(String::from_utf8_lossy);
    match (raw, header.value()) {
        (Some(raw), _) => Some(raw.into_owned()),
        (None, HeaderValue::Text(text)) => Some(text.to_string()),
        (None, _) => Some(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_lose_brackets_and_space() {
        assert_eq!(normalise_id(" <abc@x.vn> ").as_deref(), Some("abc@x.vn"));
        assert_eq!(normalise_id("<>"), None);
        assert_eq!(normalise_id(&"a".repeat(2000)), None);
    }

    #[test]
    fn references_keep_root_and_recent() {
        let refs: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        assert_eq!(cap_references(refs, 4), vec!["0", "7", "8", "9"]);
    }

    #[test]
    fn mailbox_needs_local_and_domain() {
        assert!(mailbox("khach", Some("Khách")).is_none());
        assert!(mailbox("@x.vn", None).is_none());
        let mb = mailbox("An.Nguyen@Example.VN", Some(" \"Nguyễn An\" "));
        assert_eq!(
            mb,
            Some(Mailbox {
                address: "an.nguyen@example.vn".into(),
                name: Some("Nguyễn An".into())
            })
        );
    }
}
