//! Attachment names that are safe on any file system and in any download header (SC-4: path
//! tricks in file names), while keeping Vietnamese names readable.

use unicode_normalization::UnicodeNormalization;

/// The longest name returned, in bytes. Most file systems allow 255; the margin leaves room
/// for a prefix such as a sequence number.
pub const MAX_FILENAME_BYTES: usize = 200;

/// The name used when nothing usable is left.
pub const FALLBACK_FILENAME: &str = "attachment";

/// Names Windows reserves for devices, with or without an extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Makes an attachment name safe: keeps only the last path component (`../../etc/passwd`
/// becomes `passwd`), removes NUL, control and bidirectional-override characters (which can
/// disguise `exe.pdf` as `fdp.exe`), replaces characters Windows forbids, strips leading dots
/// and trailing dots and spaces, prefixes Windows device names (`CON.txt` becomes `_CON.txt`),
/// caps the length at [`MAX_FILENAME_BYTES`] on a character boundary while keeping a short
/// extension, and returns [`FALLBACK_FILENAME`] rather than an empty name. Letters of any
/// script are kept, in NFC.
pub fn safe_filename(name: &str) -> String {
    let composed: String = name.nfc().collect();
    let last = composed
        .rsplit(['/', '\\'])
        .find(|segment| !segment.trim().is_empty())
        .unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|&ch| !ch.is_control() && !is_invisible_format(ch))
        .map(|ch| match ch {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            ch if ch.is_whitespace() => ' ',
            ch => ch,
        })
        .collect();
    // Removing a control character can bring a combining mark next to a letter it composes
    // with, so composition runs again.
    let cleaned: String = cleaned.nfc().collect();
    let trimmed = trim_ends(&cleaned);
    let unreserved = if is_reserved(trimmed) {
        format!("_{trimmed}")
    } else {
        trimmed.to_owned()
    };
    let capped = cap_length(&unreserved);
    let capped = trim_ends(&capped);
    if capped.is_empty() {
        FALLBACK_FILENAME.to_owned()
    } else {
        capped.to_owned()
    }
}

fn trim_ends(name: &str) -> &str {
    name.trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
}

/// Zero-width and bidirectional formatting characters, invisible in a file list.
fn is_invisible_format(ch: char) -> bool {
    matches!(ch,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn is_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem))
}

/// Cuts `name` to [`MAX_FILENAME_BYTES`], shortening the stem and keeping an extension of up
/// to 16 bytes so that the file still opens with the right program.
fn cap_length(name: &str) -> String {
    if name.len() <= MAX_FILENAME_BYTES {
        return name.to_owned();
    }
    let extension = name
        .rfind('.')
        .map(|dot| &name[dot..])
        .filter(|ext| ext.len() <= 16 && ext.len() < name.len());
    let room = MAX_FILENAME_BYTES - extension.map_or(0, str::len);
    let mut stem_end = room.min(name.len());
    while !name.is_char_boundary(stem_end) {
        stem_end -= 1;
    }
    let mut out = name[..stem_end].to_owned();
    if let Some(ext) = extension {
        out.push_str(ext);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sc4_path_tricks_are_removed() {
        assert_eq!(safe_filename("../../etc/passwd"), "passwd");
        assert_eq!(safe_filename("..\\..\\Windows\\win.ini"), "win.ini");
        assert_eq!(safe_filename("/abs/path/"), "path");
        assert_eq!(safe_filename(".."), FALLBACK_FILENAME);
        assert_eq!(safe_filename(".htaccess"), "htaccess");
        assert_eq!(safe_filename("a\0b\u{7}.txt"), "ab.txt");
        assert_eq!(safe_filename("report. . ."), "report");
        assert_eq!(safe_filename("fdp\u{202E}.exe"), "fdp.exe");
        assert_eq!(safe_filename("a:b*c?.pdf"), "a_b_c_.pdf");
    }

    #[test]
    fn sc4_windows_device_names_are_prefixed() {
        assert_eq!(safe_filename("CON.txt"), "_CON.txt");
        assert_eq!(safe_filename("con"), "_con");
        assert_eq!(safe_filename("lpt9.tar.gz"), "_lpt9.tar.gz");
        assert_eq!(safe_filename("COM10.txt"), "COM10.txt");
        assert_eq!(safe_filename("CONSOLE.txt"), "CONSOLE.txt");
    }

    #[test]
    fn vietnamese_names_are_kept_in_nfc() {
        let decomposed = "Ho\u{0301}a \u{0111}o\u{031B}n.pdf";
        assert_eq!(safe_filename(decomposed), "Hóa đơn.pdf");
        assert_eq!(safe_filename("Hợp đồng số 12.docx"), "Hợp đồng số 12.docx");
        // Found by the property test: the control character sat between a letter and a mark.
        assert_eq!(
            safe_filename("a\u{b}\u{344}"),
            "a\u{308}\u{301}".nfc().collect::<String>()
        );
    }

    #[test]
    fn long_names_are_cut_on_a_char_boundary_keeping_the_extension() {
        let long = format!("{}.pdf", "ệ".repeat(150));
        let safe = safe_filename(&long);
        assert!(safe.len() <= MAX_FILENAME_BYTES);
        assert!(safe.ends_with("ệ.pdf"));
        assert_eq!(safe_filename(""), FALLBACK_FILENAME);
        assert_eq!(safe_filename("   "), FALLBACK_FILENAME);
    }
}
