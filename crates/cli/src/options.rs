//! Options shared by the commands that open the store, and loading the policy.

use anyhow::Context;
use clap::Args;
use hotro_core::Policy;
use hotro_store::{Location, Store};
use std::path::PathBuf;

/// Where the data lives: a data directory (embedded SQLite) or a database URL.
#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// Thư mục dữ liệu / Data directory for the embedded database.
    #[arg(long, env = "HOTRO_DATA", default_value = "./hotro-data")]
    pub data: PathBuf,
    /// PostgreSQL: postgres://user@host/db (takes precedence over --data).
    #[arg(long, env = "HOTRO_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl StoreArgs {
    pub fn location(&self) -> Location {
        match &self.database_url {
            Some(url) => Location::Url(url.clone()),
            None => Location::DataDir(self.data.clone()),
        }
    }

    pub async fn open(&self) -> anyhow::Result<Store> {
        let where_ = match &self.database_url {
            Some(_) => "the database URL".to_owned(),
            None => self.data.display().to_string(),
        };
        Store::open(&self.location())
            .await
            .with_context(|| format!("cannot open the store at {where_}"))
    }
}

/// The policy file given, or the built-in one.
pub fn load_policy(file: Option<&PathBuf>) -> anyhow::Result<Policy> {
    match file {
        None => Ok(Policy::builtin()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            // Every problem, one `FILE:LINE: field: message` line each: hotro never starts with
            // a policy it cannot enforce, and the operator should fix them all in one go.
            Policy::from_toml(&text).map_err(|e| {
                anyhow::anyhow!(
                    "chính sách không hợp lệ / invalid policy:\n{}",
                    e.report(&path.display().to_string()).trim_end()
                )
            })
        }
    }
}
