//! `hotro user add` and `hotro token create`: staff accounts and API tokens (SC-1).

use crate::options::{StoreArgs, load_policy};
use anyhow::{Context, bail};
use clap::Subcommand;
use hotro_app::secrets as auth;
use hotro_core::Role;
use hotro_core::contact::Email;
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
    let UserCommand::Add {
        email,
        name,
        department,
        role,
        password_stdin,
        policy,
        store,
    } = cmd;
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
