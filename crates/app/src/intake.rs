//! Intake from any door (CH-1..CH-6): a submission is checked by the core rules, every broken
//! field listed at once, and recorded with its confirmation in one commit. The public form,
//! the API, staff on a customer's behalf and the chat come here; mail comes through
//! [`crate::mail::ingest`], which ends here too.

use crate::secrets::new_tracking_secret;
use crate::{App, AppError};
use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::{Actor, FieldError, Kind, Language, Rejection, to_customer};
use hotro_store::{Created, Extras, NewFile};
use jiff::Timestamp;

/// A ticket just recorded, with the customer's tracking secret (shown once).
pub struct Recorded {
    pub created: Created,
    pub kind: Kind,
    pub secret: String,
    pub received_at: Timestamp,
}

impl App {
    /// Checks a submission and records the ticket. `shape` holds the errors the door already
    /// found reading it (a mistyped or unknown field); they are reported with the rules'
    /// errors in one answer, and nothing is recorded while there are any.
    pub async fn receive(
        &self,
        input: &NewTicket,
        shape: Vec<FieldError>,
        source: Source,
        actor: Actor,
    ) -> Result<Recorded, AppError> {
        self.receive_with_files(input, shape, source, actor, Vec::new())
            .await
    }

    /// Like [`App::receive`], with the files of the submission (CH-6), already judged by their
    /// content: stored in the ticket's commit, so a refused form stores nothing (issue 14).
    /// `input.attachments` names them for the rules (how many, how big).
    pub async fn receive_with_files(
        &self,
        input: &NewTicket,
        shape: Vec<FieldError>,
        source: Source,
        actor: Actor,
        files: Vec<NewFile>,
    ) -> Result<Recorded, AppError> {
        let now = self.now();
        let intake = match intake::validate(input, source, &self.policy, now) {
            Ok(intake) if shape.is_empty() => intake,
            Ok(_) => return Err(AppError::Invalid(shape)),
            Err(Rejection::Invalid(rules)) => return Err(AppError::Invalid(merge(shape, rules))),
            Err(other) => return Err(AppError::Rejected(other)),
        };
        let kind = intake.kind();
        let (secret, tracking_hash) = new_tracking_secret();
        // TR-1, TR-3: the confirmation is queued with the ticket, since only now is the
        // tracking secret known.
        let notice = intake.customer().email.clone().map(|to| {
            let link = self.tracking_url("{code}", &secret);
            let subject = input.subject.as_deref().unwrap_or_default();
            to_customer::confirmation(&self.policy, subject, &to, &link, Language::Vi)
        });
        let created = self
            .store
            .receive_with(
                intake,
                actor,
                self.policy.ticket_code_prefix.clone(),
                tracking_hash,
                now,
                Extras {
                    notice,
                    files,
                    ..Extras::default()
                },
            )
            .await?;
        Ok(Recorded {
            created,
            kind,
            secret,
            received_at: now,
        })
    }
}

/// The door's shape errors, then the rules' errors, dropping a rule error for a field whose
/// shape was already wrong (a wrong type also reads as "missing" to the rules).
fn merge(mut shape: Vec<FieldError>, rules: Vec<FieldError>) -> Vec<FieldError> {
    let bad: Vec<String> = shape.iter().map(|f| f.field.clone()).collect();
    shape.extend(rules.into_iter().filter(|f| !bad.contains(&f.field)));
    shape
}
