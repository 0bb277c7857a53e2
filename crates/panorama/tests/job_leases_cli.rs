//! Several servers, one database: a bulk action whose server is killed with SIGKILL in the middle
//! is claimed by another server once its lease runs out, and finishes with exactly the outcome
//! of one run. Two `panorama serve` processes on one fresh PostgreSQL database; skipped when no
//! PostgreSQL answers outside CI.

use panorama_core::Store;
use panorama_core::contact::{ContactId, ContactRecord, WriteContext};
use panorama_core::label::NewLabel;
use panorama_core::metadata::Schema;
use panorama_core::store::{ContactStore, LabelStore};
use panorama_core::value::ParseOptions;
use panorama_store_postgres::PostgresStore;
use panorama_store_postgres::testing::TestDatabase;
use serde_json::{Value as Json, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Contacts labelled: ten batches of 1,000, so the job is still running when its server dies.
const CONTACTS: usize = 10_000;

fn panorama(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(args)
        .env_remove("PANORAMA_DATABASE_URL")
        .output()
        .expect("panorama runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A running `panorama serve`, its address and the file its log goes to.
struct Server {
    child: Child,
    address: String,
    log: PathBuf,
}

impl Server {
    fn start(url: &str, folder: &Path, name: &str) -> Self {
        let log = folder.join(format!("{name}.log"));
        let uploads = folder.join(format!("{name}-uploads"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_panorama"))
            .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
            .arg("--uploads-dir")
            .arg(&uploads)
            // A short lease, and batches slowed down so the job is surely mid-way when killed.
            .args([
                "--job-lease-seconds",
                "2",
                "--job-batch-pause-millis",
                "300",
            ])
            .env_remove("PANORAMA_DATABASE_URL")
            .env("NO_COLOR", "1")
            .env("PANORAMA_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("a log file"))
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
        Self {
            child,
            address: format!("http://{address}"),
            log,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `count` contacts written straight into the store; their ids.
async fn contacts(store: &dyn Store, count: usize) -> Vec<ContactId> {
    let schema = Schema::new(store.list_attributes().await.expect("attributes"));
    let mut ids = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(2_000) {
        let records: Vec<ContactRecord> = chunk
            .iter()
            .map(|n| {
                let values = json!({"mobile": format!("1380{n:07}")});
                let map = values.as_object().expect("an object");
                ContactRecord::from_json(&schema, map, ParseOptions::default()).expect("a record")
            })
            .collect();
        let outcomes = store
            .upsert_contacts(&records, &WriteContext::now("test"))
            .await
            .expect("contacts written");
        ids.extend(outcomes.iter().map(|o| o.contact.contact_id));
    }
    ids
}

async fn job(client: &reqwest::Client, server: &Server, job_id: &str) -> Json {
    let url = format!("{}/api/v1/contacts/bulk/{job_id}", server.address);
    let response = client.get(url).send().await.expect("the server answers");
    response.json().await.expect("a job")
}

/// Ask `server` for the job, answering when more than `rows_done_above` contacts are done (or,
/// without it, when the job ends); asks again while the server's wait runs out, and panics after
/// `seconds`.
async fn wait_for(
    client: &reqwest::Client,
    server: &Server,
    job_id: &str,
    seconds: u64,
    rows_done_above: Option<u64>,
) -> Json {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut url = format!("{}/api/v1/contacts/bulk/{job_id}?wait=60", server.address);
    if let Some(rows) = rows_done_above {
        url.push_str(&format!("&rows_done_above={rows}"));
    }
    loop {
        let response = client.get(&url).send().await.expect("the server answers");
        let job: Json = response.json().await.expect("a job");
        let ended = job["state"] == "done" || job["state"] == "failed";
        if ended || rows_done_above.is_some_and(|rows| rows_done(&job) > rows) {
            return job;
        }
        assert!(Instant::now() < deadline, "gave up waiting: {job}");
    }
}

fn rows_done(job: &Json) -> u64 {
    job["rows_done"].as_u64().unwrap_or(0)
}

#[tokio::test]
async fn a_bulk_action_whose_server_is_killed_is_finished_by_another() {
    let Some(database) = TestDatabase::create().await else {
        return;
    };
    let url = database.url.clone();
    panorama(&[
        "users",
        "add",
        "boss",
        "--role",
        "admin",
        "--database",
        &url,
    ]);
    let key = panorama(&[
        "api-keys",
        "create",
        "--name",
        "test",
        "--role",
        "admin",
        "--database",
        &url,
    ]);
    let key = key.trim().to_owned();
    let store = PostgresStore::open(&url).await.expect("the database opens");
    let ids = contacts(&store, CONTACTS).await;
    let new = NewLabel {
        name: "leased".to_owned(),
        ..NewLabel::default()
    };
    let label = store.create_label(&new).await.expect("a label");

    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut a = Server::start(&url, folder.path(), "a");
    let mut headers = reqwest::header::HeaderMap::new();
    let bearer = format!("Bearer {key}").parse().expect("a header value");
    headers.insert(reqwest::header::AUTHORIZATION, bearer);
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a client");
    let ids_text: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let body = json!({"action": "add_label", "label_id": label.label_id.0, "ids": ids_text});
    let created: Json = client
        .post(format!("{}/api/v1/contacts/bulk", a.address))
        .json(&body)
        .send()
        .await
        .expect("A answers")
        .json()
        .await
        .expect("a created job");
    let job_id = created["job_id"].as_str().expect("a job id").to_owned();

    // A runs it; B starts meanwhile and must leave it to A while A holds its lease.
    let first = wait_for(&client, &a, &job_id, 60, Some(999)).await;
    let b = Server::start(&url, folder.path(), "b");
    let seen = rows_done(&first);
    let later = wait_for(&client, &a, &job_id, 60, Some(seen)).await;
    assert!(
        rows_done(&later) < CONTACTS as u64,
        "A finished too soon: {later}"
    );
    assert!(
        !b.log().contains("bulk action claimed"),
        "B took a live job:\n{}",
        b.log()
    );
    a.child.kill().expect("SIGKILL to A");
    a.child.wait().expect("A ends");
    let killed_at = rows_done(&job(&client, &b, &job_id).await);

    let finished = wait_for(&client, &b, &job_id, 90, None).await;
    assert_eq!(finished["state"], "done", "{finished}");
    assert_eq!(rows_done(&finished), CONTACTS as u64, "{finished}");
    let counts = &finished["counts"];
    assert_eq!(counts["selected"], CONTACTS, "{finished}");
    let (done, skipped) = (
        counts["done"].as_u64().unwrap_or(0),
        counts["skipped"].as_u64().unwrap_or(0),
    );
    assert_eq!(done + skipped, CONTACTS as u64, "{finished}");
    // Only a batch A committed without recording it can count as skipped.
    assert!(skipped <= 1_000, "{finished}");

    // Exactly one run's outcome: every contact labelled, once.
    let catalog = store.label_catalog().await.expect("labels");
    let counted = catalog.label(label.label_id).expect("the label").contacts;
    assert_eq!(counted, CONTACTS as u64, "the label's count is exact");
    for id in ids.iter().step_by(500) {
        let events = store.contact_events(*id, 100).await.expect("events");
        let added = events.iter().filter(|e| e.event == "label_add").count();
        assert_eq!(added, 1, "contact {id} was labelled once");
    }

    // One finisher: A claimed it and died; B claimed it where A's record stopped and ended it.
    let (a_log, b_log) = (a.log(), b.log());
    let lines = |log: &str, text: &str| {
        log.lines()
            .filter(|l| l.contains(text) && l.contains(&job_id))
            .count()
    };
    assert_eq!(lines(&a_log, "bulk action claimed"), 1, "{a_log}");
    assert_eq!(lines(&a_log, "bulk action done"), 0, "{a_log}");
    assert_eq!(lines(&b_log, "bulk action claimed"), 1, "{b_log}");
    assert_eq!(lines(&b_log, "bulk action done"), 1, "{b_log}");
    let resumed_from = format!("rows_done={killed_at}");
    assert!(
        b_log
            .lines()
            .any(|l| l.contains("bulk action claimed") && l.contains(&resumed_from)),
        "B resumed after the {killed_at} contacts A recorded:\n{b_log}"
    );
    drop(b);
    drop(store);
    drop(database);
}
