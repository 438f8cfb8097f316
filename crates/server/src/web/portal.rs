//! The customer portal (CH-2, CH-6, TR-2): the three forms, the confirmation, the tracking page.

mod actions;
mod files;
mod forms;
mod track;

// The staff intake form is the portal's form with more choices, and staff download files
// the same safe way.
pub use files::download;
pub use forms::{FormPage, new_ticket, topics};

use crate::AppState;
use axum::Router;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(forms::home))
        .route("/new/{kind}", get(forms::new_form).post(forms::submit))
        .route("/track", get(track::lookup_form).post(track::lookup))
        .route("/track/{code}", get(track::track))
        .route(
            "/track/{code}/{action}",
            axum::routing::post(actions::track_action),
        )
        .route("/track/{code}/files/{sha256}", get(files::customer_file))
}
