//! The inbound mail use case shared by the MTA pipe (`hotro mail ingest`), the HTTP endpoint
//! and mailbox polling (CH-1, CH-7): store the raw message first, then parse it, then thread it
//! into its ticket or open a new one.
//!
//! Nothing received is dropped: a message too big, without a sender or that the parser could
//! barely read still becomes a ticket, flagged for an agent by a system note. Only a message
//! with nothing a ticket could be made of — empty, or without a single mail header — is kept
//! raw and flagged `unreadable` instead of opening a ticket of nobody about nothing (issue 14).

use crate::App;
use crate::secrets::new_tracking_secret;
use crate::texts::vi;
use hotro_core::attachment::sha256_hex;
use hotro_core::contact::Email;
use hotro_core::intake::{self, NewTicket, Source};
use hotro_core::text::limits;
use hotro_core::ticket::CustomerCommand;
use hotro_core::to_customer;
use hotro_core::{Actor, Channel};
use hotro_mail::{Limits, ParsedMail};
use hotro_store::{DUPLICATE_MESSAGE, Extras, InboundMail, StoreError};

use super::reading::{
    body_text, cc_contacts, customer_language, cut, files_of, fingerprint, note, problem_notes,
    records,
};
use super::thread::{Joins, thread_target};

/// How a message was taken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It opened a new ticket.
    New,
    /// It was added to an existing ticket as the customer's message.
    Threaded,
    /// The same message was taken in before: the same bytes, or a copy under the same
    /// `Message-ID` with the same sender, date, subject, text and files.
    Duplicate,
    /// It was over the size limit: stored raw and recorded on a ticket as refused.
    Refused,
    /// Empty, or without any mail header: stored raw and flagged, on no ticket.
    Unreadable,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::New => "new",
            Outcome::Threaded => "threaded",
            Outcome::Duplicate => "duplicate",
            Outcome::Refused => "refused",
            Outcome::Unreadable => "unreadable",
        }
    }
}

/// The result of taking in one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    /// The code of the ticket the message is stored on; `None` for an unreadable message.
    pub code: Option<String>,
    pub outcome: Outcome,
    /// SHA-256 of the raw message, its key in the raw store.
    pub raw_sha256: String,
}

/// Takes in one raw message. An error means the store could not be written; the caller keeps
/// the message and tries again (an MTA defers it, IMAP leaves it unseen), so nothing is lost.
pub async fn ingest(app: &App, raw: Vec<u8>) -> Result<Ingested, StoreError> {
    let now = app.now();
    let sha = sha256_hex(&raw);
    // CH-7: the bytes are durable before anything can go wrong in parsing.
    if let Some(code) = app
        .store
        .put_raw_mail(sha.clone(), raw.clone(), now)
        .await?
    {
        return Ok(Ingested {
            code: Some(code),
            outcome: Outcome::Duplicate,
            raw_sha256: sha,
        });
    }
    // Parsing a 25 MiB message is CPU work; keep it off the async workers.
    let mail = tokio::task::spawn_blocking(move || hotro_mail::parse(&raw, &Limits::default()))
        .await
        .map_err(|e| StoreError::Corrupt(format!("mail parser task failed: {e}")))?;

    // Only a copy of a message taken in before is a duplicate; a different message that
    // reuses its `Message-ID` is a new one, kept and flagged (CH-7).
    let mut reused_id = None;
    if let Some(id) = &mail.message_id
        && let Some(first) = app.store.ticket_of_inbound_message(id).await?
    {
        match stored_copy(app, id, &mail).await? {
            Some(code) => {
                app.store
                    .mark_raw_mail_duplicate(sha.clone(), code.clone())
                    .await?;
                return Ok(Ingested {
                    code: Some(code),
                    outcome: Outcome::Duplicate,
                    raw_sha256: sha,
                });
            }
            None => reused_id = Some(first),
        }
    }

    if unreadable(&mail) {
        app.store.mark_raw_mail_unreadable(sha.clone()).await?;
        return Ok(Ingested {
            code: None,
            outcome: Outcome::Unreadable,
            raw_sha256: sha,
        });
    }

    let sender = mail
        .from
        .as_ref()
        .and_then(|m| Email::parse("from", &m.address).ok())
        .map(|e| e.key());
    let too_large = mail.has_problem("too_large");

    if !too_large
        && let Some(sender) = &sender
        && let Some((code, joins)) = thread_target(app, &mail, sender).await?
    {
        // A machine's files (a bounce's copy of the mail, a signature logo) stay in the raw
        // message; only what a person sent joins the ticket.
        let (files, refused) = if mail.is_automatic() {
            (Vec::new(), Vec::new())
        } else {
            files_of(&mail)
        };
        let mut notes = problem_notes(&mail, &sha);
        notes.extend(reused_id_note(&mail, reused_id.as_deref()));
        if joins == Joins::AsContact {
            notes.push(note("mail.note.from_contact", &[("email", sender)]));
        }
        if !refused.is_empty() {
            notes.push(note(
                "mail.note.files_refused",
                &[("files", &refused.join(", "))],
            ));
        }
        let body = body_text(&mail, !files.is_empty());
        // An out-of-office answer is no answer (SL-5): it is kept, marked automatic, and
        // neither ends a wait for the customer nor reopens anything.
        let command = if mail.is_automatic() {
            CustomerCommand::AutomaticReply {
                channel: Channel::Email,
                body,
                reference: mail.message_id.clone(),
            }
        } else {
            CustomerCommand::AddInformation {
                channel: Channel::Email,
                body,
                attachments: records(&files),
                reference: mail.message_id.clone(),
            }
        };
        let extras = Extras {
            inbound: Some(InboundMail {
                raw_sha256: sha.clone(),
                message_id: mail.message_id.clone(),
                outcome: Outcome::Threaded.as_str().into(),
                reused_id: reused_id.is_some(),
            }),
            notes,
            notice: None,
            contacts: Vec::new(),
            files,
        };
        match app
            .store
            .add_mail_to_ticket(&code, command, extras, now)
            .await
        {
            Ok(()) => {
                return Ok(Ingested {
                    code: Some(code),
                    outcome: Outcome::Threaded,
                    raw_sha256: sha,
                });
            }
            // A closed ticket takes no more messages: the mail opens a new one instead.
            Err(StoreError::Rejected(_)) => {}
            Err(StoreError::Duplicate(DUPLICATE_MESSAGE)) => {
                return stored_meanwhile(app, &mail, sha).await;
            }
            Err(e) => return Err(e),
        }
    }
    new_ticket(app, &mail, sender, sha, too_large, reused_id).await
}

/// The ticket of a stored copy of `mail`: a message under the same `Message-ID` with the same
/// sender, date, subject, text and files. `None` when every message stored under the id is a
/// different one. Rare (an id seen before), so the stored copies are parsed again to compare.
async fn stored_copy(app: &App, id: &str, mail: &ParsedMail) -> Result<Option<String>, StoreError> {
    let stored = app.store.inbound_mail_with_id(id).await?;
    if stored.is_empty() {
        // The id is claimed but its message is not on record to compare with: the claim is
        // all there is to go by, as before messages were compared.
        return app.store.ticket_of_inbound_message(id).await;
    }
    let wanted = fingerprint(mail);
    tokio::task::spawn_blocking(move || {
        stored.into_iter().find_map(|(code, raw)| {
            let other = hotro_mail::parse(&raw, &Limits::default());
            (fingerprint(&other) == wanted).then_some(code)
        })
    })
    .await
    .map_err(|e| StoreError::Corrupt(format!("mail parser task failed: {e}")))
}

/// The note that flags a message reusing another's `Message-ID`, naming the first ticket.
fn reused_id_note(mail: &ParsedMail, first: Option<&str>) -> Option<String> {
    let first = first?;
    let id = mail.message_id.as_deref().unwrap_or_default();
    Some(note(
        "mail.note.reused_message_id",
        &[("message_id", id), ("code", first)],
    ))
}

/// Whether a message has nothing a ticket could be made of: empty, or not one header hotro
/// reads (sender, subject, `Message-ID`, date, recipient). Such input — a probe, a broken
/// relay, noise — would open a ticket of nobody about nothing; it is kept raw and flagged.
fn unreadable(mail: &ParsedMail) -> bool {
    mail.size == 0
        || mail.has_problem("no_headers")
        || (mail.from.is_none()
            && mail.subject.is_none()
            && mail.message_id.is_none()
            && mail.date.is_none()
            && mail.to.is_empty()
            && mail.cc.is_empty())
}

/// Another copy of the message (same `Message-ID`, other bytes) was stored while this one
/// was written, by another task or node; this copy's raw bytes point to that ticket.
async fn stored_meanwhile(
    app: &App,
    mail: &ParsedMail,
    sha: String,
) -> Result<Ingested, StoreError> {
    let id = mail.message_id.as_deref().unwrap_or_default();
    let code = app
        .store
        .ticket_of_inbound_message(id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("message {id} claimed but not stored")))?;
    app.store
        .mark_raw_mail_duplicate(sha.clone(), code.clone())
        .await?;
    Ok(Ingested {
        code: Some(code),
        outcome: Outcome::Duplicate,
        raw_sha256: sha,
    })
}

/// Opens a ticket for the mail, of the kind the policy's rules read in it (RT-3), flagged for
/// an agent when the sender is unknown or the message was refused.
async fn new_ticket(
    app: &App,
    mail: &ParsedMail,
    sender: Option<String>,
    sha: String,
    too_large: bool,
    reused_id: Option<String>,
) -> Result<Ingested, StoreError> {
    let now = app.now();
    let (files, refused) = if too_large {
        (Vec::new(), Vec::new())
    } else {
        files_of(mail)
    };
    let mut notes = problem_notes(mail, &sha);
    notes.extend(reused_id_note(mail, reused_id.as_deref()));
    if !refused.is_empty() {
        notes.push(note(
            "mail.note.files_refused",
            &[("files", &refused.join(", "))],
        ));
    }
    let description = if too_large {
        vi(
            "mail.too_large.description",
            &[
                ("size", &mail.size.to_string()),
                ("limit", &Limits::default().max_message_bytes.to_string()),
            ],
        )
    } else {
        body_text(mail, false)
    };
    let subject = mail
        .subject
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| cut(s, limits::SUBJECT))
        .unwrap_or_else(|| vi("mail.no_subject", &[]));
    let name = mail
        .from
        .as_ref()
        .and_then(|m| m.name.clone())
        .or_else(|| sender.clone())
        .map(|n| cut(&n, limits::NAME))
        .unwrap_or_else(|| vi("mail.unknown_sender", &[]));
    // RT-3: a mail has no kind field; the policy's rules read it (a complaint by mail is a
    // complaint, with its clocks), and what they cannot place goes to triage.
    let mut input = NewTicket {
        kind: None,
        channel: Some(Channel::Email.as_str().into()),
        customer_name: Some(name),
        customer_email: sender.clone(),
        subject: Some(subject),
        description: Some(description),
        attachments: records(&files),
        ..NewTicket::default()
    };
    let language = customer_language(mail);
    let mut intake = match intake::validate(&input, Source::Mail, &app.policy, now) {
        Ok(intake) => intake,
        Err(first) => {
            // Whatever the rules disliked (an odd address, a name of control codes), the mail
            // is still recorded: on a ticket with neutral fields, flagged, the raw kept.
            notes.push(note(
                "mail.note.unreadable_fields",
                &[("reason", &format!("{first:?}"))],
            ));
            input.customer_name = Some(vi("mail.unknown_sender", &[]));
            input.customer_email = None;
            input.subject = Some(vi("mail.no_subject", &[]));
            if intake::validate(&input, Source::Mail, &app.policy, now).is_err() {
                input.description = Some(vi("mail.no_body", &[]));
            }
            intake::validate(&input, Source::Mail, &app.policy, now)?
        }
    };
    intake.set_language(language);
    if input.customer_email.is_none() {
        notes.push(note("mail.note.no_sender", &[]));
    }
    if let Some(reason) = &mail.automatic {
        notes.push(note(
            "mail.note.automatic",
            &[("reason", &reason.to_string())],
        ));
    }
    let (secret, tracking_hash) = new_tracking_secret();
    // Loop safety: a machine's mail gets no automatic answer (RFC 3834), and notices to one
    // address are bounded by the store.
    let policy = &app.policy;
    let subject = input.subject.as_deref().unwrap_or_default();
    let notice = match (&input.customer_email, mail.is_automatic()) {
        (Some(to), false) if too_large => {
            let limit_mib = Limits::default().max_message_bytes / (1024 * 1024);
            let subject = mail.subject.as_deref().unwrap_or_default();
            Some(to_customer::refused(
                policy, subject, to, limit_mib, language,
            ))
        }
        (Some(to), false) => {
            let link = app.tracking_url("{code}", &secret);
            Some(to_customer::confirmation(
                policy, subject, to, &link, language,
            ))
        }
        _ => None,
    };
    let outcome = if too_large {
        Outcome::Refused
    } else {
        Outcome::New
    };
    let extras = Extras {
        inbound: Some(InboundMail {
            raw_sha256: sha.clone(),
            message_id: mail.message_id.clone(),
            outcome: outcome.as_str().into(),
            reused_id: reused_id.is_some(),
        }),
        notes,
        notice,
        contacts: cc_contacts(mail, input.customer_email.as_deref()),
        files,
    };
    let created = match app
        .store
        .receive_with(
            intake,
            Actor::Customer,
            app.policy.ticket_code_prefix.clone(),
            tracking_hash,
            now,
            extras,
        )
        .await
    {
        Ok(created) => created,
        Err(StoreError::Duplicate(DUPLICATE_MESSAGE)) => {
            return stored_meanwhile(app, mail, sha).await;
        }
        Err(e) => return Err(e),
    };
    Ok(Ingested {
        code: Some(created.code),
        outcome,
        raw_sha256: sha,
    })
}
