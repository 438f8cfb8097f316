//! Recognising charset labels that no decoder knows, so that text decoded with replacement
//! characters is flagged for an agent rather than passed off as correct.

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode_char;

use crate::text::one_line;

/// Charset labels that mean UTF-8 (or its ASCII subset). The MIME library decodes these
/// natively and so has no decoder entry for them; they are not unknown.
const UTF8_LABELS: &[&str] = &[
    "utf-8",
    "utf8",
    "unicode-1-1-utf-8",
    "unicode11utf8",
    "unicode20utf8",
    "x-unicode20utf8",
    "us-ascii",
];

/// Returns the cleaned label when `label` names a charset no decoder knows, else `None`.
pub(super) fn unknown(label: &str) -> Option<String> {
    let label = label.trim().trim_matches('"').to_ascii_lowercase();
    let known = label.is_empty()
        || UTF8_LABELS.contains(&label.as_str())
        || charset_decoder(label.as_bytes()).is_some();
    (!known).then(|| one_line(&label).chars().take(64).collect())
}

/// Returns the first unknown charset named by an RFC 2047 encoded word (`=?label?B?…?=`) in a
/// raw header value. The library decodes such words as best it can without saying so.
pub(super) fn unknown_in_encoded_words(raw: &str) -> Option<String> {
    let mut rest = raw;
    while let Some(start) = rest.find("=?") {
        rest = &rest[start + 2..];
        let label_len = rest
            .find(|c: char| {
                !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':' | '*'))
            })
            .unwrap_or(rest.len());
        let (label, after) = rest.split_at(label_len);
        // Only a complete `=?label?B?` or `=?label?Q?` opening is an encoded word.
        let is_word = after.len() >= 3
            && after.as_bytes()[0] == b'?'
            && matches!(after.as_bytes()[1], b'b' | b'B' | b'q' | b'Q')
            && after.as_bytes()[2] == b'?';
        // RFC 2231 allows a language after an asterisk: `=?utf-8*vi?Q?…?=`.
        let label = label.split('*').next().unwrap_or_default();
        if is_word
            && label.len() <= 40
            && let Some(unknown) = unknown(label)
        {
            return Some(unknown);
        }
    }
    None
}

/// The longest encoded word read. RFC 2047 allows 75 characters; some mail programs write
/// longer ones, so the bound is generous.
const MAX_WORD: usize = 1024;

/// One RFC 2047 encoded word found in a header: its charset label and its decoded bytes.
struct Word {
    label: String,
    bytes: Vec<u8>,
}

/// Splits `=?label?B|Q?text?=` at the start of `rest`; `None` when it is not a complete word.
/// Returns the word and the length of `rest` it took.
fn encoded_word(rest: &str) -> Option<(Word, usize)> {
    // The search for a word's end stops after MAX_WORD bytes, so that a header of many
    // unfinished `=?` openings costs linear time, not quadratic.
    let mut window = rest.len().min(MAX_WORD);
    while !rest.is_char_boundary(window) {
        window -= 1;
    }
    let rest = &rest[..window];
    let inner = rest.strip_prefix("=?")?;
    let (label, inner) = inner.split_once('?')?;
    let (kind, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let text = &inner[..end];
    if label.is_empty()
        || label.len() > 40
        || label.contains(char::is_whitespace)
        || text.contains(char::is_whitespace)
    {
        return None;
    }
    let bytes = match kind {
        "B" | "b" => base64_decode(text.as_bytes())?,
        "Q" | "q" => q_decode(text.as_bytes()),
        _ => return None,
    };
    // RFC 2231 allows a language after an asterisk: `=?utf-8*vi?Q?…?=`.
    let label = label
        .split('*')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let taken = 2 + label_len(rest) + 1 + kind.len() + 1 + end + 2;
    Some((Word { label, bytes }, taken))
}

fn label_len(rest: &str) -> usize {
    rest[2..].find('?').unwrap_or_default()
}

/// The `Q` encoding: `_` is a space and `=XX` a byte; anything malformed is kept as written.
fn q_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        match text[at] {
            b'_' => out.push(b' '),
            b'=' => {
                match text
                    .get(at + 1..at + 3)
                    .and_then(|hex| quoted_printable_decode_char(hex[0], hex[1]))
                {
                    Some(byte) => {
                        out.push(byte);
                        at += 2;
                    }
                    None => out.push(b'='),
                }
            }
            byte => out.push(byte),
        }
        at += 1;
    }
    out
}

/// Decodes bytes in the named charset; UTF-8 and unknown labels are read as lossy UTF-8.
pub(super) fn decode_bytes(label: &str, bytes: &[u8]) -> String {
    match charset_decoder(label.to_ascii_lowercase().as_bytes()) {
        Some(decode) => decode(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Decodes a raw header value whose adjacent encoded words of one charset are joined before
/// decoding. Mail programs split long subjects into several words without caring where a
/// multi-byte character ends, so decoding each word alone (as the MIME library does) turns a
/// character cut in two into replacement characters. White space between two encoded words is
/// dropped, as RFC 2047 says; other text is kept, unfolded.
pub(super) fn decode_joined_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // The pending run of adjacent words of one charset, and the white space seen after it.
    let mut run: Option<Word> = None;
    let mut gap = String::new();
    let mut rest = raw;
    while !rest.is_empty() {
        if rest.starts_with("=?")
            && let Some((word, taken)) = encoded_word(rest)
        {
            match &mut run {
                Some(pending) if pending.label == word.label => {
                    pending.bytes.extend_from_slice(&word.bytes)
                }
                _ => {
                    if let Some(done) = run.take() {
                        out.push_str(&decode_bytes(&done.label, &done.bytes));
                    }
                    run = Some(word);
                }
            }
            gap.clear();
            rest = &rest[taken..];
            continue;
        }
        let Some(ch) = rest.chars().next() else { break };
        rest = &rest[ch.len_utf8()..];
        if run.is_some() && ch.is_whitespace() {
            gap.push(ch);
            continue;
        }
        if let Some(done) = run.take() {
            out.push_str(&decode_bytes(&done.label, &done.bytes));
            out.push_str(&gap);
            gap.clear();
        }
        out.push(ch);
    }
    if let Some(done) = run.take() {
        out.push_str(&decode_bytes(&done.label, &done.bytes));
    }
    out.push_str(&gap);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_checked_case_insensitively() {
        assert_eq!(unknown("UTF-8"), None);
        assert_eq!(unknown("Windows-1258"), None);
        assert_eq!(unknown("\"gb2312\""), None);
        assert_eq!(unknown("x-unknown").as_deref(), Some("x-unknown"));
    }

    #[test]
    fn encoded_words_are_scanned() {
        assert_eq!(
            unknown_in_encoded_words("=?utf-8*vi?Q?a?= =?GB2312?B?zfXOsA==?="),
            None
        );
        assert_eq!(
            unknown_in_encoded_words("Re: =?x-viscii?Q?Xin?=").as_deref(),
            Some("x-viscii")
        );
        assert_eq!(unknown_in_encoded_words("=?"), None);
        assert_eq!(
            unknown_in_encoded_words("=?utf-8?b?YQ==?=\n =?utf-8?b?Yg==?="),
            None
        );
        assert_eq!(unknown_in_encoded_words("a =?x y?Q?b?= =?"), None);
    }

    #[test]
    fn a_character_split_across_two_words_is_joined() {
        // "Khiếu" with the three bytes of "ế" (E1 BA BF) cut after the first.
        assert_eq!(
            decode_joined_words("=?UTF-8?B?S2hp4Q==?=\r\n =?utf-8?B?ur91IG7huqFp?= (gấp)"),
            "Khiếu nại (gấp)"
        );
        assert_eq!(
            decode_joined_words("=?utf-8?Q?Khi=E1?= =?utf-8?Q?=BA=BFu_n?= x =?bad"),
            "Khiếu n x =?bad"
        );
        assert_eq!(decode_joined_words("=?utf-8?Q?a=?="), "a=");
        // A word past the bound is left as written.
        let long = format!("=?utf-8?Q?{}?=", "a".repeat(MAX_WORD));
        assert_eq!(decode_joined_words(&long), long);
    }
}
