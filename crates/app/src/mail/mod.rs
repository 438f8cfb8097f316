//! Mail in and out (CH-1, CH-7, TR-3): every inbound message, whether piped by the MTA,
//! posted to the API or read from IMAP, goes through [`ingest`]; queued mail goes out through
//! the outbox worker in [`send`].

pub mod inbox;
pub mod poll;
mod reading;
pub mod send;
mod thread;

pub use inbox::{Ingested, Outcome, ingest};
