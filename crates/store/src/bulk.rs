//! Writing many tickets per transaction (`hotro bench seed`, imports): each ticket goes
//! through the same intake and command code as one received over HTTP, so its hash chain,
//! read row, messages, clocks and timers are exactly what production would have written.
//!
//! Only the transaction boundary differs: one commit (one fsync) for a whole batch instead
//! of one per request, which is what makes a million tickets a matter of minutes.

use crate::error::{Result, StoreError};
use crate::tickets::Caller;
use crate::{Store, millis};
use hotro_core::intake::Intake;
use hotro_core::ticket::CustomerCommand;
use hotro_core::{Actor, Command, Policy, StaffMember};
use jiff::Timestamp;
use std::sync::Arc;

/// One ticket to write: its intake and what happened to it afterwards, in order.
#[derive(Debug, Clone)]
pub struct BulkTicket {
    pub intake: Intake,
    pub actor: Actor,
    /// SHA-256 of the customer's tracking secret, as for [`Store::receive`].
    pub tracking_hash: String,
    pub received_at: Timestamp,
    pub steps: Vec<BulkStep>,
}

/// A later command on the ticket, by staff or by its customer, at an instant.
#[derive(Debug, Clone)]
pub enum BulkStep {
    Staff {
        staff: StaffMember,
        command: Command,
        at: Timestamp,
    },
    Customer {
        command: CustomerCommand,
        at: Timestamp,
    },
}

/// What a batch wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkReport {
    pub tickets: u64,
    /// Commands carried out after intake.
    pub commands: u64,
    /// Commands the core rules refused (nothing of them was written); a generator that
    /// asks for an illegal move simply leaves the ticket where it was.
    pub refused: u64,
}

impl Store {
    /// Writes `tickets` in one transaction: intake, then each step, through the very code
    /// that [`Store::receive`] and [`Store::execute`] run. A refused step is counted and
    /// skipped; any other failure rolls the whole batch back.
    pub async fn receive_many(
        &self,
        tickets: Vec<BulkTicket>,
        code_prefix: String,
        policy: Arc<Policy>,
    ) -> Result<BulkReport> {
        let store = self.clone();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    let mut report = BulkReport::default();
                    for t in tickets {
                        let (created, _, _) = store
                            .receive_in(
                                c,
                                t.intake,
                                t.actor,
                                code_prefix.clone(),
                                t.tracking_hash.clone(),
                                t.received_at,
                            )
                            .await?;
                        report.tickets += 1;
                        for step in t.steps {
                            let (caller, at) = match step {
                                BulkStep::Staff { staff, command, at } => {
                                    (Caller::Staff(staff, command), at)
                                }
                                BulkStep::Customer { command, at } => {
                                    (Caller::Customer(t.tracking_hash.clone(), command), at)
                                }
                            };
                            // Later steps never precede the intake, whatever the caller says.
                            let at = if millis(at) < millis(t.received_at) {
                                t.received_at
                            } else {
                                at
                            };
                            match store
                                .command_in(c, created.code.clone(), &caller, &policy, at)
                                .await
                            {
                                Ok(_) => report.commands += 1,
                                // The rules decide before anything is written, so a refusal
                                // leaves the transaction clean.
                                Err(StoreError::Rejected(_)) => report.refused += 1,
                                Err(e) => return Err(e),
                            }
                        }
                    }
                    Ok(report)
                })
            })
            .await
    }
}
