//! Policy versions (PL-2): each version in force is recorded with its text, so a ticket keeps
//! the deadlines of the version it was received under after the policy changes. Parsed
//! versions are cached for the store's clones.

use crate::error::{Result, StoreError};
use crate::tx::{RunIn, Tx};
use crate::{Store, millis};
use hotro_core::Policy;
use jiff::Timestamp;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Parsed policy versions by version string, shared by the store's clones.
#[derive(Clone, Default)]
pub(crate) struct PolicyBook(Arc<RwLock<HashMap<String, Arc<Policy>>>>);

impl PolicyBook {
    fn cached(&self, version: &str) -> Option<Arc<Policy>> {
        self.0.read().ok()?.get(version).cloned()
    }

    fn remember(&self, policy: Arc<Policy>) {
        if let Ok(mut map) = self.0.write() {
            map.entry(policy.version.clone()).or_insert(policy);
        }
    }
}

/// A stored policy version, for the policy page (PL-1, PL-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    pub version: String,
    pub published: Option<String>,
    pub first_used_at: Timestamp,
}

impl Store {
    /// Records `policy` as a version in force (PL-2); a version already recorded keeps its
    /// first text and date. `serve` calls this at start with the policy it enforces.
    pub async fn record_policy(&self, policy: Arc<Policy>, now: Timestamp) -> Result<()> {
        let book = self.book.clone();
        self.writer
            .write(move |c| {
                Box::pin(async move {
                    insert_policy(c, &policy, now).await?;
                    book.remember(policy);
                    Ok(())
                })
            })
            .await
    }

    /// Every recorded policy version, oldest first.
    pub async fn policy_versions(&self) -> Result<Vec<PolicyVersion>> {
        let rows = sqlx::query(
            "SELECT version, published, first_used_at FROM policy_versions
             ORDER BY first_used_at, version",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PolicyVersion {
                    version: r.try_get("version")?,
                    published: r.try_get("published")?,
                    first_used_at: crate::from_millis(r.try_get("first_used_at")?)?,
                })
            })
            .collect()
    }

    /// The parsed policy of `version`: cached, else recorded in the store, else the built-in
    /// one when it has that version.
    pub(crate) async fn policy_of(&self, c: &mut Tx, version: &str) -> Result<Arc<Policy>> {
        if let Some(p) = self.book.cached(version) {
            return Ok(p);
        }
        let row = sqlx::query(POLICY_SOURCE)
            .bind(version)
            .fetch_optional_in(c)
            .await?;
        let source = row.map(|r| r.try_get("source")).transpose()?;
        self.remember_policy(version, source)
    }

    /// [`Store::policy_of`] outside a write.
    pub(crate) async fn policy_of_read(&self, version: &str) -> Result<Arc<Policy>> {
        if let Some(p) = self.book.cached(version) {
            return Ok(p);
        }
        let row = sqlx::query(POLICY_SOURCE)
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
        let source = row.map(|r| r.try_get("source")).transpose()?;
        self.remember_policy(version, source)
    }

    /// Parses a recorded policy (or takes the built-in one) and caches it.
    fn remember_policy(&self, version: &str, source: Option<String>) -> Result<Arc<Policy>> {
        let policy = match source {
            Some(source) => Policy::from_toml(&source)
                .map_err(|e| StoreError::Corrupt(format!("policy {version}: {e}")))?,
            None => {
                let builtin = Policy::builtin();
                if builtin.version != version {
                    return Err(StoreError::Corrupt(format!(
                        "policy version {version} is not recorded"
                    )));
                }
                builtin
            }
        };
        let policy = Arc::new(policy);
        self.book.remember(policy.clone());
        Ok(policy)
    }

    /// Makes the policy a command runs under known to the store (PL-2), once per version.
    pub(crate) async fn note_policy(
        &self,
        c: &mut Tx,
        policy: &Arc<Policy>,
        now: Timestamp,
    ) -> Result<()> {
        if self.book.cached(&policy.version).is_none() {
            insert_policy(c, policy, now).await?;
            self.book.remember(policy.clone());
        }
        Ok(())
    }
}

const POLICY_SOURCE: &str = "SELECT source FROM policy_versions WHERE version = $1";

async fn insert_policy(c: &mut Tx, policy: &Policy, now: Timestamp) -> Result<()> {
    // PL-2: a version names one text forever. Reusing a version for a changed file would
    // silently change the deadlines of tickets received under it, so it is refused.
    let recorded = sqlx::query("SELECT source FROM policy_versions WHERE version = $1")
        .bind(&policy.version)
        .fetch_optional_in(c)
        .await?;
    if let Some(row) = recorded {
        let source: String = row.try_get("source")?;
        if source != policy.source && !policy.source.is_empty() {
            return Err(StoreError::Duplicate(
                "policy version with a different text (give the changed policy a new version)",
            ));
        }
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO policy_versions (version, source, published, first_used_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING",
    )
    .bind(&policy.version)
    .bind(&policy.source)
    .bind(policy.published.map(|d| d.to_string()))
    .bind(millis(now))
    .execute_in(c)
    .await?;
    Ok(())
}
