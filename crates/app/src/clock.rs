//! Where "now" comes from: the system clock in production, a chosen one in tests, so that
//! rules stay functions of their inputs.

use jiff::Timestamp;
use std::sync::Arc;

/// A source of the current instant.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    /// The system clock, to the millisecond: instants are stored in milliseconds, so
    /// what an answer shows is exactly what a later read returns.
    pub fn system() -> Clock {
        Clock(Arc::new(|| {
            Timestamp::from_millisecond(Timestamp::now().as_millisecond())
                .expect("the system clock is within jiff's range")
        }))
    }

    /// A clock that asks `f`, e.g. one fixed instant in a test.
    pub fn from_fn(f: impl Fn() -> Timestamp + Send + Sync + 'static) -> Clock {
        Clock(Arc::new(f))
    }

    pub fn now(&self) -> Timestamp {
        (self.0)()
    }
}
