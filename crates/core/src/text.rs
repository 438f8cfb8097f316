//! Cleaning of free text from customers and staff: NFC, trimmed, bounded, no control codes.
//!
//! Vietnamese arrives both composed and decomposed (a letter plus combining tone marks);
//! storing NFC means that what looks the same compares the same.

use crate::rejection::FieldError;
use unicode_normalization::UnicodeNormalization;

/// Documented length limits, in characters (CONTRACT: strings past them get 422 `max_length`).
pub mod limits {
    pub const NAME: usize = 200;
    pub const EMAIL: usize = 254;
    pub const PHONE: usize = 32;
    pub const ADDRESS: usize = 500;
    pub const SUBJECT: usize = 300;
    pub const DESCRIPTION: usize = 20_000;
    pub const SHORT_TEXT: usize = 2_000;
    pub const REPLY: usize = 50_000;
    pub const REASON: usize = 1_000;
    pub const TOPIC: usize = 64;
}

/// NFC-normalises and trims `value`; refuses empty text, text over `max` characters and
/// control characters other than tab and line breaks.
pub fn required(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let cleaned: String = value.nfc().collect::<String>().trim().to_owned();
    if cleaned.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    if cleaned.chars().count() > max {
        return Err(FieldError::new(field, "max_length"));
    }
    if cleaned
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new(field, "control_characters"));
    }
    Ok(cleaned)
}

/// Like [`required`], but an absent or blank value is simply `None`.
pub fn optional(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match value {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => required(field, v, max).map(Some),
    }
}

/// NFC form of a string, for comparisons that must not depend on how it was typed.
pub fn nfc(value: &str) -> String {
    value.nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_vietnamese_is_stored_composed() {
        let decomposed = "Khie\u{302}\u{301}u na\u{323}i";
        assert_eq!(required("subject", decomposed, 50).unwrap(), "Khiếu nại");
    }

    #[test]
    fn limits_and_blanks_name_the_rule() {
        assert_eq!(required("subject", "  ", 5).unwrap_err().rule, "required");
        assert_eq!(
            required("subject", "abcdef", 5).unwrap_err().rule,
            "max_length"
        );
        assert_eq!(
            required("subject", "a\u{0}b", 5).unwrap_err().rule,
            "control_characters"
        );
        assert_eq!(optional("x", Some(" "), 5).unwrap(), None);
    }
}
