//! Small text helpers shared by the parser: NFC normalisation and control-character clean-up.

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// Returns `text` in Unicode NFC. Windows-1258 mail decodes to decomposed Vietnamese (a letter
/// followed by a combining tone mark), which would neither compare nor search equal to what an
/// agent types, so every text that leaves this crate goes through here.
pub(crate) fn nfc(text: &str) -> String {
    match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_owned(),
        _ => text.nfc().collect(),
    }
}

/// Returns `text` in NFC on one line: folded header whitespace and control characters become
/// single spaces, so that a subject or a display name cannot carry line breaks or escape codes
/// into a log line or a page.
pub(crate) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || ch.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    nfc(&out)
}

/// Returns body text in NFC with line endings unified to `\n` and control characters other than
/// tab and newline removed. The NUL byte in particular must not reach the database.
pub(crate) fn body(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = unified
        .chars()
        .filter(|&ch| ch == '\n' || ch == '\t' || !ch.is_control())
        .collect();
    nfc(&cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_windows_1258_style_text() {
        // "Việt" written as base letters plus combining marks, as windows-1258 decodes.
        let decomposed = "Vie\u{0323}\u{0302}t";
        assert_eq!(nfc(decomposed), "Việt");
    }

    #[test]
    fn one_line_folds_whitespace_and_controls() {
        assert_eq!(
            one_line("  Xin\r\n\tchào\u{1b}[31m bạn "),
            "Xin chào [31m bạn"
        );
    }

    #[test]
    fn body_unifies_line_endings_and_drops_nul() {
        assert_eq!(body("a\r\nb\rc\0d\te"), "a\nb\ncd\te");
    }
}
