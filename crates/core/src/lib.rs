//! hotro's pure rules: what a ticket is, which changes are legal, and what they record.
//!
//! Nothing here touches a database, the network, the file system or the clock. Every rule
//! is a function of `(state, command, policy, now)` that returns events or a typed
//! [`Rejection`]; the shell (store, server, cli) supplies `now` and persists the events.

pub mod attachment;
pub mod chain;
pub mod codes;
pub mod contact;
pub mod event;
pub mod incident;
pub mod intake;
pub mod kinds;
pub mod policy;
pub mod rejection;
pub mod reply;
pub mod search;
pub mod sign_in;
pub mod sla;
pub mod staff;
pub mod text;
pub mod ticket;
pub mod to_customer;

pub use event::{Actor, Event, EventRecord};
pub use kinds::{Channel, ComplaintCategory, Kind, Language, Priority, Status};
pub use policy::Policy;
pub use rejection::{FieldError, Rejection};
pub use staff::{Role, StaffMember, TokenScope};
pub use ticket::{Command, Ticket};
