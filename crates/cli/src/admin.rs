//! `hotro user add|unlock` and `hotro token create`: staff accounts, their sign-in locks and
//! API tokens (SC-1).

use crate::options::{StoreArgs, load_policy};
use anyhow::{Context, bail};
use clap::Subcommand;
use hotro_app::secrets as auth;
use hotro_app::{App, Clock, Settings};
use hotro_core::contact::Email;
use hotro_core::{Policy, Role};
use hotro_store::NewStaff;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Thêm nhân viên / Add a member of staff.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// A department id of the policy (sales, technical, design, customer, other).
        #[arg(long)]
        department: String,
        /// agent | lead | admin | general
        #[arg(long)]
        role: String,
        /// Read the password from the first line of standard input; otherwise one is
        /// generated and printed.
        #[arg(long)]
        password_stdin: bool,
        /// The policy whose departments are valid (the built-in one by default).
        #[arg(long, env = "HOTRO_POLICY")]
        policy: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Mở khoá đăng nhập / Lift the lock that failed sign-ins put on an account.
    Unlock {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Tạo mã truy cập API / Create an API token; it is printed once.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for (shown to admins).
        #[arg(long, default_value = "cli")]
        label: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub async fn user(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let (email, name, department, role, password_stdin, policy, store) = match cmd {
        UserCommand::Unlock { email, store } => return unlock(&email, store).await,
        UserCommand::Add {
            email,
            name,
            department,
            role,
            password_stdin,
            policy,
            store,
        } => (email, name, department, role, password_stdin, policy, store),
    };
    add(email, name, department, role, password_stdin, policy, store).await
}

/// `hotro user unlock --email E` (SC-1): the account's failed sign-ins are forgotten and its
/// lock, if any, ends now.
async fn unlock(email: &str, store: StoreArgs) -> anyhow::Result<ExitCode> {
    let app = App::new(
        store.open().await?,
        Policy::builtin(),
        Clock::system(),
        Settings::default(),
    );
    match app.unlock_sign_in(email).await? {
        None => bail!("--email: no active member of staff has the address {email}"),
        Some(true) => println!("hotro: đã mở khoá / unlocked {}", email.trim()),
        Some(false) => println!(
            "hotro: {} không bị khoá / was not locked (failed attempts forgotten)",
            email.trim()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
async fn add(
    email: String,
    name: String,
    department: String,
    role: String,
    password_stdin: bool,
    policy: Option<PathBuf>,
    store: StoreArgs,
) -> anyhow::Result<ExitCode> {
    let policy = load_policy(policy.as_ref())?;
    let email = Email::parse("email", &email)
        .map_err(|_| anyhow::anyhow!("--email: not a valid e-mail address"))?;
    let role = Role::parse(&role)
        .with_context(|| format!("--role: {role:?} is not one of agent, lead, admin, general"))?;
    if policy.department(&department).is_none() {
        let known: Vec<&str> = policy.departments.iter().map(|d| d.id.as_str()).collect();
        bail!(
            "--department: {department:?} is not in the policy ({})",
            known.join(", ")
        );
    }
    if name.trim().is_empty() {
        bail!("--name: must not be empty");
    }
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_owned();
        // The account's own e-mail and name are the first guesses against it.
        if let Err(auth::WeakPassword(reason)) =
            auth::check_password(&pw, &[email.as_str(), name.trim()])
        {
            let (vi, en) = hotro_app::texts::both(reason);
            bail!("--password-stdin: {vi} / {en}");
        }
        (pw, false)
    } else {
        (auth::new_password(), true)
    };
    let password_hash = auth::hash_password(&password).map_err(|e| anyhow::anyhow!(e))?;
    let store = store.open().await?;
    let staff = store
        .add_staff(
            NewStaff {
                email: email.as_str().to_owned(),
                name: name.trim().to_owned(),
                department,
                role,
                password_hash,
            },
            jiff::Timestamp::now(),
        )
        .await
        .map_err(|e| match e {
            hotro_store::StoreError::Duplicate(_) => {
                anyhow::anyhow!("--email: {} is already a member of staff", email.as_str())
            }
            other => other.into(),
        })?;
    println!(
        "hotro: đã thêm / added {} ({}, {})",
        staff.email,
        staff.department,
        staff.role.as_str()
    );
    if generated {
        println!("  mật khẩu / password: {password}");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn token(cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    let TokenCommand::Create {
        email,
        label,
        store,
    } = cmd;
    let store = store.open().await?;
    let staff = store
        .staff_by_email(email.trim())
        .await?
        .with_context(|| format!("--email: no active member of staff has the address {email}"))?;
    let (token, hash) = auth::new_api_token();
    store
        .add_token(staff.id, hash, label, jiff::Timestamp::now())
        .await?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
