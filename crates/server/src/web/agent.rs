//! The agent workspace: sign-in, the live department queue, the ticket page with every
//! action, staff intake (CH-4) and the reception slip.

mod actions;
mod admin;
mod attention;
mod chat_console;
mod classify;
mod customer;
mod department;
mod desk;
mod files;
mod intake;
mod live;
mod outbox;
mod policy_confirm;
mod queue;
mod reception;
mod search;
mod session;
mod ticket;
mod timeline;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/agent/login",
            get(session::login_form).post(session::login),
        )
        .route("/agent/logout", post(session::logout))
        .route("/agent", get(queue::queue))
        .route("/agent/queue/rows", get(queue::queue_rows))
        .route("/agent/stream", get(live::stream))
        .route("/agent/search", get(search::search))
        .route("/agent/customers/{id}", get(customer::customer))
        .route("/agent/policy/confirm", post(policy_confirm::confirm))
        .route("/agent/new", get(intake::intake_form).post(intake::intake))
        .route("/agent/tickets/{code}", get(ticket::ticket))
        .route("/agent/tickets/{code}/slip", get(reception::slip))
        .route("/agent/tickets/{code}/timeline", get(timeline::timeline))
        .route(
            "/agent/tickets/{code}/chat",
            get(chat_console::transcript).post(chat_console::send),
        )
        .route("/agent/tickets/{code}/files/{sha256}", get(files::file))
        .route("/agent/tickets/{code}/{action}", post(actions::act))
        .route("/agent/desk", get(desk::page))
        .route("/agent/desk/assign", post(desk::assign))
        .route("/agent/attention", get(attention::page))
        .route("/agent/attention/count", get(attention::count))
        .route("/agent/attention/{id}/read", post(attention::read))
        .route("/agent/mail/failed", get(outbox::failed))
        .route("/agent/mail/failed/{id}/send", post(outbox::send_again))
        .merge(admin::router())
}
