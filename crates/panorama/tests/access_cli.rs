//! `panorama users`, `panorama api-keys` and `serve`'s refusal to serve a database nobody can
//! sign in to, run as a user runs them.

use panorama_core::access::{AuditAction, AuditQuery, UserName};
use panorama_core::store::{AccessStore, AuditStore};
use panorama_store_sqlite::SqliteStore;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Output, Stdio};

fn panorama(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(args)
        .env_remove("PANORAMA_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("panorama runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("stdin written");
    }
    drop(input);
    child.wait_with_output().expect("panorama finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn database() -> (tempfile::TempDir, String) {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", directory.path().join("access.db").display());
    (directory, url)
}

#[tokio::test]
async fn users_and_keys_are_created_changed_revoked_and_audited() {
    let (_directory, url) = database();
    let added = panorama(
        &[
            "users",
            "add",
            "Li.Na",
            "--role",
            "admin",
            "--database",
            &url,
        ],
        None,
    );
    assert!(added.status.success(), "{}", text(&added.stderr));
    let stdout = text(&added.stdout);
    let password = stdout
        .lines()
        .find_map(|line| line.strip_prefix("password: "))
        .expect("a generated password is printed")
        .to_owned();
    let again = panorama(
        &[
            "users",
            "add",
            "li.na",
            "--role",
            "viewer",
            "--database",
            &url,
        ],
        None,
    );
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("already exists"),
        "{}",
        text(&again.stderr)
    );
    let typed = panorama(
        &[
            "users",
            "add",
            "bo",
            "--role",
            "marketer",
            "--password-stdin",
            "--database",
            &url,
        ],
        Some("a password of my own\n"),
    );
    assert!(typed.status.success(), "{}", text(&typed.stderr));
    assert!(!text(&typed.stdout).contains("password:"));
    let short = panorama(
        &[
            "users",
            "add",
            "cy",
            "--role",
            "viewer",
            "--password-stdin",
            "--database",
            &url,
        ],
        Some("short\n"),
    );
    assert!(!short.status.success());
    let bad_role = panorama(
        &["users", "add", "cy", "--role", "root", "--database", &url],
        None,
    );
    assert!(
        text(&bad_role.stderr).contains("not a role"),
        "{}",
        text(&bad_role.stderr)
    );
    let set = panorama(
        &[
            "users",
            "set",
            "bo",
            "--may-reveal",
            "true",
            "--database",
            &url,
        ],
        None,
    );
    assert!(set.status.success(), "{}", text(&set.stderr));

    let created = panorama(
        &[
            "api-keys",
            "create",
            "--name",
            "crm-sync",
            "--role",
            "marketer",
            "--database",
            &url,
        ],
        None,
    );
    assert!(created.status.success(), "{}", text(&created.stderr));
    let key = text(&created.stdout);
    assert_eq!(key.lines().count(), 1, "only the key on stdout: {key}");
    assert!(key.starts_with("pnk_"));
    let listed = text(&panorama(&["api-keys", "list", "--database", &url], None).stdout);
    assert!(
        listed.contains("crm-sync\tmarketer") && !listed.contains(key.trim()),
        "{listed}"
    );
    let revoked = panorama(
        &["api-keys", "revoke", "crm-sync", "--database", &url],
        None,
    );
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    let listed = text(&panorama(&["api-keys", "list", "--database", &url], None).stdout);
    assert!(listed.contains("revoked"), "{listed}");

    let store = SqliteStore::open(&url).await.expect("the database opens");
    let credentials = store
        .user_credentials(&UserName::parse("li.na", "name").expect("a name"))
        .await
        .expect("read")
        .expect("the user exists");
    assert!(credentials.password_hash.verify(&password));
    let bo = store
        .user_credentials(&UserName::parse("bo", "name").expect("a name"))
        .await
        .expect("read")
        .expect("bo exists");
    assert!(bo.password_hash.verify("a password of my own") && bo.user.may_reveal);
    assert!(
        store
            .api_key(&panorama_core::access::SecretHash::of(key.trim()))
            .await
            .expect("read")
            .is_none()
    );
    let entries = store
        .audit_entries(&AuditQuery {
            limit: 50,
            ..AuditQuery::default()
        })
        .await
        .expect("the audit log");
    let actions: Vec<AuditAction> = entries.iter().rev().map(|e| e.entry.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::UserCreate,
            AuditAction::UserCreate,
            AuditAction::UserChange,
            AuditAction::ApiKeyCreate,
            AuditAction::ApiKeyRevoke
        ]
    );
    assert!(entries.iter().all(|e| e.entry.actor.starts_with("cli:")));
}

#[test]
fn serve_refuses_a_database_without_an_admin() {
    let (_directory, url) = database();
    let refused = panorama(
        &["serve", "--database", &url, "--listen", "127.0.0.1:0"],
        None,
    );
    assert!(!refused.status.success());
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("no admin user") && stderr.contains("panorama users add"),
        "{stderr}"
    );
}

/// One raw HTTP/1.1 request; the whole response as text.
fn request(address: &str, head: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).expect("the server accepts connections");
    stream.write_all(head.as_bytes()).expect("request sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("a response");
    response
}

#[test]
fn serve_answers_on_the_address_it_prints_to_keys_only() {
    let (_directory, url) = database();
    let admin = panorama(
        &[
            "users",
            "add",
            "boss",
            "--role",
            "admin",
            "--database",
            &url,
        ],
        None,
    );
    assert!(admin.status.success(), "{}", text(&admin.stderr));
    let key = panorama(
        &[
            "api-keys",
            "create",
            "--name",
            "reader",
            "--role",
            "viewer",
            "--database",
            &url,
        ],
        None,
    );
    let key = text(&key.stdout).trim().to_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(["serve", "--database", &url, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("serve prints its address");
    let address = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("an address")
        .to_owned();
    let path = "GET /api/v1/contacts/overview HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    let with_key = request(
        &address,
        &format!("{path}Authorization: Bearer {key}\r\n\r\n"),
    );
    let without = request(&address, &format!("{path}\r\n"));
    let page = request(
        &address,
        "GET /contacts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    child.kill().expect("serve stops");
    child.wait().expect("serve is reaped");
    assert!(with_key.starts_with("HTTP/1.1 200"), "{with_key}");
    assert!(with_key.contains("\"all\":0"), "{with_key}");
    assert!(without.starts_with("HTTP/1.1 401"), "{without}");
    assert!(without.contains("www-authenticate: Bearer"), "{without}");
    assert!(
        page.starts_with("HTTP/1.1 303") && page.contains("location: /sign-in?next=/contacts"),
        "{page}"
    );
}
