//! A department's name as the reader reads it, for the queue, the ticket page and the
//! timeline alike.

use crate::AppState;
use crate::i18n::Tr;
use hotro_core::Language;

pub fn department_name(state: &AppState, id: &str, t: Tr) -> String {
    state.policy.department(id).map_or_else(
        || id.to_owned(),
        |d| {
            if t.0 == Language::En {
                d.name_en.clone()
            } else {
                d.name.clone()
            }
        },
    )
}
