//! The confirmation staff hand a customer who came by phone, in person or by post (CH-4,
//! TR-1): the reception slip ("Phiếu tiếp nhận") a visitor takes home, the letter that answers
//! a letter, the words to read to a caller. Each carries the ticket's code, the tracking link
//! with its QR code, and the deadlines the policy promises.
//!
//! The tracking secret exists in clear only at intake: staff intake redirects here with it,
//! and it is shown only when it proves itself against the stored hash. A reprint later has no
//! secret and points to the lookup by code and contact instead (TR-2).

use super::session::{current, to_login};
use crate::AppState;
use crate::auth::digest;
use crate::i18n::{Tr, text};
use crate::web::page::not_found_page;
use crate::web::page::{lang_url, local_time, locale, respond};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use hotro_core::codes::TicketCode;
use hotro_core::{Channel, Language};
use hotro_store::TicketView;
use std::collections::HashMap;

/// What every confirmation shows, whatever its form.
pub struct Confirmation {
    company: Option<String>,
    address: Option<String>,
    hotline: Option<String>,
    code: String,
    date: String,
    /// The tracking link with its secret, right after intake.
    link: Option<String>,
    /// The link as a QR code, an inline SVG of our own making.
    qr: Option<String>,
    /// The lookup by code and contact, for a reprint without the secret.
    lookup: String,
    /// (what, by when) for the acknowledgement and the resolution the policy promises.
    deadlines: Vec<(&'static str, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_slip.html")]
struct SlipPage {
    t: Tr,
    lang_url: String,
    c: Confirmation,
    customer: String,
    content: String,
    requests: String,
    staff: String,
}

/// A letter answers a letter: Vietnamese first, then English, whatever the screen's language.
#[derive(Template, WebTemplate)]
#[template(path = "agent_letter.html")]
struct LetterPage {
    t: Tr,
    lang_url: String,
    c: Confirmation,
    /// The letter in each language, Vietnamese first.
    parts: Vec<LetterPart>,
    recipient: String,
    recipient_address: Option<String>,
}

pub struct LetterPart {
    t: Tr,
    tag: &'static str,
    greeting: String,
    body: String,
    closing: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "agent_phone.html")]
struct PhonePage {
    t: Tr,
    lang_url: String,
    staff_name: String,
    /// Whether the header shows the administrators' link.
    admin: bool,
    /// Whether the header shows the lead's desk (issue 16).
    desk: bool,
    csrf: String,
    c: Confirmation,
    say: String,
    ticket_url: Option<String>,
}

/// The tracking link as a QR code: black modules on white, sized for a printed page.
fn qr_svg(link: &str) -> Option<String> {
    let code = qrcode::QrCode::new(link.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Inline in the page: the XML declaration belongs to a file, not to HTML.
    let start = svg.find("<svg")?;
    Some(svg[start..].to_owned())
}

async fn confirmation(state: &AppState, view: &TicketView, secret: Option<&str>) -> Confirmation {
    let k = &view.ticket;
    // The secret is shown only when it is this ticket's: a mistyped or stale URL must not
    // print a link that leads nowhere.
    let proven = match secret.filter(|s| !s.is_empty()) {
        Some(s) => state
            .store
            .tracked_ticket(&k.code, &digest(s))
            .await
            .is_ok()
            .then(|| s.to_owned()),
        None => None,
    };
    let link = proven.map(|s| state.app.tracking_url(&k.code, &s));
    let qr = link.as_deref().and_then(qr_svg);
    let deadlines = match state
        .store
        .sla_status(&view.records(), state.clock.now())
        .await
    {
        Ok(status) => [
            ("web.confirm.acknowledge", status.acknowledge),
            ("web.confirm.resolve", status.resolve),
        ]
        .into_iter()
        .filter_map(|(what, clock)| {
            clock
                .and_then(|c| c.due_at)
                .map(|at| (what, local_time(&at.to_string())))
        })
        .collect(),
        Err(e) => {
            tracing::error!(error = %e, "SLA clocks could not be computed for a confirmation");
            Vec::new()
        }
    };
    let contact = &state.policy.contact;
    Confirmation {
        company: contact.company.clone(),
        address: contact.address.clone(),
        hotline: contact.hotline.clone(),
        code: k.code.clone(),
        date: local_time(&k.received_at.to_string()),
        link,
        qr,
        lookup: format!(
            "{}/track",
            state.app.settings.public_url.trim_end_matches('/')
        ),
        deadlines,
    }
}

/// The confirmation of a contact staff recorded, printable on one page: a walk-in's slip,
/// a letter for post, the words for a caller. Its department's staff and whoever recorded
/// it may open it (the receptionist prints it even when the ticket goes elsewhere).
pub async fn slip(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some(session) = current(&state, &headers).await else {
        return to_login();
    };
    let t = Tr(locale(&uri, &headers));
    let view = match TicketCode::parse(&code) {
        Some(code) => state
            .store
            .reception_view(&session.staff, code.as_str())
            .await
            .ok(),
        None => None,
    };
    let Some(view) = view else {
        return not_found_page(&uri, t);
    };
    let c = confirmation(&state, &view, query.get("secret").map(String::as_str)).await;
    let k = &view.ticket;
    match k.channel {
        Channel::Post => {
            let part = |language: Language| {
                let t = Tr(language);
                let (greeting, closing) = match language {
                    Language::En => (
                        state.policy.notices.greeting_en.clone(),
                        state.policy.notices.closing_en.clone(),
                    ),
                    _ => (
                        state.policy.reply.greeting.clone(),
                        state.policy.reply.closing.clone(),
                    ),
                };
                LetterPart {
                    t,
                    tag: language.as_str(),
                    greeting,
                    body: text(
                        language,
                        "web.letter.body",
                        &[
                            ("date", &c.date),
                            ("subject", &k.subject),
                            ("code", &k.code),
                        ],
                    ),
                    closing,
                }
            };
            let parts = vec![part(Language::Vi), part(Language::En)];
            respond(
                &uri,
                LetterPage {
                    t,
                    lang_url: lang_url(&uri, t),
                    parts,
                    recipient: k.customer.name.clone(),
                    recipient_address: k.customer.address.clone(),
                    c,
                },
            )
        }
        Channel::Phone => {
            let say = t.with("web.confirm.phone.say", "code", &spelled(&k.code));
            let ticket_url = session
                .staff
                .may_handle_ticket(&k.department, k.priority)
                .then(|| format!("/agent/tickets/{}", k.code));
            respond(
                &uri,
                PhonePage {
                    t,
                    lang_url: lang_url(&uri, t),
                    staff_name: session.staff.name.clone(),
                    admin: session.is_admin(),
                    desk: session.has_desk(),
                    csrf: session.csrf.clone(),
                    c,
                    say,
                    ticket_url,
                },
            )
        }
        _ => {
            let contact: Vec<&str> = [&k.customer.phone, &k.customer.email, &k.customer.address]
                .into_iter()
                .filter_map(|v| v.as_deref())
                .collect();
            let requests = k
                .complaint
                .as_ref()
                .and_then(|c| c.requested_resolution.clone())
                .unwrap_or_else(|| k.subject.clone());
            respond(
                &uri,
                SlipPage {
                    t,
                    lang_url: lang_url(&uri, t),
                    customer: format!("{} — {}", k.customer.name, contact.join(", ")),
                    content: k.description.clone(),
                    requests,
                    staff: view
                        .timeline
                        .first()
                        .and_then(|e| e.actor_name.clone())
                        .unwrap_or_default(),
                    c,
                },
            )
        }
    }
}

/// A code read over the phone, its groups apart: "HT - 2026 - 000123".
fn spelled(code: &str) -> String {
    code.split('-').collect::<Vec<_>>().join(" - ")
}
