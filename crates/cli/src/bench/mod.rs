//! `hotro bench`: generated data and load for measuring hotro on one machine (issue 6).
//! Benchmarks measure and report; nothing here asserts a time.

mod generate;
mod load;
mod memory;
mod ops;
mod report;
mod seed;
mod words;

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Tạo phiếu mẫu / Write N realistic generated tickets into a store.
    Seed(seed::SeedArgs),
    /// Tải thử / Drive a running server over loopback HTTP and report latency per operation.
    Load(load::LoadArgs),
}

pub async fn run(cmd: BenchCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCommand::Seed(args) => seed::run(args).await,
        BenchCommand::Load(args) => load::run(args).await,
    }
}
