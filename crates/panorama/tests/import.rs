//! `panorama import` as a data engineer runs it: JSON report, rejected-rows file, dry run, and a
//! run killed with SIGKILL half-way that leaves whole rows only and finishes cleanly when re-run.

#[path = "support/audit.rs"]
mod audit_support;

use panorama_core::contact::KeyValue;
use panorama_core::store::{ContactStore, MetadataStore};
use panorama_store_sqlite::SqliteStore;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn panorama(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(args)
        .env_remove("PANORAMA_DATABASE_URL")
        .output()
        .expect("panorama runs")
}

fn url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

#[test]
fn json_report_rejected_file_and_dry_run() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("contacts.csv");
    std::fs::write(&file, "客户电话,Email,name\n13800000001,a@example.com,=cmd()\n12345,b@example.com,Bad\n13800000001,,Dup\n")
        .expect("written");
    let db = url(dir.path(), "cli.db");
    let refused = panorama(&["import", file.to_str().expect("path"), "--database", &db]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("客户电话") && message.contains("--map COLUMN=attribute"),
        "unknown columns are listed with the flags that map them: {message}"
    );

    let dry = panorama(&[
        "import",
        file.to_str().expect("path"),
        "--database",
        &db,
        "--map",
        "客户电话=mobile",
        "--dry-run",
        "--json",
    ]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&dry.stdout).expect("JSON");
    assert_eq!(
        (
            report["total"].as_u64(),
            report["invalid"].as_u64(),
            report["duplicate"].as_u64()
        ),
        (Some(3), Some(1), Some(1))
    );
    assert_eq!(report["dry_run"], serde_json::json!(true));

    let rejected = dir.path().join("rejected.csv");
    let run = panorama(&[
        "import",
        file.to_str().expect("path"),
        "--database",
        &db,
        "--map",
        "客户电话=mobile",
        "--json",
        "--rejected",
        rejected.to_str().expect("path"),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert_eq!(
        (
            report["created"].as_u64(),
            report["invalid"].as_u64(),
            report["duplicate"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(report["purpose"], "upsert");
    assert!(report["job_id"].as_str().is_some_and(|id| id.len() == 36));
    let text = std::fs::read_to_string(&rejected).expect("the rejected file");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "row,column,value,code,reason,客户电话,Email,name");
    assert!(
        lines[1].starts_with("3,客户电话,12345,invalid_mobile,"),
        "{}",
        lines[1]
    );
    // The duplicate is applied after the row it repeats, and the file says which row that is.
    assert!(
        lines[2].starts_with("4,客户电话,13800000001,duplicate_row,repeats row 2,"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 3);
    // The run (not the dry run) is in the audit log, under `cli:USER`.
    let starts = audit_support::entries(&db, panorama_core::access::AuditAction::ImportStart);
    assert_eq!(starts.len(), 1);
    assert!(starts[0].entry.actor.starts_with("cli:"));
    assert_eq!(starts[0].entry.detail["file_name"], "contacts.csv");
}

fn write_rows(path: &Path, rows: u64) {
    let mut text = String::from("mobile,email,name,city,member_points\n");
    for n in 0..rows {
        text.push_str(&format!(
            "139{n:08},u{n}@example.com,Name {n},City {},{}\n",
            n % 50,
            n % 997
        ));
    }
    std::fs::write(path, text).expect("written");
}

async fn state(url: &str) -> Vec<String> {
    let store = SqliteStore::open(url).await.expect("opens");
    let mut rows = Vec::new();
    for n in 0..40_000u64 {
        let key = KeyValue {
            attribute: "mobile".into(),
            value: format!("+86139{n:08}"),
        };
        if let Some(contact) = store.find_contact(&key).await.expect("reads") {
            rows.push(serde_json::to_string(&contact.attributes).expect("JSON"));
        }
    }
    assert!(store.list_attributes().await.is_ok());
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_import_leaves_whole_rows_and_a_rerun_equals_one_clean_run() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("big.csv");
    write_rows(&file, 40_000);
    let killed = url(dir.path(), "killed.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args([
            "import",
            file.to_str().expect("path"),
            "--database",
            &killed,
        ])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("import starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    // The first progress line means the first batch is committed and the next is under way.
    let first = lines.next().expect("a progress line").expect("text");
    assert!(first.starts_with("progress: 5000/40000"), "{first}");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let partial = state(&killed).await;
    assert!(
        partial.len() >= 5_000 && partial.len() < 40_000,
        "stopped half-way: {}",
        partial.len()
    );
    assert_eq!(
        partial.len() % 5_000,
        0,
        "batches are all or nothing: {}",
        partial.len()
    );
    for (n, attributes) in partial.iter().enumerate().take(10) {
        assert!(
            attributes.contains(&format!("\"Name {n}\"")),
            "row {n} is whole: {attributes}"
        );
    }

    let rerun = panorama(&[
        "import",
        file.to_str().expect("path"),
        "--database",
        &killed,
        "--json",
    ]);
    assert!(
        rerun.status.success(),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let clean = url(dir.path(), "clean.db");
    let once = panorama(&[
        "import",
        file.to_str().expect("path"),
        "--database",
        &clean,
        "--json",
    ]);
    assert!(
        once.status.success(),
        "{}",
        String::from_utf8_lossy(&once.stderr)
    );
    assert_eq!(
        state(&killed).await,
        state(&clean).await,
        "re-running gives the state of one clean run"
    );
}

/// An XLSX cell holding U+0000 (Excel writes `_x0000_`) rejects its row, naming the column and
/// the character, and the rest of the file imports, on both stores (PostgreSQL stores no NUL).
#[tokio::test]
async fn a_workbook_cell_holding_nul_rejects_only_its_row() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("people.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["mobile", "name"],
        ["13800000001", "Ann"],
        ["13800000002", "a\u{0}b"],
        ["13800000003", "Bo"],
    ];
    for (r, row) in (0u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            sheet.write_string(r, c, cell).expect("a cell");
        }
    }
    book.save(&file).expect("the workbook");
    let postgres = panorama_store_postgres::testing::TestDatabase::create().await;
    let mut databases = vec![url(dir.path(), "nul.db")];
    databases.extend(postgres.as_ref().map(|p| p.url.clone()));
    for db in databases {
        let rejected = dir.path().join("rejected.csv");
        let run = panorama(&[
            "import",
            file.to_str().expect("path"),
            "--database",
            &db,
            "--json",
            "--rejected",
            rejected.to_str().expect("path"),
        ]);
        assert!(
            run.status.success(),
            "{db}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
        assert_eq!(
            (report["created"].as_u64(), report["invalid"].as_u64()),
            (Some(2), Some(1)),
            "{db}: {report}"
        );
        let text = std::fs::read_to_string(&rejected).expect("the rejected file");
        assert!(
            text.contains("3,name,a\\u{0000}b,control_character,")
                && text.contains("U+0000 at position 2"),
            "{db}: {text}"
        );
    }
}
