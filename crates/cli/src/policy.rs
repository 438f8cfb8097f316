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
        PolicyCommand::Show { policy } => {
            // Every value in force, defaults filled in; the output is a valid policy file.
            let source = match &policy {
                None => "chính sách mặc định / built-in policy".to_owned(),
                Some(path) => path.display().to_string(),
            };
            let effective = load_policy(policy.as_ref())?;
            println!("# Chính sách đang áp dụng / effective policy: {source}");
            print!("{}", effective.to_toml());
        }
    }
    Ok(ExitCode::SUCCESS)
}
