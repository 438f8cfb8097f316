//! The PostgreSQL cluster that test processes share when `scripts/test.sh` did not start one.
//!
//! nextest runs every test in its own process, so a cluster per process would cost an initdb
//! per test. The first process starts one under `/tmp/hotro-test-pg-<uid>/` and later ones,
//! in this run or the next, reuse it; a file lock makes check-then-start atomic. It keeps
//! running after the tests: stop it with
//! `runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/hotro-test-pg-0/run/data stop`
//! (without `runuser` when not root).

use std::fs::{self, File};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::free_port;

/// Makes sure the shared cluster answers, starting it if needed, and returns its admin URL.
pub(crate) fn ensure_running() -> String {
    let uid = fs::metadata("/proc/self").map_or(0, |m| m.uid());
    let base = PathBuf::from(format!("/tmp/hotro-test-pg-{uid}"));
    fs::create_dir_all(&base).unwrap_or_else(|e| panic!("cannot create {}: {e}", base.display()));
    // The postgres user must be able to walk into it when we are root.
    let _ = fs::set_permissions(&base, fs::Permissions::from_mode(0o755));

    let lock_path = base.join("lock");
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", lock_path.display()));
    // Released when `lock` drops, or by the kernel if this process dies holding it.
    lock.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", lock_path.display()));

    let cluster = Cluster::new(&base, uid == 0);
    let port = match cluster.running_port() {
        Some(port) => port,
        None => cluster.start_afresh(),
    };
    format!("postgres://postgres@127.0.0.1:{port}/postgres")
}

struct Cluster {
    bin: PathBuf,
    /// Holds the port we last started on; written by us, outside the postgres-owned tree.
    port_file: PathBuf,
    /// Owned by the postgres user: data directory, socket and log.
    run: PathBuf,
    data: PathBuf,
    as_root: bool,
}

impl Cluster {
    fn new(base: &Path, as_root: bool) -> Self {
        let run = base.join("run");
        Cluster {
            bin: pg_bin_dir(),
            port_file: base.join("port"),
            data: run.join("data"),
            run,
            as_root,
        }
    }

    /// The port of a cluster that is ours and accepts connections, if there is one.
    fn running_port(&self) -> Option<u16> {
        let port: u16 = fs::read_to_string(&self.port_file)
            .ok()?
            .trim()
            .parse()
            .ok()?;
        // Both: our postmaster is alive, and what listens on the port accepts connections
        // (the port could have passed to someone else after a crash).
        let ours = self
            .pg(&self.bin.join("pg_ctl"))
            .arg("status")
            .arg("-D")
            .arg(&self.data)
            .output()
            .is_ok_and(|o| o.status.success());
        let answers = ours
            && Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-t", "10", "-h", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        answers.then_some(port)
    }

    /// Stops whatever is left, initdbs a new cluster and starts it on a free port.
    fn start_afresh(&self) -> u16 {
        // A stale cluster (crashed, /tmp cleaned, machine rebooted) is thrown away whole:
        // initdb takes about a second and leaves no old test databases behind.
        if self.data.exists() {
            let _ = self.pg_ctl(&["stop", "-m", "immediate"]).output();
        }
        let _ = fs::remove_file(&self.port_file);
        if self.run.exists() {
            fs::remove_dir_all(&self.run)
                .unwrap_or_else(|e| panic!("cannot remove {}: {e}", self.run.display()));
        }
        fs::create_dir(&self.run)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", self.run.display()));
        if self.as_root {
            // postgres refuses to run as root, so the tree belongs to the postgres user.
            let owner = format!("postgres:{}", group_of("postgres"));
            check(
                "chown",
                Command::new("chown").arg(&owner).arg(&self.run).output(),
            );
        }

        check(
            "initdb",
            self.pg(&self.bin.join("initdb"))
                .arg("-D")
                .arg(&self.data)
                .args(["-U", "postgres", "--auth=trust", "-E", "UTF8"])
                .args(["--locale=C.UTF-8", "--no-sync"])
                .output(),
        );

        // free_port() can race with another process; try a few ports before giving up.
        let mut last = None;
        for _ in 0..3 {
            let port = free_port();
            let options = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 \
                 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                self.run.display()
            );
            let log = self.run.join("postgres.log");
            let log = log.to_str().expect("non UTF-8 path");
            // -w waits until the server accepts connections.
            let out = self
                .pg_ctl(&["start", "-w", "-t", "60", "-l", log, "-o", &options])
                .output();
            match out {
                Ok(o) if o.status.success() => {
                    fs::write(&self.port_file, port.to_string()).unwrap_or_else(|e| {
                        panic!("cannot write {}: {e}", self.port_file.display())
                    });
                    return port;
                }
                other => last = Some(other),
            }
        }
        let log = fs::read_to_string(self.run.join("postgres.log")).unwrap_or_default();
        panic!(
            "the test PostgreSQL cluster in {} did not start: {}\nserver log:\n{log}",
            self.data.display(),
            describe(last.expect("tried at least once")),
        );
    }

    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut cmd = self.pg(&self.bin.join("pg_ctl"));
        cmd.arg("-D").arg(&self.data).args(args);
        cmd
    }

    /// A command for a PostgreSQL server program, run as the postgres user when we are root.
    fn pg(&self, program: &Path) -> Command {
        let mut cmd = if self.as_root {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        // pg_ctl sends the server's output to its log file; never hand it our stdio, or
        // nextest would wait on a pipe the server keeps open.
        cmd.stdin(Stdio::null());
        cmd
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb` (Debian's layout).
fn pg_bin_dir() -> PathBuf {
    let newest = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .max();
    match newest {
        Some((_, bin)) => bin,
        None => panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): \
             run scripts/test.sh, which installs it"
        ),
    }
}

fn group_of(user: &str) -> String {
    let out = check("id -gn", Command::new("id").args(["-gn", user]).output());
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Panics with the program's output unless it ran and succeeded.
fn check(what: &str, out: std::io::Result<Output>) -> Output {
    match out {
        Ok(o) if o.status.success() => o,
        other => panic!(
            "{what} failed for the test PostgreSQL cluster: {}",
            describe(other)
        ),
    }
}

fn describe(out: std::io::Result<Output>) -> String {
    match out {
        Ok(o) => format!(
            "{}\n{}{}",
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => e.to_string(),
    }
}
