//! The small closed vocabularies of a ticket: kind, channel, priority, status, complaint category.
//!
//! Each has one stable snake_case name (the one CONTRACT.md publishes), used on the wire, in
//! the database and in the event log alike.

use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary with its stable names, `as_str` and `parse`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used on the wire and in storage.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads a stable name; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// What the customer came for (RT-1).
    Kind { Request = "request", Complaint = "complaint", Feedback = "feedback" }
}

vocabulary! {
    /// Where a contact arrived; every message keeps its channel (CH-1..CH-5).
    Channel {
        Email = "email", Web = "web", Chat = "chat", Phone = "phone", WalkIn = "walk_in",
        Post = "post", Social = "social", App = "app", Api = "api",
    }
}

vocabulary! {
    /// Queue priority (QF-1); declaration order is queue order, most urgent first.
    Priority { Urgent = "urgent", High = "high", Normal = "normal", Low = "low" }
}

vocabulary! {
    /// Where a ticket stands; legal moves are in [`crate::ticket::status`].
    Status {
        New = "new", Acknowledged = "acknowledged", InProgress = "in_progress",
        WaitingCustomer = "waiting_customer", Answered = "answered", Disputed = "disputed",
        Resolved = "resolved", ReferredExternal = "referred_external", Closed = "closed",
        Reopened = "reopened",
    }
}

vocabulary! {
    /// The language a customer is written to in (TR-1): Vietnamese unless they wrote in
    /// English.
    Language { Vi = "vi", En = "en" }
}

impl Language {
    /// The language a `lang` value (`en`, `en-US`, `vi`…) asks for: Vietnamese unless English
    /// is asked for, the default for everyone.
    pub fn from_tag(tag: Option<&str>) -> Language {
        match tag {
            Some(t) if t.trim().to_ascii_lowercase().starts_with("en") => Language::En,
            _ => Language::Vi,
        }
    }
}

vocabulary! {
    /// What a complaint concerns; it decides the time bar (SL-4).
    ComplaintCategory { ServiceQuality = "service_quality", Business = "business" }
}

impl Priority {
    /// Sort key for the queue: 0 is served first.
    pub fn rank(self) -> i64 {
        match self {
            Priority::Urgent => 0,
            Priority::High => 1,
            Priority::Normal => 2,
            Priority::Low => 3,
        }
    }
}

impl Channel {
    /// Channels on which a member of staff records the contact for the customer (CH-4):
    /// the public intake refuses them, because nobody but staff can vouch for them.
    pub fn is_staff_recorded(self) -> bool {
        matches!(self, Channel::Phone | Channel::WalkIn | Channel::Post)
    }
}

impl Status {
    /// Whether the ticket still waits for work in its department's queue.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Status::Resolved | Status::ReferredExternal | Status::Closed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Status::parse("open"), None);
    }

    #[test]
    fn priority_rank_follows_declaration_order() {
        let ranks: Vec<i64> = Priority::ALL.iter().map(|p| p.rank()).collect();
        assert_eq!(ranks, vec![0, 1, 2, 3]);
    }
}
