//! The department queue in queue order (QF-1).

use hotro_store::QueueItem;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct QueueItemDto {
    pub code: String,
    pub kind: String,
    pub channel: String,
    pub department: String,
    pub topic: Option<String>,
    pub priority: String,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub customer_name: String,
    pub subject: String,
    pub received_at: String,
    pub updated_at: String,
    /// SL-2: acknowledgement due, while it runs (absent when met, paused or not applicable).
    pub acknowledge_due_at: Option<String>,
    /// SL-3: resolution due, while it runs.
    pub resolve_due_at: Option<String>,
    /// QF-3: the customer's next issue must be taken up by then.
    pub start_by_at: Option<String>,
    /// SL-5: the clocks are paused while the ticket waits for the customer.
    pub paused: bool,
    /// SL-4: the complaint came after the time bar.
    pub time_barred: bool,
}

impl From<&QueueItem> for QueueItemDto {
    fn from(q: &QueueItem) -> Self {
        QueueItemDto {
            code: q.code.clone(),
            kind: q.kind.clone(),
            channel: q.channel.clone(),
            department: q.department.clone(),
            topic: q.topic.clone(),
            priority: q.priority.clone(),
            status: q.status.clone(),
            assignee_id: q.assignee_id,
            assignee_name: q.assignee_name.clone(),
            customer_name: q.customer_name.clone(),
            subject: q.subject.clone(),
            received_at: q.received_at.to_string(),
            updated_at: q.updated_at.to_string(),
            acknowledge_due_at: q.due.ack_due_at.map(|t| t.to_string()),
            resolve_due_at: q.due.resolve_due_at.map(|t| t.to_string()),
            start_by_at: q.due.start_by_at.map(|t| t.to_string()),
            paused: q.due.paused,
            time_barred: q.due.time_barred,
        }
    }
}

/// The queue in order (QF-1); pass `next` as `after` for the following page.
#[derive(Serialize, ToSchema)]
pub struct QueueDto {
    pub items: Vec<QueueItemDto>,
    pub next: Option<String>,
}
