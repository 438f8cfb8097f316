//! The read side: what the screens, the API and the reports read — the queue, a ticket with
//! its timeline, the tracking page, mail lookups, the stored clocks, the audit of the chains.
//! Nothing here writes.

pub(crate) mod audit;
pub(crate) mod mail;
pub(crate) mod sla;
pub(crate) mod views;
