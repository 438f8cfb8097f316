//! `hotro reindex`: rebuilds the search index (SE-1) from the event log, with a progress bar.
//! Needed after a change to how words are folded; safe while the server runs, since new
//! messages are indexed by their own writes.

use crate::options::StoreArgs;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

pub async fn run(args: StoreArgs) -> anyhow::Result<ExitCode> {
    let store = args.open().await?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:40}] {pos}/{len} tin nhắn / messages ({per_sec}, {eta})",
        )?
        .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let indexed = store
        .reindex(&mut |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await?;
    bar.finish_and_clear();
    println!(
        "hotro: đã lập chỉ mục tìm kiếm / search index rebuilt — {indexed} messages in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
