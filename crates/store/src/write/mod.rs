//! The write side: every change to a ticket goes through [`commit`], called by intake, the
//! commands, the mail writes, the bulk path and the system's own records (alerts, QF-3).
//! Nothing here reads for a screen, and nothing here runs in the background.

pub(crate) mod bulk;
pub(crate) mod clocks;
pub(crate) mod commands;
pub(crate) mod commit;
pub(crate) mod extras;
pub(crate) mod intake;
pub(crate) mod mail;
pub(crate) mod queue;
