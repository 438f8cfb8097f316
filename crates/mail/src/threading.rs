//! The keys that can join a mail to an existing ticket (CH-1): the message ids it answers and
//! a ticket code in its subject. Deciding whether the sender may join that ticket is the
//! store's job (issue 4: never merge another customer's mail into a ticket).

use std::collections::HashSet;

/// Finds a ticket code such as `HT-2026-000123` in a subject, case-insensitively, with or
/// without brackets around it, and returns it in upper case. The code must stand alone (not be
/// part of a longer word or number) and follow the ticket code format: the prefix, a four-digit
/// year and a sequence of 6 to 12 digits.
pub fn ticket_code_in_subject(subject: &str, prefix: &str) -> Option<String> {
    let prefix = prefix.trim();
    if prefix.is_empty() || !prefix.is_ascii() {
        return None;
    }
    let upper = subject.to_ascii_uppercase();
    let wanted = format!("{}-", prefix.to_ascii_uppercase());
    let bytes = upper.as_bytes();
    let mut from = 0;
    while let Some(found) = upper.get(from..).and_then(|rest| rest.find(&wanted)) {
        let start = from + found;
        from = start + 1;
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let after_prefix = start + wanted.len();
        let year_end = after_prefix + 4;
        let year_ok = bytes
            .get(after_prefix..year_end)
            .is_some_and(|y| y.iter().all(u8::is_ascii_digit));
        if !year_ok || bytes.get(year_end) != Some(&b'-') {
            continue;
        }
        let seq_start = year_end + 1;
        let seq_len = bytes[seq_start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = seq_start + seq_len;
        let stands_alone = bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
        if (6..=12).contains(&seq_len) && stands_alone {
            return Some(upper[start..end].to_owned());
        }
    }
    None
}

/// Every message id a reply refers to, most specific first: `In-Reply-To` (the message
/// answered), then `References` from the newest back to the thread's root, without duplicates.
/// The store looks them up in this order and takes the first that belongs to a ticket.
pub fn referenced_message_ids(in_reply_to: &[String], references: &[String]) -> Vec<String> {
    // A set keeps this linear however long the lists are.
    let mut seen: HashSet<&str> = HashSet::new();
    in_reply_to
        .iter()
        .chain(references.iter().rev())
        .map(|id| {
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .trim()
        })
        .filter(|id| !id.is_empty() && seen.insert(id))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ch1_ticket_code_found_in_brackets_or_not() {
        let p = "HT";
        assert_eq!(
            ticket_code_in_subject("Re: [HT-2026-000123] Hoá đơn", p).as_deref(),
            Some("HT-2026-000123")
        );
        assert_eq!(
            ticket_code_in_subject("trả lời yêu cầu ht-2026-000123, cảm ơn", p).as_deref(),
            Some("HT-2026-000123")
        );
        assert_eq!(
            ticket_code_in_subject("Fwd: (HT-2026-123456789012)", p).as_deref(),
            Some("HT-2026-123456789012")
        );
    }

    #[test]
    fn ch1_lookalike_codes_are_ignored() {
        let p = "HT";
        for subject in [
            "XHT-2026-000123",
            "HT-2026-000123X",
            "HT-2026-00012",
            "HT-26-000123",
            "HT-2026-0001234567890",
            "Không có mã",
            "HT-2026-",
        ] {
            assert_eq!(ticket_code_in_subject(subject, p), None, "{subject}");
        }
        assert_eq!(
            ticket_code_in_subject("HT-2026-1 và HT-2026-000777", p).as_deref(),
            Some("HT-2026-000777")
        );
        assert_eq!(ticket_code_in_subject("HT-2026-000123", ""), None);
    }

    #[test]
    fn ch1_referenced_ids_in_reply_to_first_then_newest_reference() {
        let ids = referenced_message_ids(
            &["c@x".into()],
            &["a@x".into(), "<b@x>".into(), "c@x".into()],
        );
        assert_eq!(ids, vec!["c@x", "b@x", "a@x"]);
    }
}
