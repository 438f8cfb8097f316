//! Questions put to a department by another (RP-3), as the consulted department sees them:
//! the question and the ticket's code and subject, nothing else of the ticket (RT-4).

use crate::error::Result;
use crate::{Store, from_millis};
use hotro_core::{Event, StaffMember};
use jiff::Timestamp;
use sqlx::Row;
use std::collections::HashSet;

/// An unanswered question for the viewer's department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenConsultation {
    pub code: String,
    pub subject: String,
    pub number: u32,
    pub from_department: String,
    pub question: String,
    pub asked_at: Timestamp,
}

impl Store {
    /// The open tickets' unanswered questions addressed to the viewer's department, oldest
    /// first.
    pub async fn open_consultations(&self, viewer: &StaffMember) -> Result<Vec<OpenConsultation>> {
        let rows = sqlx::query(
            "SELECT t.code, t.subject, t.department, e.payload, e.at
             FROM events e JOIN tickets t ON t.id = e.ticket_id
             WHERE t.is_open = 1
               AND e.kind IN ('consultation_requested', 'consultation_answered')
             ORDER BY e.at, e.ticket_id, e.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut answered = HashSet::new();
        let mut asked = Vec::new();
        for row in &rows {
            let code: String = row.try_get("code")?;
            let payload: String = row.try_get("payload")?;
            match Event::from_json(&payload) {
                Ok(Event::ConsultationAnswered { number, .. }) => {
                    answered.insert((code, number));
                }
                Ok(Event::ConsultationRequested {
                    number,
                    department,
                    question,
                }) if department == viewer.department => asked.push(OpenConsultation {
                    code,
                    subject: row.try_get("subject")?,
                    number,
                    from_department: row.try_get("department")?,
                    question,
                    asked_at: from_millis(row.try_get("at")?)?,
                }),
                _ => {}
            }
        }
        asked.retain(|c| !answered.contains(&(c.code.clone(), c.number)));
        Ok(asked)
    }
}
