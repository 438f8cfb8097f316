//! `hotro user …` and `hotro token …`: staff accounts and API tokens (SC-1) — added, listed,
//! disabled and enabled, passwords reset, sign-in locks lifted, tokens created with a scope and
//! an expiry, listed and revoked (issue 14). The use cases are `hotro_app::credentials`; this module parses and prints.

use crate::options::{StoreArgs, load_policy};
use anyhow::{Context, bail};
use clap::Subcommand;
use hotro_app::credentials::TokenRequest;
use hotro_app::secrets as auth;
use hotro_app::{App, AppError, Clock, Settings};
use hotro_core::contact::Email;
use hotro_core::{Policy, Rejection, Role, TokenScope};
use hotro_store::{NewStaff, TokenRow};
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
    /// Danh sách nhân viên / List the staff, one per line:
    /// e-mail, name, department, role, active|disabled (tab-separated).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Khoá tài khoản / Disable a member of staff: their sessions and tokens end at once and
    /// sign-in is refused until they are enabled again.
    Disable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Mở lại tài khoản / Enable a disabled member of staff (their old tokens stay revoked).
    Enable {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Đặt lại mật khẩu / Reset a password; their open sessions end.
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input; otherwise one is
        /// generated and printed once.
        #[arg(long)]
        password_stdin: bool,
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
        /// Days until the token stops working (a whole number, 1 to 3650); never otherwise.
        /// A negative number is taken as a value, so that it is refused naming this option.
        #[arg(long, allow_hyphen_values = true)]
        expires_in: Option<String>,
        /// `staff`: acts as its owner on the API. `mail-inbound`: may only post raw mail to
        /// POST /api/v1/mail/inbound (for a mail gateway), and nothing else.
        #[arg(long, default_value = "staff")]
        scope: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Danh sách mã truy cập / List tokens, one per line (never a secret):
    /// id, owner, created, last used, expires, revoked, scope, label.
    List {
        /// Only this member of staff's tokens.
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Thu hồi mã truy cập / Revoke a token: it answers 401 from then on.
    Revoke {
        /// The token's id, as `hotro token list` shows it.
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The use cases over the store the options name. Sign-in links are not printed by these
/// commands, so the default public address serves.
async fn app(store: &StoreArgs) -> anyhow::Result<App> {
    Ok(App::new(
        store.open().await?,
        Policy::builtin(),
        Clock::system(),
        Settings::default(),
    ))
}

/// A use case's refusal as one line per field: the option, then the rule in Vietnamese and
/// English from the catalogues.
fn refusal(e: AppError) -> anyhow::Error {
    fn option(field: &str) -> &str {
        match field {
            "expires_in" => "--expires-in",
            "password" => "--password-stdin",
            "email" => "--email",
            other => other,
        }
    }
    match e {
        AppError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| {
                    let (vi, en) = hotro_app::texts::both(&format!("rule.{}", f.rule));
                    format!("{}: {vi} / {en} ({})", option(&f.field), f.rule)
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
        AppError::Rejected(Rejection::NotFound) => {
            let (vi, en) = hotro_app::texts::both("rule.token.unknown");
            anyhow::anyhow!("ID: {vi} / {en} (token.unknown)")
        }
        other => other.into(),
    }
}

fn read_password_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn set_active(store: &StoreArgs, email: &str, active: bool) -> anyhow::Result<ExitCode> {
    let account = app(store)
        .await?
        .set_staff_active(email, active)
        .await
        .map_err(refusal)?;
    if active {
        println!("hotro: đã mở lại / enabled {}", account.member.email);
    } else {
        println!(
            "hotro: đã khoá, phiên và mã truy cập đã chấm dứt / disabled, sessions and tokens ended: {}",
            account.member.email
        );
    }
    Ok(ExitCode::SUCCESS)
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

pub async fn user(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let (email, name, department, role, password_stdin, policy, store) = match cmd {
        UserCommand::Add {
            email,
            name,
            department,
            role,
            password_stdin,
            policy,
            store,
        } => (email, name, department, role, password_stdin, policy, store),
        UserCommand::List { store } => {
            for a in app(&store).await?.staff_accounts().await.map_err(refusal)? {
                let m = a.member;
                let state = if a.active { "active" } else { "disabled" };
                println!(
                    "{}\t{}\t{}\t{}\t{state}",
                    m.email,
                    m.name,
                    m.department,
                    m.role.as_str()
                );
            }
            return Ok(ExitCode::SUCCESS);
        }
        UserCommand::Unlock { email, store } => return unlock(&email, store).await,
        UserCommand::Disable { email, store } => return set_active(&store, &email, false).await,
        UserCommand::Enable { email, store } => return set_active(&store, &email, true).await,
        UserCommand::ResetPassword {
            email,
            password_stdin,
            store,
        } => {
            let given = if password_stdin {
                Some(read_password_line()?)
            } else {
                None
            };
            let password = app(&store)
                .await?
                .reset_password(&email, given)
                .await
                .map_err(refusal)?;
            println!(
                "hotro: đã đặt lại mật khẩu / password reset for {}",
                email.trim()
            );
            if !password_stdin {
                println!("  mật khẩu / password: {password}");
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
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
        let pw = read_password_line()?;
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
    match cmd {
        TokenCommand::Create {
            email,
            label,
            expires_in,
            scope,
            store,
        } => {
            let scope = TokenScope::parse(scope.trim()).ok_or_else(|| {
                let (vi, en) = hotro_app::texts::both("rule.token.scope");
                anyhow::anyhow!("--scope: {vi} / {en} (token.scope)")
            })?;
            // Not a whole number is the same mistake as zero days: the use case names it.
            let expires_in_days = expires_in.map(|d| d.trim().parse::<i64>().unwrap_or(0));
            let created = app(&store)
                .await?
                .create_token(TokenRequest {
                    email,
                    label,
                    scope,
                    expires_in_days,
                })
                .await
                .map_err(refusal)?;
            // Only the secret goes to standard output, so scripts can capture it alone.
            println!("{}", created.secret);
            eprintln!(
                "hotro: mã số / id {} ({}, {}), hết hạn / expires {}",
                created.id,
                created.owner.email,
                scope.as_str(),
                created
                    .expires_at
                    .map_or_else(|| "never".to_owned(), |at| at.to_string())
            );
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::List { email, store } => {
            let tokens = app(&store)
                .await?
                .tokens(None, email.as_deref())
                .await
                .map_err(refusal)?;
            for t in tokens {
                println!("{}", token_line(&t));
            }
            Ok(ExitCode::SUCCESS)
        }
        TokenCommand::Revoke { id, store } => {
            let Ok(id) = id.trim().parse::<i64>() else {
                return Err(refusal(AppError::Rejected(Rejection::NotFound)));
            };
            app(&store)
                .await?
                .revoke_token(None, id)
                .await
                .map_err(refusal)?;
            println!("hotro: đã thu hồi / revoked token {id}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One token as `key=value` pairs, tab-separated: each column says what it is, an absent
/// instant is `never` (last used, expires) or `no` (revoked).
fn token_line(t: &TokenRow) -> String {
    let at = |v: Option<jiff::Timestamp>, none: &str| {
        v.map_or_else(|| none.to_owned(), |t| t.to_string())
    };
    format!(
        "id={}\towner={}\tcreated={}\tlast_used={}\texpires={}\trevoked={}\tscope={}\tlabel={}",
        t.id,
        t.owner,
        t.created_at,
        at(t.last_used_at, "never"),
        at(t.expires_at, "never"),
        at(t.revoked_at, "no"),
        t.scope.as_str(),
        t.label
    )
}
