//! hotro's use cases, one per thing a person or a channel does: intake from any door, staff
//! and customer commands, mail in and out, the timers. Every door — the HTTP API, the web
//! pages, the chat, the mail pipe, IMAP, the command line — calls these, so the same input
//! gets the same ticket, clocks and notices whichever way it came (QF-2).
//!
//! `App` is built once ([`App::new`]) and cloned into each door. Rules stay in `core`, SQL in
//! `store`, MIME in `mail`; this crate knows no HTTP.

mod clock;
pub mod commands;
pub mod credentials;
pub mod desk;
mod error;
pub mod intake;
pub mod mail;
pub mod secrets;
pub mod staff;
pub mod staff_admin;
pub mod texts;
pub mod timers;

pub use clock::Clock;
pub use error::AppError;

use hotro_core::Policy;
use hotro_store::{Store, StoreError};
use jiff::Timestamp;
use std::sync::Arc;

/// Settings every door shares.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The address customers reach hotro at, for links such as the tracking link.
    pub public_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            public_url: "http://127.0.0.1:8080".into(),
        }
    }
}

/// The application: the store, the policy in force, the clock and the settings.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub policy: Arc<Policy>,
    pub clock: Clock,
    pub settings: Arc<Settings>,
}

impl App {
    /// The application over `store` under `policy`. The one constructor: `hotro serve`,
    /// `hotro mail ingest`, the tests and the benches all build it here.
    pub fn new(
        store: Store,
        policy: impl Into<Arc<Policy>>,
        clock: Clock,
        settings: Settings,
    ) -> App {
        App {
            store,
            policy: policy.into(),
            clock,
            settings: Arc::new(settings),
        }
    }

    /// Records the policy version in force (PL-2), so tickets keep its deadlines after a
    /// change; done once at start by the long-running doors.
    pub async fn record_policy(&self) -> Result<(), StoreError> {
        self.store
            .record_policy(self.policy.clone(), self.now())
            .await
    }

    /// Now, by the application's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The customer's tracking page for a ticket.
    /// The customer's tracking view by code and the e-mail or phone given at intake (TR-2),
    /// the way back for a customer who lost the tracking link. Every mismatch is
    /// `StoreError::NotFound`, the same as an unknown code.
    pub async fn track_by_contact(
        &self,
        code: &str,
        contact: &str,
    ) -> Result<hotro_store::TicketView, StoreError> {
        let code = hotro_core::codes::TicketCode::parse(code).ok_or(StoreError::NotFound)?;
        self.store
            .tracked_ticket_by_contact(code.as_str(), contact.trim())
            .await
    }

    pub fn tracking_url(&self, code: &str, secret: &str) -> String {
        format!(
            "{}/track/{code}?secret={secret}",
            self.settings.public_url.trim_end_matches('/')
        )
    }
}
