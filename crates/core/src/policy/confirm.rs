//! PL-3: staff confirm they have read each new policy version before they next answer a
//! customer (seed 003 Điều 9, training and awareness). A version is new to a member of staff
//! when it came into force after an earlier one and after their account was made: someone
//! added while a version was in force was trained on it, and the first version an
//! installation runs replaces nothing.

use jiff::Timestamp;

/// What is known of the version in force and of one member of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// When the version came into force on this installation.
    pub in_force_since: Timestamp,
    /// Whether another version was in force before it.
    pub replaces_one: bool,
    /// When the member's account was made.
    pub account_since: Timestamp,
    /// Whether they have confirmed this version.
    pub confirmed: bool,
}

/// Whether the member must confirm the version before their next answer to a customer; an
/// answer until then is refused with rule `policy.unread`.
pub fn must_confirm(r: Reading) -> bool {
    r.replaces_one && r.account_since < r.in_force_since && !r.confirmed
}

/// The rule a refused answer names.
pub const UNREAD: &str = "policy.unread";

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn pl3_only_a_new_version_to_someone_who_worked_under_the_old_one_needs_confirming() {
        let reading = Reading {
            in_force_since: at("2026-12-01T00:00:00Z"),
            replaces_one: true,
            account_since: at("2026-06-01T00:00:00Z"),
            confirmed: false,
        };
        assert!(must_confirm(reading));
        assert!(!must_confirm(Reading {
            confirmed: true,
            ..reading
        }));
        // The installation's first version replaces nothing.
        assert!(!must_confirm(Reading {
            replaces_one: false,
            ..reading
        }));
        // Someone added while the version was in force was trained on it.
        assert!(!must_confirm(Reading {
            account_since: at("2026-12-02T00:00:00Z"),
            ..reading
        }));
    }
}
