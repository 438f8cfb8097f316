//! Finding where the body starts in a message whose headers run into it without a blank line.

/// Headers that mail programs write. A stray line followed by one of these is damage inside the
/// header block (read on past it, as the MIME library does); a stray line followed by none of
/// them is where the body starts.
const KNOWN: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "reply-to",
    "sender",
    "mime-version",
    "received",
    "return-path",
];

/// What one line of the header block is.
enum Line {
    Blank,
    /// A folded continuation of the header above.
    Continuation,
    /// `name:` with a name of printable ASCII; `known` when mail programs write that name.
    Header {
        known: bool,
    },
    Stray,
}

fn classify(line: &[u8]) -> Line {
    let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
    let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Line::Blank;
    }
    if matches!(trimmed[0], b' ' | b'\t') {
        return Line::Continuation;
    }
    let name_len = trimmed
        .iter()
        .position(|&b| !(33..=126).contains(&b) || b == b':')
        .unwrap_or(trimmed.len());
    let after = &trimmed[name_len..];
    let colon = after
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .is_some_and(|at| after[at] == b':');
    if name_len == 0 || !colon {
        return Line::Stray;
    }
    let name = String::from_utf8_lossy(&trimmed[..name_len]).to_ascii_lowercase();
    let known = KNOWN.contains(&name.as_str()) || name.starts_with("content-");
    Line::Header { known }
}

/// The offset of the first line of the body when the headers run into it without a blank
/// line: the first line that is neither a header nor a continuation, after at least one
/// header, and with no header mail programs write after it before the first blank line.
/// `None` when there is nothing to fix. Common mail clients read such a message this way; the MIME
/// library reads the whole message as headers, and the body is lost (CH-1).
pub(super) fn body_without_blank_line(raw: &[u8]) -> Option<usize> {
    let mut seen_header = false;
    let mut candidate = None;
    let mut offset = 0;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        match classify(line) {
            // The header block ends at the first blank line; a stray line before it with no
            // known header after it began the body (a body of several paragraphs).
            Line::Blank => return candidate,
            Line::Continuation => {}
            Line::Header { known } => {
                if known {
                    candidate = None;
                }
                seen_header = true;
            }
            Line::Stray => {
                if seen_header && candidate.is_none() {
                    candidate = Some(offset);
                }
            }
        }
        offset += line.len();
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_stray_line_after_the_headers_starts_the_body() {
        let raw = b"From: a@b.vn\r\nSubject: x\r\nL\xe1\xbb\x97i: sai\r\nNote: y\r\n";
        assert_eq!(body_without_blank_line(raw), Some(26));
        // Damage inside the header block, followed by real headers, is not the body.
        assert_eq!(
            body_without_blank_line(b"From: a@b.vn\nno colon\nDate: x\n\nbody\n"),
            None
        );
        assert_eq!(body_without_blank_line(b"garbage\nFrom: a@b.vn\n"), None);
        assert_eq!(body_without_blank_line(b"From: a@b.vn\n\nbody\n"), None);
        // A body of several paragraphs: the stray line still starts it.
        assert_eq!(
            body_without_blank_line(b"From: a@b.vn\nChao anh,\n\nDate: mai\n"),
            Some(13)
        );
        assert_eq!(body_without_blank_line(b""), None);
    }
}
