//! `hotro.toml`: the installation's settings file, read from `--config FILE` or, when that is
//! not given, from `hotro.toml` in the data directory if there is one. For now it names the
//! IMAP mailboxes hotro reads (CH-1); settings given on the command line or in the
//! environment stay as they are.
//!
//! ```toml
//! [[mailboxes]]
//! host = "imap.congty.vn"
//! security = "tls"                 # "tls" (IMAPS, default port 993) or "plain" (143)
//! user = "hotro@congty.vn"
//! password_env = "HOTRO_IMAP_PASSWORD_HOTRO"  # or password = "…" (keep the file private)
//! folder = "INBOX"                 # default INBOX
//! ca_file = "/etc/hotro/ca.pem"    # certificates to trust besides the public roots
//! idle = true                      # wait with IDLE where the server offers it (default)
//! poll_seconds = 60                # the pause between polls without IDLE (default 60)
//! ```

use anyhow::{Context, bail};
use hotro_app::mail::poll::Watch;
use hotro_mail::imap::{ImapConfig, Security};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    mailboxes: Vec<MailboxFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MailboxFile {
    host: String,
    port: Option<u16>,
    security: String,
    user: String,
    password: Option<String>,
    password_env: Option<String>,
    folder: Option<String>,
    ca_file: Option<PathBuf>,
    idle: Option<bool>,
    poll_seconds: Option<u64>,
}

/// The settings file to read: the one given, else `hotro.toml` in the data directory when it
/// exists, else none.
pub fn locate(given: Option<&Path>, data_dir: &Path) -> Option<PathBuf> {
    match given {
        Some(path) => Some(path.to_owned()),
        None => Some(data_dir.join("hotro.toml")).filter(|p| p.exists()),
    }
}

/// The mailboxes of a settings file's text; `file` names it in errors, which say which
/// mailbox and field is wrong and why.
pub fn mailboxes(text: &str, file: &str) -> anyhow::Result<Vec<Watch>> {
    let config: ConfigFile = toml::from_str(text)
        .map_err(|e| anyhow::anyhow!("{file}: {}", e.to_string().trim_end()))?;
    config
        .mailboxes
        .into_iter()
        .enumerate()
        .map(|(i, m)| mailbox(m).with_context(|| format!("{file}: mailboxes[{i}]")))
        .collect()
}

fn mailbox(m: MailboxFile) -> anyhow::Result<Watch> {
    let security = match m.security.as_str() {
        "tls" => Security::Tls,
        "plain" => Security::Plain,
        other => bail!("security: {other:?} is neither \"tls\" nor \"plain\""),
    };
    if m.host.trim().is_empty() {
        bail!("host: must not be empty");
    }
    let password = match (m.password, m.password_env) {
        (Some(p), None) => p,
        (None, Some(var)) => std::env::var(&var)
            .with_context(|| format!("password_env: the variable {var} is not set"))?,
        (Some(_), Some(_)) => bail!("password, password_env: give one of them, not both"),
        (None, None) => bail!("password_env: missing (or password)"),
    };
    let port = m.port.unwrap_or(match security {
        Security::Tls => 993,
        Security::Plain => 143,
    });
    if port == 0 {
        bail!("port: must be between 1 and 65535");
    }
    let poll_seconds = m.poll_seconds.unwrap_or(60);
    if poll_seconds == 0 {
        bail!("poll_seconds: must be at least 1");
    }
    let config = ImapConfig {
        host: m.host,
        port,
        user: m.user,
        password,
        mailbox: m.folder.unwrap_or_else(|| "INBOX".into()),
        security,
        ca_file: m.ca_file,
    };
    hotro_mail::imap::check_settings(&config).map_err(|e| anyhow::anyhow!(e))?;
    Ok(Watch {
        config,
        every: Duration::from_secs(poll_seconds),
        idle: m.idle.unwrap_or(true),
    })
}

/// Reads the mailboxes of the settings file, if there is one.
pub fn load_mailboxes(file: Option<&Path>) -> anyhow::Result<Vec<Watch>> {
    let Some(file) = file else {
        return Ok(Vec::new());
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    mailboxes(&text, &file.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ch1_mailboxes_with_defaults() {
        let got = mailboxes(
            "[[mailboxes]]\nhost = \"imap.congty.vn\"\nsecurity = \"tls\"\nuser = \"hotro\"\n\
             password = \"x\"\n\n[[mailboxes]]\nhost = \"127.0.0.1\"\nport = 1143\n\
             security = \"plain\"\nuser = \"u\"\npassword = \"y\"\nidle = false\n\
             poll_seconds = 5\nfolder = \"Khiếu nại\"\n",
            "hotro.toml",
        )
        .unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].config.port, got[0].config.security, got[0].idle),
            (993, Security::Tls, true)
        );
        assert_eq!(got[0].config.mailbox, "INBOX");
        assert_eq!(got[0].every, Duration::from_secs(60));
        assert_eq!(
            (got[1].config.port, got[1].config.security, got[1].idle),
            (1143, Security::Plain, false)
        );
        assert_eq!(got[1].config.mailbox, "Khiếu nại");
    }

    #[test]
    fn ch1_bad_mailboxes_name_the_field() {
        let base = "[[mailboxes]]\nhost = \"h\"\nuser = \"u\"\npassword = \"p\"\n";
        for (extra, expected) in [
            ("security = \"ssl\"\n", "mailboxes[0]: security: \"ssl\""),
            ("security = \"tls\"\nport = 0\n", "mailboxes[0]: port"),
            ("security = \"tls\"\npoll_seconds = 0\n", "poll_seconds"),
            (
                "security = \"tls\"\npassword_env = \"X\"\n",
                "password, password_env",
            ),
            ("security = \"tls\"\nhots = 1\n", "unknown field `hots`"),
            (
                "security = \"tls\"\nca_file = \"/nonexistent/ca.pem\"\n",
                "mailboxes[0]: ca_file /nonexistent/ca.pem",
            ),
            (
                "security = \"tls\"\nca_file = \"Cargo.toml\"\n",
                "no PEM certificate",
            ),
            ("", "missing field `security`"),
        ] {
            let err = mailboxes(&format!("{base}{extra}"), "hotro.toml").unwrap_err();
            let text = format!("{err:#}");
            assert!(text.contains(expected), "{extra:?}: {text}");
            assert!(text.starts_with("hotro.toml"), "{text}");
        }
        let blank_user = base.replace("user = \"u\"", "user = \" \"");
        let err = mailboxes(&format!("{blank_user}security = \"plain\"\n"), "hotro.toml");
        assert!(format!("{:#}", err.unwrap_err()).contains("user: must not be empty"));
        // TOML's own errors carry the line.
        let err = mailboxes("[[mailboxes]]\nhost = \n", "hotro.toml").unwrap_err();
        assert!(format!("{err:#}").contains("line 2"), "{err:#}");
    }
}
