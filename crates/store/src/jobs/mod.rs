//! Background work, claimed from database queues with a lease (DESIGN.md "Background work"):
//! the outbox worker's mail and the SLA timers. Safe to run on several nodes at once.

pub(crate) mod files;
pub(crate) mod lease;
pub(crate) mod outbox;
pub(crate) mod timers;
