//! A `panorama import` killed with SIGKILL leaves its job `running`; its heartbeat (the lease it
//! renews, `--job-lease-seconds`) stops, and once older than the lease the job is shown as
//! `interrupted` with a hint to run it again: in the API and on the imports pages in English
//! and Chinese (issue 21, hole 8).

use panorama_core::store::JobStore;
use panorama_server::{AppState, Settings};
use panorama_store_sqlite::SqliteStore;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;

fn write_rows(path: &std::path::Path, rows: u64) {
    let mut text = String::from("mobile,name\n");
    for n in 0..rows {
        text.push_str(&format!("139{n:08},Name {n}\n"));
    }
    std::fs::write(path, text).expect("written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_cli_import_is_shown_interrupted_once_its_heartbeat_is_older_than_the_lease() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("big.csv");
    write_rows(&file, 40_000);
    let url = format!("sqlite://{}", dir.path().join("beat.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(["import", file.to_str().expect("path"), "--database", &url])
        .args(["--job-lease-seconds", "1"])
        .env_remove("PANORAMA_DATABASE_URL")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("import starts");
    let stderr = child.stderr.take().expect("stderr");
    let first = BufReader::new(stderr)
        .lines()
        .next()
        .expect("a progress line")
        .expect("text");
    assert!(first.starts_with("progress: 5000/"), "{first}");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let store = Arc::new(SqliteStore::open(&url).await.expect("opens"));
    let jobs = store.list_jobs("import", 10).await.expect("jobs");
    let job = jobs.first().expect("the job").clone();
    assert_eq!(
        job.state.as_str(),
        "running",
        "the killed run never ended it"
    );
    let until = job.claimed_until.expect("a heartbeat");
    let micro = jiff::SignedDuration::from_micros(1);
    assert!(!job.interrupted(until - micro), "alive within its lease");
    assert!(job.interrupted(until + micro), "interrupted after it");

    // The lease ends at a known instant: wait for it, then ask as people do.
    let left = until.duration_since(jiff::Timestamp::now());
    if left.is_positive() {
        tokio::time::sleep(left.unsigned_abs()).await;
    }
    let output = Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(["api-keys", "create", "--name", "t", "--role", "admin"])
        .args(["--database", &url])
        .env_remove("PANORAMA_DATABASE_URL")
        .output()
        .expect("a key");
    let key = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    let settings = Settings {
        uploads_dir: dir.path().join("uploads"),
        ..Settings::default()
    };
    let state = AppState::new(store.clone(), settings);
    tokio::spawn(panorama_server::serve_until(
        listener,
        state,
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let get = |path: String, lang: &'static str| {
        client
            .get(format!("{address}{path}"))
            .bearer_auth(&key)
            .header("Accept-Language", lang)
            .send()
    };
    let api: serde_json::Value = get(format!("/api/v1/imports/{}", job.job_id), "en")
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(api["state"], "interrupted", "{api}");
    assert!(
        api["hint"]
            .as_str()
            .is_some_and(|h| h.contains("run it again")),
        "{api}"
    );
    for (lang, state, hint) in [
        ("en", "Interrupted", "Run it again"),
        ("zh-CN", "已中断", "请重新运行"),
    ] {
        let list = get("/imports".to_owned(), lang).await.expect("the list");
        let list = list.text().await.expect("html");
        assert!(list.contains(state), "{lang}: {list}");
        let page = get(format!("/imports/{}", job.job_id), lang)
            .await
            .expect("the page");
        let page = page.text().await.expect("html");
        assert!(
            page.contains(state) && page.contains(hint),
            "{lang}: {page}"
        );
    }
}
