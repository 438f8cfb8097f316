//! Recognising charset labels that no decoder knows, so that text decoded with replacement
//! characters is flagged for an agent rather than passed off as correct.

use mail_parser::decoders::charsets::map::charset_decoder;

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
}
