//! The agent workspace: sign-in, the live department queue, the ticket page with every
//! action, staff intake (CH-4) and the reception slip.

mod actions;
mod outbox;
mod pages;
mod search;
mod session;

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
        .route("/agent", get(pages::queue))
        .route("/agent/queue/rows", get(pages::queue_rows))
        .route("/agent/stream", get(pages::stream))
        .route("/agent/search", get(search::search))
        .route("/agent/new", get(pages::intake_form).post(pages::intake))
        .route("/agent/tickets/{code}", get(pages::ticket))
        .route("/agent/tickets/{code}/slip", get(pages::slip))
        .route("/agent/tickets/{code}/timeline", get(pages::timeline))
        .route("/agent/tickets/{code}/files/{sha256}", get(pages::file))
        .route("/agent/tickets/{code}/{action}", post(actions::act))
        .route("/agent/mail/failed", get(outbox::failed))
        .route("/agent/mail/failed/{id}/send", post(outbox::send_again))
}
