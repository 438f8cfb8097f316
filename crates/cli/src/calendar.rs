//! `hotro calendar YEAR` and `hotro calendar due`: the working calendar from the command line
//! (SL-1), with the exact semantics of CONTRACT.md.

use crate::options::load_policy;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use hotro_calendar::holidays::format_year;
use hotro_calendar::{FIRST_YEAR, LAST_YEAR, format_local, year_days};
use jiff::Timestamp;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CalendarArgs {
    #[command(subcommand)]
    command: Option<CalendarCommand>,
    /// Năm / Year (1900–2100): lists its days off and make-up working days.
    year: Option<i16>,
    /// Tệp chính sách / Policy file whose holiday overrides apply; the built-in otherwise.
    #[arg(long, env = "HOTRO_POLICY")]
    policy: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum CalendarCommand {
    /// Hạn xử lý / The instant N working minutes of a department's calendar after --from.
    Due {
        /// Phòng ban / Department id of the policy (sales, technical, design, customer, other).
        #[arg(long)]
        department: String,
        /// Thời điểm bắt đầu / Start instant, RFC 3339 (e.g. 2026-02-13T16:00:00+07:00).
        #[arg(long)]
        from: String,
        /// Số phút làm việc / Working minutes to add.
        #[arg(long)]
        working_minutes: u32,
        #[arg(long, env = "HOTRO_POLICY")]
        policy: Option<PathBuf>,
    },
}

pub fn run(args: CalendarArgs) -> anyhow::Result<ExitCode> {
    match (args.command, args.year) {
        (
            Some(CalendarCommand::Due {
                department,
                from,
                working_minutes,
                policy,
            }),
            _,
        ) => {
            let policy = load_policy(policy.as_ref().or(args.policy.as_ref()))?;
            if policy.department(&department).is_none() {
                let known: Vec<&str> = policy.departments.iter().map(|d| d.id.as_str()).collect();
                bail!(
                    "--department: phòng ban không có trong chính sách / unknown department {department:?} (known: {})",
                    known.join(", ")
                );
            }
            let from: Timestamp = from.parse().with_context(|| {
                format!("--from: cần thời điểm RFC 3339 / not an RFC 3339 instant: {from:?}")
            })?;
            let due = policy
                .calendar(&department)
                .add_working_minutes(from, working_minutes)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", format_local(due));
        }
        (None, Some(year)) => {
            if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
                bail!("YEAR: năm phải trong khoảng / year must be within {FIRST_YEAR}–{LAST_YEAR}");
            }
            let policy = load_policy(args.policy.as_ref())?;
            let days = year_days(year, &policy.holidays).map_err(|e| anyhow::anyhow!("{e}"))?;
            print!("{}", format_year(&days));
        }
        (None, None) => bail!("cần YEAR hoặc `due` / give a YEAR or the `due` subcommand"),
    }
    Ok(ExitCode::SUCCESS)
}
