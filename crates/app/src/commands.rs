//! Staff and customer commands on a ticket (RP-1..RP-3, CP-1, CP-4, TR-2): the core rules
//! decide, the store commits the events and the mails they cause in one transaction.

use crate::App;
use crate::secrets::digest;
use hotro_core::policy::confirm;
use hotro_core::ticket::CustomerCommand;
use hotro_core::{Channel, Command, Event, Rejection, StaffMember};
use hotro_store::{Executed, MailScope, NewFile, StoreError};

impl App {
    /// A member of staff acts on a ticket. `NotFound` for a ticket of a department they may
    /// not handle (RT-4), as for one that does not exist.
    pub async fn execute(
        &self,
        staff: &StaffMember,
        code: &str,
        command: Command,
    ) -> Result<Executed, StoreError> {
        // PL-3: a new policy version is read and confirmed before the next answer.
        if matches!(command, Command::Reply { .. }) && self.must_confirm_policy(staff).await? {
            return Err(Rejection::Conflict {
                rule: confirm::UNREAD,
            }
            .into());
        }
        self.store
            .execute(staff, code, command, self.policy.clone(), self.now())
            .await
    }

    /// PL-3: whether `staff` must confirm the policy version in force before answering.
    pub async fn must_confirm_policy(&self, staff: &StaffMember) -> Result<bool, StoreError> {
        Ok(self
            .store
            .policy_reading(staff.id, &self.policy.version)
            .await?
            .is_some_and(confirm::must_confirm))
    }

    /// PL-3: `staff` confirms having read the policy version in force; returns the version
    /// and when it was confirmed (the first time, if confirmed before).
    pub async fn confirm_policy(
        &self,
        staff: &StaffMember,
    ) -> Result<(String, jiff::Timestamp), StoreError> {
        let version = self.policy.version.clone();
        let at = self
            .store
            .confirm_policy(staff.id, &version, self.now())
            .await?;
        tracing::info!(staff = staff.id, %version, "policy version confirmed");
        Ok((version, at))
    }

    /// The customer acts on their ticket, proven by its tracking secret; a wrong secret is
    /// `NotFound`, as for a ticket that does not exist. The files the command names are stored
    /// in its commit, so a refused command stores none (issue 14).
    pub async fn execute_as_customer(
        &self,
        code: &str,
        secret: &str,
        command: CustomerCommand,
        files: Vec<NewFile>,
    ) -> Result<Executed, StoreError> {
        let (policy, now) = (self.policy.clone(), self.now());
        self.store
            .execute_as_customer_with_files(code, &digest(secret), command, files, policy, now)
            .await
    }

    /// CH-3: a chat visitor's message, stored once however often the widget sends it (it
    /// sends again until it sees its `reference` acknowledged).
    pub async fn chat_message(
        &self,
        code: &str,
        secret: &str,
        body: String,
        reference: Option<String>,
    ) -> Result<(), StoreError> {
        let hash = digest(secret);
        if let Some(r) = &reference {
            let view = self.store.tracked_ticket(code, &hash).await?;
            let seen = view.timeline.iter().any(
                |e| matches!(&e.event, Event::CustomerWrote { reference: Some(x), .. } if x == r),
            );
            if seen {
                return Ok(());
            }
        }
        let command = CustomerCommand::AddInformation {
            channel: Channel::Chat,
            body,
            attachments: Vec::new(),
            reference,
        };
        self.store
            .execute_as_customer(code, &hash, command, self.policy.clone(), self.now())
            .await
            .map(|_| ())
    }

    /// An agent names another address whose mail may join the ticket. Returns false when it
    /// was a contact already.
    pub async fn add_contact(
        &self,
        staff: &StaffMember,
        code: &str,
        email: &str,
    ) -> Result<bool, StoreError> {
        self.store.add_contact(staff, code, email, self.now()).await
    }

    /// TR-3: a failed mail is sent again, if `staff` may see it.
    pub async fn send_mail_again(&self, staff: &StaffMember, id: i64) -> Result<(), StoreError> {
        self.store
            .send_mail_again(id, MailScope::of(staff), self.now())
            .await
    }

    /// PL-3: every active member of staff with their confirmation of the version in force;
    /// administrators only.
    pub async fn policy_confirmations(
        &self,
        by: &StaffMember,
    ) -> Result<Vec<hotro_store::PolicyConfirmation>, crate::AppError> {
        if by.role != hotro_core::Role::Admin {
            return Err(crate::AppError::Forbidden);
        }
        Ok(self
            .store
            .policy_confirmations(&self.policy.version)
            .await?)
    }
}
