//! The SHA-256 chain that makes each ticket's history tamper-evident (SC-3).
//!
//! Every event's hash covers the previous event's hash and the event's own stored fields,
//! so editing, reordering or deleting a stored event breaks every hash after it.

use sha2::{Digest, Sha256};

/// The `prev_hash` of a ticket's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The stored fields of one event, as they are hashed.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub prev_hash: &'a str,
    pub ticket_code: &'a str,
    pub seq: i64,
    pub at_ms: i64,
    pub actor: &'a str,
    pub payload: &'a str,
}

impl Link<'_> {
    /// The event's hash as lower-case hex. Each field is length-prefixed so that no two
    /// different field lists hash the same bytes.
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        for part in [
            self.prev_hash.as_bytes(),
            self.ticket_code.as_bytes(),
            self.seq.to_string().as_bytes(),
            self.at_ms.to_string().as_bytes(),
            self.actor.as_bytes(),
            self.payload.as_bytes(),
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part);
        }
        hex::encode(h.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link<'a>(payload: &'a str, prev: &'a str) -> Link<'a> {
        Link {
            prev_hash: prev,
            ticket_code: "HT-2026-000001",
            seq: 1,
            at_ms: 1_780_000_000_000,
            actor: "system",
            payload,
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let base = link(r#"{"type":"taken","agent":1}"#, GENESIS).hash();
        assert_eq!(base.len(), 64);
        assert_ne!(base, link(r#"{"type":"taken","agent":2}"#, GENESIS).hash());
        assert_ne!(base, link(r#"{"type":"taken","agent":1}"#, &base).hash());
        let mut moved = link(r#"{"type":"taken","agent":1}"#, GENESIS);
        moved.seq = 2;
        assert_ne!(base, moved.hash());
    }
}
