//! The SLA timers (SL-6): warnings and escalations fire when due, claimed with a lease so
//! that several nodes on one PostgreSQL share the work without doubling it.

use crate::App;
use std::time::Duration;

/// How often this node looks for due warnings and escalations.
pub const DUE_JOBS_EVERY: Duration = Duration::from_secs(5);

/// How often stored files no ticket refers to are swept, and how old they must be: longer
/// than any upload takes to reach its ticket's commit.
pub const FILE_SWEEP_EVERY: Duration = Duration::from_secs(15 * 60);
pub const FILE_GRACE: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

impl App {
    /// Fires what is due now; returns how many alerts were recorded.
    pub async fn run_due_jobs(&self) -> Result<usize, hotro_store::StoreError> {
        let fired = self.store.run_due_jobs(self.now()).await?;
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
