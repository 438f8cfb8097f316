//! Which ticket an inbound mail joins (CH-1): by the message ids it answers or the code in its
//! subject, and only when its sender is that ticket's customer or a known contact of it.

use crate::App;
use hotro_core::contact::email_key;
use hotro_mail::ParsedMail;
use hotro_store::{MailThread, StoreError};

/// The ticket a reply belongs to: the first of its referenced message ids that is known, else
/// the ticket code in its subject; either only when the sender is that ticket's customer or a
/// known contact of it, so that nobody's mail is merged into another customer's ticket
/// (issue 4).
pub(super) async fn thread_target(
    app: &App,
    mail: &ParsedMail,
    sender: &str,
) -> Result<Option<(String, Joins)>, StoreError> {
    for id in mail.referenced_ids() {
        if let Some(thread) = app.store.thread_by_message_id(&id).await? {
            // A mail that answers a ticket of someone else is not theirs to join.
            return Ok(joins(app, &thread, sender).await?.map(|j| (thread.code, j)));
        }
    }
    let prefix = &app.policy.ticket_code_prefix;
    if let Some(code) = mail
        .subject
        .as_deref()
        .and_then(|s| hotro_mail::ticket_code_in_subject(s, prefix))
        && let Some(thread) = app.store.thread_by_code(&code).await?
        && let Some(j) = joins(app, &thread, sender).await?
    {
        return Ok(Some((thread.code, j)));
    }
    Ok(None)
}

/// Whether the sender may join `thread`: its customer, or a known contact of it.
async fn joins(app: &App, thread: &MailThread, sender: &str) -> Result<Option<Joins>, StoreError> {
    let customer = thread
        .customer_email
        .as_deref()
        .is_some_and(|e| email_key(e) == email_key(sender));
    if customer {
        Ok(Some(Joins::AsCustomer))
    } else if app.store.is_contact(&thread.code, sender).await? {
        Ok(Some(Joins::AsContact))
    } else {
        Ok(None)
    }
}

/// Who a threaded mail's sender is to the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Joins {
    AsCustomer,
    /// A known contact: in Cc of the first mail, or added by an agent.
    AsContact,
}
