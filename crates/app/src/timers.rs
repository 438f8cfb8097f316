//! The SLA timers (SL-6): warnings and escalations fire when due, claimed with a lease so
//! that several nodes on one PostgreSQL share the work without doubling it; the people they
//! name are notified in the workspace and by mail, in the words of `locales/`. And each
//! member of staff's notifications, and the leads' escalation list.

use crate::{App, texts};
use hotro_core::sla::SlaClock;
use hotro_core::sla::notice::{AlertLanguage, AlertWords};
use hotro_core::{Role, StaffMember};
use hotro_store::{Escalation, Notification, StoreError};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// How many notifications and escalations a list shows at most.
pub const LIST_LIMIT: i64 = 200;

/// The alert mails' words, read once from the catalogues.
pub fn alert_words() -> Arc<AlertWords> {
    static WORDS: OnceLock<Arc<AlertWords>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            let language = |get: fn(&str, &[(&str, &str)]) -> String| AlertLanguage {
                warning_subject: get("sla.warning.subject", &[]),
                warning_body: get("sla.warning.body", &[]),
                breach_subject: get("sla.breach.subject", &[]),
                breach_body: get("sla.breach.body", &[]),
                clocks: [
                    SlaClock::Acknowledge,
                    SlaClock::Resolve,
                    SlaClock::Start,
                    SlaClock::FirstAnswer,
                ]
                .into_iter()
                .map(|c| (c, get(&format!("sla.clock.{}", c.as_str()), &[])))
                .collect(),
            };
            Arc::new(AlertWords {
                vi: language(texts::vi),
                en: language(texts::en),
            })
        })
        .clone()
}

/// How often this node looks for due warnings and escalations.
pub const DUE_JOBS_EVERY: Duration = Duration::from_secs(5);

/// How often stored files no ticket refers to are swept, and how old they must be: longer
/// than any upload takes to reach its ticket's commit.
pub const FILE_SWEEP_EVERY: Duration = Duration::from_secs(15 * 60);
pub const FILE_GRACE: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

impl App {
    /// Fires what is due now; returns how many alerts were recorded.
    pub async fn run_due_jobs(&self) -> Result<usize, hotro_store::StoreError> {
        let fired = self.store.run_due_jobs(self.now(), alert_words()).await?;
        for (code, event) in &fired {
            tracing::info!(%code, kind = event.type_name(), "SLA alert recorded");
        }
        Ok(fired.len())
    }

    /// Runs [`App::run_due_jobs`] every `every` until the process ends.
    pub fn spawn_due_jobs(&self, every: Duration) {
        let app = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                // A database outage must not stop the loop; the timers wait in the table.
                if let Err(e) = app.run_due_jobs().await {
                    tracing::warn!(error = %e, "due jobs failed; retrying");
                }
            }
        });
    }

    /// The caller's own notifications, newest first, and how many are unread.
    pub async fn my_notifications(
        &self,
        me: &StaffMember,
    ) -> Result<(Vec<Notification>, i64), StoreError> {
        let list = self.store.notifications(me.id, LIST_LIMIT).await?;
        let unread = self.store.unread_notifications(me.id).await?;
        Ok((list, unread))
    }

    /// Marks one of the caller's notifications read; another person's is `NotFound`.
    pub async fn read_notification(&self, me: &StaffMember, id: i64) -> Result<(), StoreError> {
        self.store
            .mark_notification_read(me.id, id, self.now())
            .await
    }

    /// SL-6: the escalation list, for leads (their department) and administrators (all);
    /// `None` for anyone else, who has no such list.
    pub async fn escalations(
        &self,
        me: &StaffMember,
    ) -> Result<Option<Vec<Escalation>>, StoreError> {
        if !matches!(me.role, Role::Lead | Role::Admin) {
            return Ok(None);
        }
        Ok(Some(self.store.escalations(me, LIST_LIMIT).await?))
    }

    /// Removes the stored files no ticket refers to, older than [`FILE_GRACE`] (issue 14).
    pub async fn sweep_files(&self) -> Result<u64, hotro_store::StoreError> {
        let removed = self
            .store
            .sweep_unreferenced_files(self.now() - FILE_GRACE)
            .await?;
        if removed > 0 {
            tracing::info!(removed, "unreferenced files swept");
        }
        Ok(removed)
    }

    /// Runs [`App::sweep_files`] every `every` until the process ends.
    pub fn spawn_file_sweep(&self, every: Duration) {
        let app = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                if let Err(e) = app.sweep_files().await {
                    tracing::warn!(error = %e, "file sweep failed; retrying");
                }
            }
        });
    }
}
