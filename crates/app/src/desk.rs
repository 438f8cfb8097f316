//! The lead's desk (issue 16): the department's open work by agent, and reassigning one or
//! many tickets with a reason — each by the same command and rules as a single assignment.

use crate::App;
use hotro_core::{Command, Role, StaffMember};
use hotro_store::{AgentWork, Executed, StoreError};

/// How many tickets one reassignment may name.
pub const ASSIGN_MANY_LIMIT: usize = 100;

impl App {
    /// Whether `me` has a desk at all: leads and administrators.
    pub fn has_desk(me: &StaffMember) -> bool {
        matches!(me.role, Role::Lead | Role::Admin)
    }

    /// The open work by agent of a department: a lead's own (naming another is `NotFound`,
    /// RT-4), any for an administrator (their own if none is named). `None` for those who
    /// have no desk. Returns the department read and its lines.
    pub async fn open_work(
        &self,
        me: &StaffMember,
        department: Option<&str>,
    ) -> Result<Option<(String, Vec<AgentWork>)>, StoreError> {
        if !Self::has_desk(me) {
            return Ok(None);
        }
        let department = match department {
            Some(d) if me.role == Role::Admin => {
                if self.policy.department(d).is_none() {
                    return Err(StoreError::NotFound);
                }
                d.to_owned()
            }
            Some(d) if d != me.department => return Err(StoreError::NotFound),
            _ => me.department.clone(),
        };
        let lines = self.store.open_work(&department, self.now()).await?;
        Ok(Some((department, lines)))
    }

    /// Reassigns each of `codes` to `agent` with `reason`, one command each: one refusal
    /// does not stop the others, and each code's result is returned in the order given.
    pub async fn assign_many(
        &self,
        by: &StaffMember,
        codes: &[String],
        agent: i64,
        reason: &str,
    ) -> Vec<(String, Result<Executed, StoreError>)> {
        let mut results = Vec::with_capacity(codes.len());
        for code in codes {
            let command = Command::Assign {
                agent,
                reason: reason.to_owned(),
            };
            results.push((code.clone(), self.execute(by, code, command).await));
        }
        results
    }
}
