//! Policy versions (PL-2): each version in force is recorded with its text, so a ticket keeps
//! the deadlines of the version it was received under after the policy changes. Parsed
//! versions are cached for the store's clones.

use crate::error::{Result, StoreError};
use crate::tx::{RunIn, Tx};
use crate::{Store, millis};
use hotro_core::Policy;
use hotro_core::policy::confirm::Reading;
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

/// One member of staff and a policy version, for the administrators' list (PL-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyConfirmation {
    pub staff_id: i64,
    pub name: String,
    pub email: String,
    pub department: String,
    pub confirmed_at: Option<Timestamp>,
    /// Whether they must confirm before their next answer (`core::policy::confirm`).
    pub required: bool,
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

    /// PL-3: what decides whether `staff_id` must confirm `version` — `None` when the
    /// version is not recorded (nothing is in force to confirm).
    pub async fn policy_reading(&self, staff_id: i64, version: &str) -> Result<Option<Reading>> {
        let row = sqlx::query(
            "SELECT v.first_used_at,
                    (SELECT COUNT(*) FROM policy_versions o
                     WHERE o.first_used_at < v.first_used_at) AS earlier,
                    (SELECT created_at FROM staff WHERE id = $2) AS account_since,
                    (SELECT COUNT(*) FROM policy_confirmations c
                     WHERE c.staff_id = $2 AND c.version = v.version) AS confirmed
             FROM policy_versions v WHERE v.version = $1",
        )
        .bind(version)
        .bind(staff_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let account_since: Option<i64> = r.try_get("account_since")?;
        Ok(Some(Reading {
            in_force_since: crate::from_millis(r.try_get("first_used_at")?)?,
            replaces_one: r.try_get::<i64, _>("earlier")? > 0,
            account_since: crate::from_millis(account_since.ok_or(StoreError::NotFound)?)?,
            confirmed: r.try_get::<i64, _>("confirmed")? > 0,
        }))
    }

    /// PL-3: `staff_id` confirms having read `version`; a second confirmation keeps the
    /// first one's time. Returns when it was confirmed.
    pub async fn confirm_policy(
        &self,
        staff_id: i64,
        version: &str,
        now: Timestamp,
    ) -> Result<Timestamp> {
        let version = version.to_owned();
        let at: i64 = self
            .writer
            .write(move |c| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO policy_confirmations (staff_id, version, confirmed_at)
                         VALUES ($1, $2, $3) ON CONFLICT (staff_id, version) DO NOTHING",
                    )
                    .bind(staff_id)
                    .bind(&version)
                    .bind(millis(now))
                    .execute_in(c)
                    .await?;
                    let row = sqlx::query(
                        "SELECT confirmed_at FROM policy_confirmations
                         WHERE staff_id = $1 AND version = $2",
                    )
                    .bind(staff_id)
                    .bind(&version)
                    .fetch_one_in(c)
                    .await?;
                    Ok(row.try_get("confirmed_at")?)
                })
            })
            .await?;
        crate::from_millis(at)
    }

    /// PL-3: every active member of staff with their confirmation of `version`, if any, and
    /// whether they must give one, by name.
    pub async fn policy_confirmations(&self, version: &str) -> Result<Vec<PolicyConfirmation>> {
        let rows = sqlx::query(
            "SELECT s.id, s.name, s.email, s.department, c.confirmed_at
             FROM staff s LEFT JOIN policy_confirmations c
                  ON c.staff_id = s.id AND c.version = $1
             WHERE s.active = 1 ORDER BY s.name, s.id",
        )
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let staff_id: i64 = r.try_get("id")?;
            let confirmed_at: Option<i64> = r.try_get("confirmed_at")?;
            let required = self
                .policy_reading(staff_id, version)
                .await?
                .is_some_and(hotro_core::policy::confirm::must_confirm);
            out.push(PolicyConfirmation {
                staff_id,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                department: r.try_get("department")?,
                confirmed_at: confirmed_at.map(crate::from_millis).transpose()?,
                required,
            });
        }
        Ok(out)
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
