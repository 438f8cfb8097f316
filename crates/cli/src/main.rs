//! The `hotro` binary: one program to serve the helpdesk and to administer it.

mod admin;
mod audit;
mod bench;
mod calendar;
#[cfg(feature = "http")]
mod config;
mod mail;
mod options;
mod policy;
mod reindex;
#[cfg(feature = "http")]
mod serve;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// hotro — hệ thống hỗ trợ khách hàng theo chính sách dịch vụ / a policy-enforcing helpdesk.
#[derive(Parser)]
#[command(name = "hotro", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Chạy máy chủ / Run the server (first start prints the administrator's password).
    #[cfg(feature = "http")]
    Serve(serve::ServeArgs),
    /// Cập nhật cấu trúc dữ liệu / Bring the database schema up to date.
    Migrate(options::StoreArgs),
    /// Quản lý nhân viên / Manage staff.
    #[command(subcommand)]
    User(admin::UserCommand),
    /// Mã truy cập API / API tokens for integrations.
    #[command(subcommand)]
    Token(admin::TokenCommand),
    /// Chính sách dịch vụ / The service policy.
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Lịch làm việc / Days off of a year, and due-time questions (SL-1).
    Calendar(calendar::CalendarArgs),
    /// Thư điện tử / E-mail: take in a raw message (MTA pipe).
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Kiểm toán lịch sử phiếu / Audit the tickets' tamper-evident history.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Lập lại chỉ mục tìm kiếm / Rebuild the search index from the event log (SE-1).
    Reindex(options::StoreArgs),
    /// Đo hiệu năng / Benchmarks: generated tickets and HTTP load (issue 6).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HOTRO_LOG")
                .unwrap_or_else(|_| "hotro=info,tower_http=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hotro: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            #[cfg(feature = "http")]
            Command::Serve(args) => serve::run(args).await,
            Command::Migrate(args) => {
                let store = args.open().await?;
                store.migrate().await?;
                println!("hotro: cơ sở dữ liệu đã cập nhật / database is up to date");
                Ok(ExitCode::SUCCESS)
            }
            Command::Reindex(args) => reindex::run(args).await,
            Command::User(cmd) => admin::user(cmd).await,
            Command::Token(cmd) => admin::token(cmd).await,
            Command::Policy(cmd) => policy::run(cmd),
            Command::Audit(cmd) => audit::run(cmd).await,
            Command::Bench(cmd) => bench::run(cmd).await,
            Command::Mail(cmd) => mail::run(cmd).await,
            Command::Calendar(args) => calendar::run(args),
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hotro: {e:#}");
            ExitCode::FAILURE
        }
    }
}
