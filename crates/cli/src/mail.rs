//! `hotro mail ingest < message.eml`: the MTA pipe (CH-1). Prints the code of the ticket the
//! message was stored on and exits 0 whenever it was stored, malformed mail included (CH-7).
//! Input with nothing a ticket could be made of (empty, no header) is stored raw and flagged on
//! no ticket, as over HTTP: nothing goes to standard output, the reason to standard error.

use crate::options::{StoreArgs, load_policy};
use anyhow::Context;
use clap::{Args, Subcommand};
use hotro_app::{App, Clock, Settings, mail::inbox};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Nhận một thư từ đầu vào chuẩn / Take in one raw message from standard input
    /// (for an MTA's pipe); prints the ticket code.
    Ingest(IngestArgs),
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Tệp chính sách / Service policy file (TOML); the built-in policy otherwise.
    #[arg(long, env = "HOTRO_POLICY")]
    policy: Option<PathBuf>,
    /// The address customers reach hotro at, for the tracking link in the confirmation.
    #[arg(
        long,
        env = "HOTRO_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
}

/// sysexits.h EX_TEMPFAIL: an MTA keeps the message and delivers it again later, which is
/// what must happen when the store cannot be written (CH-7: retried, not discarded).
const EX_TEMPFAIL: u8 = 75;

pub async fn run(cmd: MailCommand) -> anyhow::Result<ExitCode> {
    let MailCommand::Ingest(args) = cmd;
    let mut raw = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut raw)
        .context("cannot read the message from standard input")?;
    let policy = load_policy(args.policy.as_ref())?;
    let store = match args.store.open().await {
        Ok(store) => store,
        Err(e) => {
            eprintln!("hotro: {e:#}");
            return Ok(ExitCode::from(EX_TEMPFAIL));
        }
    };
    let app = App::new(
        store.clone(),
        policy,
        Clock::system(),
        Settings {
            public_url: args.public_url,
        },
    );
    let result = inbox::ingest(&app, raw).await;
    store.close().await;
    match result {
        Ok(done) => {
            match done.code {
                Some(code) => println!("{code}"),
                None => eprintln!(
                    "hotro: thư không đọc được, đã lưu nguyên bản, không mở phiếu / \
                     unreadable message stored raw, no ticket opened (sha256 {})",
                    done.raw_sha256
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("hotro: the message could not be stored: {e}");
            Ok(ExitCode::from(EX_TEMPFAIL))
        }
    }
}
