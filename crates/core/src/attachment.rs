//! Files that come with a contact (a complaint's evidence: invoices, photos, earlier
//! exchanges — CH-6), kept once by their SHA-256 and referred to by that digest.

use crate::rejection::FieldError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Limits on what one submission may attach.
pub mod limits {
    /// One file, in bytes.
    pub const FILE_BYTES: usize = 10 * 1024 * 1024;
    /// All files of one submission, in bytes.
    pub const TOTAL_BYTES: usize = 25 * 1024 * 1024;
    /// Files per submission.
    pub const FILES: usize = 10;
}

/// A file attached to a message, as the log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Lower-case hex SHA-256 of the content; the content's address.
    pub sha256: String,
    /// The file name, already made safe for any file system and download header.
    pub name: String,
    /// The type found from the content itself, never the sender's claim.
    pub content_type: String,
    pub size: u64,
}

/// The SHA-256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `text` looks like a stored digest (64 lower-case hex characters).
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The content type of an acceptable file, judged by its first bytes; `None` for anything
/// else. Evidence is documents and pictures: executables, HTML and SVG (which can carry
/// scripts) are refused whatever their name says.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if starts(b"PK\x03\x04") {
        // Office documents (docx, xlsx) and zip archives share this container.
        Some("application/zip")
    } else if !bytes.is_empty() && is_plain_text(bytes) {
        Some("text/plain; charset=utf-8")
    } else {
        None
    }
}

/// UTF-8 without control characters (binary formats are full of them) that does not open
/// like markup a browser would render.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let head = text
        .trim_start()
        .get(..16)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    let binary = text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'));
    !binary && !head.starts_with('<')
}

/// CH-6: the files of one submission within the limits, as field errors on `attachments`.
pub fn check(files: &[Attachment]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if files.len() > limits::FILES {
        errors.push(FieldError::new("attachments", "file.too_many"));
    }
    let too_big = files.iter().any(|f| f.size > limits::FILE_BYTES as u64)
        || files.iter().map(|f| f.size).sum::<u64>() > limits::TOTAL_BYTES as u64;
    if too_big {
        errors.push(FieldError::new("attachments", "file.too_large"));
    }
    errors
}

/// Whether the type may be shown inline (pictures) rather than only downloaded.
pub fn is_image(content_type: &str) -> bool {
    content_type.starts_with("image/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ch6_evidence_types_are_judged_by_content() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0..JFIF"), Some("image/jpeg"));
        assert_eq!(sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 "), Some("image/webp"));
        assert_eq!(
            sniff("Hóa đơn số 12".as_bytes()),
            Some("text/plain; charset=utf-8")
        );
        // Scripts in disguise and programs are refused.
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"  <html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00executable"), None);
        assert_eq!(sniff(b"\x7fELF"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn digests() {
        let d = sha256_hex(b"abc");
        assert_eq!(
            d,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_sha256_hex(&d));
        assert!(!is_sha256_hex("../../etc/passwd"));
    }
}
