//! A submitted form as the page shows it again: the values typed, and each error beside
//! its field (in the reader's language).

use crate::i18n::Tr;
use hotro_core::FieldError;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
}

impl FormState {
    pub fn new(values: HashMap<String, String>) -> FormState {
        FormState {
            values,
            errors: HashMap::new(),
        }
    }

    /// Records the rule errors, mapping API field paths (`customer.email`) to form names.
    pub fn with_errors(mut self, errors: &[FieldError], t: Tr, args: &[(&str, &str)]) -> FormState {
        for e in errors {
            let name = e.field.replace('.', "_");
            let message = crate::i18n::text(t.0, &format!("rule.{}", e.rule), args);
            self.errors.entry(name).or_insert(message);
        }
        self
    }

    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// `aria-invalid` for a field.
    pub fn invalid(&self, name: &str) -> &'static str {
        if self.errors.contains_key(name) {
            "true"
        } else {
            "false"
        }
    }

    /// ` selected` when the field holds `value`, for `<option>`.
    pub fn selected(&self, name: &str, value: &str) -> &'static str {
        if self.value(name) == value {
            " selected"
        } else {
            ""
        }
    }

    /// The submitted value, `None` when blank.
    pub fn get(&self, name: &str) -> Option<String> {
        self.values
            .get(name)
            .filter(|v| !v.trim().is_empty())
            .cloned()
    }
}
