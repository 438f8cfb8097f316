//! `hotro serve`: open the store, create the first administrator if there is none, serve.

use crate::options::{StoreArgs, load_policy};
use anyhow::Context;
use clap::Args;
use hotro_app::mail::poll::{spawn_poller, spawn_watcher};
use hotro_app::timers::{DUE_JOBS_EVERY, FILE_SWEEP_EVERY};
use hotro_app::{App, Clock, Settings};
use hotro_server::{AppState, ServerConfig};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Địa chỉ lắng nghe / Address to listen on (port 0 picks a free one).
    #[arg(long, env = "HOTRO_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Tệp cấu hình / Settings file (hotro.toml: IMAP mailboxes); by default hotro.toml in
    /// the data directory, if it exists.
    #[arg(long, env = "HOTRO_CONFIG")]
    config: Option<PathBuf>,
    /// Tệp chính sách / Service policy file (TOML); the built-in policy otherwise.
    #[arg(long, env = "HOTRO_POLICY")]
    policy: Option<PathBuf>,
    /// The address customers reach hotro at, for tracking links (default: http://LISTEN).
    #[arg(long, env = "HOTRO_PUBLIC_URL")]
    public_url: Option<String>,
    /// Public submissions one address may make per minute, chats it may start and tickets
    /// it may look up by code and contact, each counted apart (SC-4);
    /// 0 turns the limit off, e.g. for a load test on loopback.
    #[arg(long, env = "HOTRO_PUBLIC_RATE_LIMIT", default_value_t = 30)]
    public_rate_limit: u32,
    /// Sign-in attempts one address may make per minute, apart from the public budget;
    /// 0 turns the limit off. Each account is throttled besides, whatever the address.
    #[arg(long, env = "HOTRO_SIGN_IN_RATE_LIMIT", default_value_t = 60)]
    sign_in_rate_limit: u32,
    /// MiB of files one address may send through the public forms per hour (the portal's
    /// forms, a customer's message with files); 0 turns the budget off.
    #[arg(long, env = "HOTRO_UPLOAD_BUDGET_MIB", default_value_t = 200)]
    upload_budget_mib: u32,
    /// Máy chủ trung gian tin cậy / A reverse proxy in front of hotro (an IP address; repeat
    /// the flag, or separate with commas): the client address of its requests is read from
    /// X-Forwarded-For. Without it the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "HOTRO_TRUSTED_PROXIES",
        value_name = "ADDR",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Máy chủ gửi thư / SMTP server for notices and e-mail replies, e.g.
    /// smtp://127.0.0.1:2525, smtp://user:pass@host:587?tls=required or smtps://host:465.
    /// Without it, mails wait in the outbox (TR-3).
    #[arg(long, env = "HOTRO_SMTP_URL")]
    smtp_url: Option<String>,
    /// Địa chỉ gửi / The sender of hotro's mail, e.g. "Hỗ trợ <hotro@congty.vn>".
    #[arg(long, env = "HOTRO_MAIL_FROM", default_value = "hotro@localhost")]
    mail_from: String,
    /// Hộp thư IMAP / IMAP server to fetch customer mail from (plain IMAP; CH-1). For TLS,
    /// IDLE and several mailboxes, name them in hotro.toml.
    #[arg(long, env = "HOTRO_IMAP_HOST")]
    imap_host: Option<String>,
    #[arg(long, env = "HOTRO_IMAP_PORT", default_value_t = 143)]
    imap_port: u16,
    #[arg(long, env = "HOTRO_IMAP_USER", default_value = "")]
    imap_user: String,
    /// Better given by the environment than on the command line, where others can read it.
    #[arg(
        long,
        env = "HOTRO_IMAP_PASSWORD",
        default_value = "",
        hide_env_values = true
    )]
    imap_password: String,
    #[arg(long, env = "HOTRO_IMAP_MAILBOX", default_value = "INBOX")]
    imap_mailbox: String,
    /// Seconds between two polls of the mailbox.
    #[arg(long, env = "HOTRO_IMAP_EVERY", default_value_t = 30)]
    imap_every: u64,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let policy = load_policy(args.policy.as_ref())?;
    // A broken settings file stops the start, before anything listens.
    let settings = crate::config::locate(args.config.as_deref(), &args.store.data);
    let mailboxes = crate::config::load_mailboxes(settings.as_deref())?;
    let store = args.store.open().await?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let public_url = args.public_url.unwrap_or_else(|| format!("http://{addr}"));
    tracing::info!(%addr, policy = %policy.version, "serving");
    let app = App::new(
        store.clone(),
        policy,
        Clock::system(),
        Settings { public_url },
    );
    if let Some((email, password)) = app.ensure_first_admin().await? {
        println!("hotro: tài khoản quản trị đầu tiên / first administrator (shown once)");
        println!("  e-mail:   {email}");
        println!("  mật khẩu / password: {password}");
    }
    println!("hotro: listening on http://{addr}");
    // PL-2: the version in force is recorded, so tickets keep its deadlines after a change.
    app.record_policy()
        .await
        .context("cannot record the policy version")?;
    app.spawn_due_jobs(DUE_JOBS_EVERY);
    app.spawn_file_sweep(FILE_SWEEP_EVERY);
    spawn_outbox(&args.smtp_url, &args.mail_from, &app)?;
    if let Some(host) = args.imap_host.clone() {
        spawn_poller(
            app.clone(),
            hotro_mail::imap::ImapConfig {
                host,
                port: args.imap_port,
                user: args.imap_user.clone(),
                password: args.imap_password.clone(),
                mailbox: args.imap_mailbox.clone(),
                security: hotro_mail::imap::Security::Plain,
                ca_file: None,
            },
            std::time::Duration::from_secs(args.imap_every.max(1)),
        );
    }
    for watch in mailboxes {
        tracing::info!(host = %watch.config.host, folder = %watch.config.mailbox, "reading mailbox");
        spawn_watcher(app.clone(), watch);
    }
    let state = AppState::new(
        app,
        ServerConfig {
            public_per_minute: args.public_rate_limit,
            sign_in_per_minute: args.sign_in_rate_limit,
            public_upload_mib_per_hour: args.upload_budget_mib,
            trusted_proxies: args.trusted_proxies.clone(),
            ..ServerConfig::default()
        },
    );
    hotro_server::serve(listener, state).await?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// How often this node looks for mail to send (TR-3).
const OUTBOX_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Starts the outbox worker when an SMTP server is configured; otherwise mails stay queued
/// until one is.
fn spawn_outbox(url: &Option<String>, from: &str, app: &App) -> anyhow::Result<()> {
    let Some(url) = url else {
        tracing::warn!("no SMTP server configured (--smtp-url); outgoing mail stays queued");
        return Ok(());
    };
    let sender = hotro_mail::smtp::SmtpSender::new(&hotro_mail::smtp::SmtpConfig {
        url: url.clone(),
        from: from.to_owned(),
        timeout: std::time::Duration::from_secs(60),
    })
    .map_err(|e| anyhow::anyhow!("SMTP settings: {e}"))?;
    hotro_app::mail::send::spawn_worker(
        app.store.clone(),
        sender,
        hotro_store::RetryPolicy::default(),
        app.clock.clone(),
        OUTBOX_EVERY,
    );
    Ok(())
}
