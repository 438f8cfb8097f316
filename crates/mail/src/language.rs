//! Which language a customer wrote in, so that hotro answers in it (TR-1): English when the
//! mail reads as English, Vietnamese — the default for everyone — otherwise.

use crate::ParsedMail;

/// Common English words that Vietnamese text does not use.
const ENGLISH_WORDS: &[&str] = &[
    "the", "please", "my", "is", "are", "you", "your", "hello", "thanks", "thank", "and", "not",
    "can", "with", "have", "dear", "we", "our", "for",
];

/// True when the mail was written in English: no Vietnamese letter anywhere in its subject or
/// text, and at least three common English words. A mixed or unclear mail counts as
/// Vietnamese, whose customers are the default.
pub fn wrote_english(mail: &ParsedMail) -> bool {
    let written = format!(
        "{} {}",
        mail.subject.as_deref().unwrap_or_default(),
        mail.text_body.as_deref().unwrap_or_default()
    );
    let vietnamese = written.chars().any(|c| {
        matches!(
            c,
            'đ' | 'Đ' | 'ư' | 'Ư' | 'ơ' | 'Ơ' | 'ă' | 'Ă' | 'â' | 'Â' | 'ê' | 'Ê' | 'ô' | 'Ô'
        ) || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
            || ('\u{0300}'..='\u{0323}').contains(&c)
    });
    let english = written
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| ENGLISH_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        .count();
    !vietnamese && english >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(subject: &str, body: &str) -> ParsedMail {
        ParsedMail {
            subject: Some(subject.into()),
            text_body: Some(body.into()),
            ..ParsedMail::default()
        }
    }

    #[test]
    fn tr1_english_only_when_it_reads_as_english() {
        assert!(wrote_english(&mail(
            "My website is down",
            "Hello, can you please check?"
        )));
        // One Vietnamese letter makes it Vietnamese, and so does too little English.
        assert!(!wrote_english(&mail(
            "My website is down",
            "Hello, can you please check? Cảm ơn"
        )));
        assert!(!wrote_english(&mail("Website", "OK")));
        assert!(!wrote_english(&mail(
            "Khong truy cap duoc",
            "Xin kiem tra giup"
        )));
    }
}
