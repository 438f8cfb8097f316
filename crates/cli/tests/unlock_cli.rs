//! `hotro user unlock` through the real binary on SQLite and PostgreSQL (SC-1): an account
//! locked by failed sign-ins refuses its right password until the command lifts the lock;
//! an address that is no member of staff's is a clear error naming `--email`.

use hotro_app::staff::SignIn;
use hotro_app::{App, Clock, Settings};
use hotro_core::{Policy, Role};
use hotro_store::{Location, NewStaff, Store};
use jiff::{SignedDuration, Timestamp};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

fn hotro(args: &[&str], store_args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotro"))
        .args(args)
        .args(store_args)
        .env_remove("HOTRO_DATA")
        .env_remove("HOTRO_DATABASE_URL")
        .output()
        .expect("hotro runs")
}

/// The use cases over `location`, with a clock the test moves (near the real time, since the
/// command measures the lock by the system clock).
async fn app(location: &Location, now: Arc<Mutex<Timestamp>>) -> App {
    let store = Store::open(location).await.unwrap();
    App::new(
        store,
        Policy::builtin(),
        Clock::from_fn(move || *now.lock().unwrap()),
        Settings::default(),
    )
}

async fn unlock_story(postgres: bool) {
    let dir = hotro_testkit::temp_dir();
    let (store_args, location) = if postgres {
        let url = hotro_testkit::fresh_postgres_url().await;
        (
            vec!["--database-url".to_owned(), url.clone()],
            Location::Url(url),
        )
    } else {
        let data = dir.path().join("data");
        (
            vec!["--data".to_owned(), data.display().to_string()],
            Location::DataDir(data),
        )
    };
    let now = Arc::new(Mutex::new(Timestamp::now()));
    let lan = app(&location, now.clone()).await;
    let password = "mật-khẩu-dài-đủ-mười";
    lan.store
        .add_staff(
            NewStaff {
                email: "lan@example.vn".into(),
                name: "Lan".into(),
                department: "customer".into(),
                role: Role::Agent,
                password_hash: hotro_app::secrets::hash_password(password).unwrap(),
            },
            Timestamp::now(),
        )
        .await
        .unwrap();
    // Ten failures, each waiting what it is told, lock the account.
    let mut failures = 0;
    while failures < 10 {
        match lan
            .sign_in("lan@example.vn", "sai".into(), 1)
            .await
            .unwrap()
        {
            SignIn::Refused => failures += 1,
            SignIn::TooSoon(wait) => *now.lock().unwrap() += wait,
            SignIn::Opened(_) => panic!("a wrong password opened a session"),
        }
    }
    *now.lock().unwrap() = Timestamp::now();
    assert!(matches!(
        lan.sign_in("lan@example.vn", password.into(), 1)
            .await
            .unwrap(),
        SignIn::Refused
    ));
    lan.store.close().await;
    drop(lan);

    let out = hotro(
        &["user", "unlock", "--email", "LAN@example.vn"],
        &store_args,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("đã mở khoá / unlocked"), "{stdout}");

    let out = hotro(
        &["user", "unlock", "--email", "ai-do@example.vn"],
        &store_args,
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--email: no active member of staff"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    *now.lock().unwrap() = Timestamp::now() + SignedDuration::from_secs(1);
    let lan = app(&location, now).await;
    assert!(matches!(
        lan.sign_in("lan@example.vn", password.into(), 1)
            .await
            .unwrap(),
        SignIn::Opened(_)
    ));
    lan.store.close().await;
}

#[tokio::test]
async fn sc1_user_unlock_lifts_the_lock_sqlite() {
    unlock_story(false).await;
}

#[tokio::test]
async fn sc1_user_unlock_lifts_the_lock_postgres() {
    unlock_story(true).await;
}
