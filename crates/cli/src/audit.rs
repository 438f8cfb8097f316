//! `hotro audit verify`: exit 0 when every ticket's history is intact (SC-3); otherwise
//! name each broken ticket and exit non-zero.

use crate::options::StoreArgs;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Kiểm tra chuỗi băm / Recompute every ticket's hash chain.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub async fn run(cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify { store } = cmd;
    let store = store.open().await?;
    let report = store.verify_chains().await?;
    for broken in &report.broken {
        let at = broken
            .seq
            .map(|s| format!(" (event {s})"))
            .unwrap_or_default();
        eprintln!("{}{at}: {}", broken.code, broken.problem);
    }
    if report.broken.is_empty() {
        println!(
            "hotro: toàn vẹn / intact — {} tickets, {} events",
            report.tickets, report.events
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "hotro: {} of {} tickets have a broken history",
            report.broken.len(),
            report.tickets
        );
        Ok(ExitCode::from(2))
    }
}
