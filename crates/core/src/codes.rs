//! Ticket codes such as `HT-2026-000123`: prefix, year received, sequence number.
//!
//! Customers read codes aloud on the phone, so they hold only the policy's prefix, digits
//! and dashes — no letters that could be mistaken for one another.

use std::fmt;

/// A parsed ticket code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketCode(String);

impl TicketCode {
    /// Builds the code for the `sequence`-th ticket of `year`.
    pub fn new(prefix: &str, year: i16, sequence: i64) -> TicketCode {
        TicketCode(format!("{prefix}-{year:04}-{sequence:06}"))
    }

    /// Reads a code typed by a person: case-insensitive, surrounding space ignored.
    pub fn parse(raw: &str) -> Option<TicketCode> {
        let upper = raw.trim().to_ascii_uppercase();
        let mut parts = upper.split('-');
        let (prefix, year, seq) = (parts.next()?, parts.next()?, parts.next()?);
        let valid = parts.next().is_none()
            && !prefix.is_empty()
            && prefix.len() <= 8
            && prefix.chars().all(|c| c.is_ascii_uppercase())
            && year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
            && (6..=12).contains(&seq.len())
            && seq.chars().all(|c| c.is_ascii_digit());
        valid.then_some(TicketCode(upper))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_parse() {
        let code = TicketCode::new("HT", 2026, 123);
        assert_eq!(code.as_str(), "HT-2026-000123");
        assert_eq!(TicketCode::parse(" ht-2026-000123 "), Some(code));
        for bad in [
            "HT-26-000123",
            "HT-2026-12",
            "HT2026000123",
            "H1-2026-000123",
            "",
        ] {
            assert_eq!(TicketCode::parse(bad), None, "{bad}");
        }
    }
}
