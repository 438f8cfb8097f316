//! The embedded store's files are the owner's alone (issue 14): the data directory hotro
//! creates is 0700 and the database with its WAL and shared-memory files 0600, whatever the
//! umask; an older store found with looser modes is tightened when it is opened.
#![cfg(unix)]

use hotro_core::Role;
use hotro_store::{Location, NewStaff, Store};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// A write, so that the WAL and shared-memory files exist beside the database.
async fn write_something(store: &Store) {
    store
        .add_staff(
            NewStaff {
                email: "lan@example.vn".into(),
                name: "Trần Thị Lan".into(),
                department: "customer".into(),
                role: Role::Agent,
                password_hash: "$argon2id$not-checked-here".into(),
            },
            "2026-11-20T02:00:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
}

fn database_files(data: &Path) -> Vec<std::path::PathBuf> {
    ["hotro.db", "hotro.db-wal", "hotro.db-shm"]
        .iter()
        .map(|f| data.join(f))
        .collect()
}

#[tokio::test]
async fn a_new_data_directory_and_its_database_are_owner_only() {
    let dir = hotro_testkit::temp_dir();
    let data = dir.path().join("hotro-data");
    let store = Store::open(&Location::DataDir(data.clone())).await.unwrap();
    write_something(&store).await;
    assert_eq!(mode(&data), 0o700, "the data directory");
    for file in database_files(&data) {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[tokio::test]
async fn an_existing_database_with_loose_modes_is_tightened() {
    let dir = hotro_testkit::temp_dir();
    let data = dir.path().join("hotro-data");
    let store = Store::open(&Location::DataDir(data.clone())).await.unwrap();
    write_something(&store).await;
    store.close().await;
    drop(store);
    for file in database_files(&data) {
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let store = Store::open(&Location::DataDir(data.clone())).await.unwrap();
    assert_eq!(store.staff_count().await.unwrap(), 1);
    assert_eq!(mode(&data.join("hotro.db")), 0o600);
    for file in database_files(&data) {
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
}
