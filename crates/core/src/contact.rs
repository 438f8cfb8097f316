//! Customer contact details as parsed values: an [`Email`] or [`Phone`] that exists is valid.

use crate::rejection::FieldError;
use crate::text::limits;
use unicode_normalization::UnicodeNormalization;

/// How two addresses are compared (threading, known contacts): NFC, then lower case in full
/// Unicode — `Đức@congty.vn` typed on a form and `đức@congty.vn` from a mail header are one
/// person. ASCII-only folding left every address with an accented capital unmatched.
pub fn email_key(address: &str) -> String {
    address.trim().nfc().collect::<String>().to_lowercase()
}

/// How two telephone numbers are compared (tracking by code and contact, finding a customer
/// again): the digits only, so `0912 345 678`, `0912.345.678` and `(0912) 345-678` are one
/// number, and a Vietnamese number written internationally — `+84 912 345 678`,
/// `84912345678`, `0084 912 345 678` — is its national form `0912345678` (mobile numbers have
/// nine digits after the country code, landlines ten). `None` when the text has no digit at
/// all, so an empty or wordy contact never matches a stored one.
pub fn phone_key(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let national = digits.strip_prefix("00").unwrap_or(&digits);
    match national.strip_prefix("84") {
        Some(rest) if (9..=10).contains(&rest.len()) && !rest.starts_with('0') => {
            Some(format!("0{rest}"))
        }
        _ => (!digits.is_empty()).then_some(digits),
    }
}

/// What a searcher typed, when it is a contact rather than words: an e-mail address (by
/// [`email_key`]) or a telephone number of at least nine digits (by [`phone_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactKey {
    Email(String),
    Phone(String),
}

impl ContactKey {
    pub fn read(text: &str) -> Option<ContactKey> {
        let text = text.trim();
        if text.contains('@') {
            return Email::parse("contact", text)
                .ok()
                .map(|e| ContactKey::Email(email_key(e.as_str())));
        }
        let phone_like = text
            .chars()
            .all(|c| c.is_ascii_digit() || " +.-()".contains(c));
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if phone_like && digits >= 9 {
            phone_key(text).map(ContactKey::Phone)
        } else {
            None
        }
    }
}

/// A syntactically plausible e-mail address, lower-cased domain, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` with no spaces; the local part keeps its case because
    /// some mail servers distinguish it, the domain is lower-cased.
    pub fn parse(field: &str, raw: &str) -> Result<Email, FieldError> {
        // Decomposed input (as some keyboards type it) is stored composed, like every text.
        let raw: String = raw.trim().nfc().collect();
        let raw = raw.as_str();
        if raw.chars().count() > limits::EMAIL {
            return Err(FieldError::new(field, "max_length"));
        }
        let Some((local, domain)) = raw.rsplit_once('@') else {
            return Err(FieldError::new(field, "email"));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
        if !domain_ok || !local_ok {
            return Err(FieldError::new(field, "email"));
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address as compared with others: [`email_key`].
    pub fn key(&self) -> String {
        email_key(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A telephone number: digits with an optional leading `+`; spaces, dots, dashes and
/// brackets are accepted on input and dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Phone, FieldError> {
        let raw = raw.trim();
        if raw.chars().count() > limits::PHONE {
            return Err(FieldError::new(field, "max_length"));
        }
        let mut out = String::new();
        for (i, c) in raw.chars().enumerate() {
            match c {
                '+' if i == 0 => out.push(c),
                '0'..='9' => out.push(c),
                ' ' | '.' | '-' | '(' | ')' => {}
                _ => return Err(FieldError::new(field, "phone")),
            }
        }
        let digits = out.trim_start_matches('+').len();
        if !(8..=15).contains(&digits) {
            return Err(FieldError::new(field, "phone"));
        }
        Ok(Phone(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_keys_read_vietnamese_numbers_in_every_form() {
        for written in [
            "0912 345 678",
            "+84 912 345 678",
            "84912345678",
            "0084 912.345.678",
        ] {
            assert_eq!(
                phone_key(written).as_deref(),
                Some("0912345678"),
                "{written}"
            );
        }
        // A landline: ten digits after the country code.
        assert_eq!(
            phone_key("+84 24 3826 1234").as_deref(),
            Some("02438261234")
        );
        // Not a Vietnamese number in international form: the digits as they are.
        assert_eq!(phone_key("+1 415 555 0100").as_deref(), Some("14155550100"));
        assert_eq!(phone_key("84 123").as_deref(), Some("84123"));
    }

    #[test]
    fn a_search_for_a_contact_is_read_as_one() {
        assert_eq!(
            ContactKey::read(" Đức.Trần@CongTy.vn "),
            Some(ContactKey::Email("đức.trần@congty.vn".into()))
        );
        assert_eq!(
            ContactKey::read("+84 912 345 678"),
            Some(ContactKey::Phone("0912345678".into()))
        );
        assert_eq!(ContactKey::read("khiếu nại"), None);
        assert_eq!(ContactKey::read("2026"), None);
        assert_eq!(ContactKey::read("HT-2026-000001"), None);
    }

    #[test]
    fn phone_keys_keep_only_digits() {
        assert_eq!(phone_key(" (0912) 345-678 ").as_deref(), Some("0912345678"));
        assert_eq!(phone_key("+84 912.345.678").as_deref(), Some("0912345678"));
        assert_eq!(phone_key("no digits"), None);
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("e", " An.Nguyen@Example.VN ")
                .unwrap()
                .as_str(),
            "An.Nguyen@example.vn"
        );
        for bad in ["", "a", "a@b", "a b@c.vn", "@c.vn", "a@.vn", "a@c.vn."] {
            assert!(Email::parse("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            Phone::parse("p", "+84 (28) 3822-1234").unwrap().as_str(),
            "+842838221234"
        );
        assert_eq!(
            Phone::parse("p", "0903.123.456").unwrap().as_str(),
            "0903123456"
        );
        assert!(Phone::parse("p", "12345").is_err());
        assert!(Phone::parse("p", "09x3123456").is_err());
    }
}
