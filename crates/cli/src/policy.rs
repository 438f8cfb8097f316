//! `hotro policy check` and `hotro policy show`.

use crate::options::load_policy;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Kiểm tra tệp chính sách / Validate a policy file.
    Check { file: PathBuf },
    /// In chính sách đang áp dụng / Print the effective policy.
    Show {
        #[arg(long, env = "HOTRO_POLICY")]
        policy: Option<PathBuf>,
    },
}

pub fn run(cmd: PolicyCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PolicyCommand::Check { file } => {
            let policy = load_policy(Some(&file))?;
            println!(
                "{}: hợp lệ / valid (version {})",
                file.display(),
                policy.version
            );
        }
        PolicyCommand::Show { policy } => match policy {
            None => print!("{}", hotro_core::policy::DEFAULT_POLICY_TOML),
            Some(path) => {
                load_policy(Some(&path))?;
                print!("{}", std::fs::read_to_string(&path)?);
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
