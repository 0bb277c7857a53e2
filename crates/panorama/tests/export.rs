//! `panorama export` as a user runs it: filters and columns, the format from `-o`, stdout, GBK,
//! XLSX, a file that re-imports, and refused options.

#[path = "support/audit.rs"]
mod audit_support;

use calamine::{Reader, Xlsx};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn panorama(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args(args)
        .env_remove("PANORAMA_DATABASE_URL")
        .env_remove("PANORAMA_TIME_ZONE")
        .output()
        .expect("panorama runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(directory: &Path, name: &str) -> (PathBuf, String) {
    let path = directory.join(name);
    let shown = path.display().to_string();
    (path, shown)
}

/// A database holding three contacts, imported from a CSV file.
fn company(directory: &Path) -> String {
    let url = format!("sqlite://{}", directory.join("export.db").display());
    let (file, file_text) = path(directory, "people.csv");
    std::fs::write(
        &file,
        "name,mobile,city\n王伟,13800000001,上海\nZoe Chen,13800000002,Beijing\n王芳,13800000003,杭州\n",
    )
    .expect("write the file");
    let import = panorama(&["import", &file_text, "--database", &url]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    url
}

#[test]
fn export_follows_the_filter_and_columns_and_re_imports() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = company(directory.path());
    let (out, out_text) = path(directory.path(), "wang.csv");
    let run = panorama(&[
        "export",
        "--database",
        &url,
        "-o",
        &out_text,
        "--q",
        "王",
        "--field",
        "name",
        "--sort",
        "name",
        "--order",
        "desc",
        "--columns",
        "name,mobile,city",
        "--encoding",
        "utf-8",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr).contains("exported 2 rows"),
        "{}",
        text(&run.stderr)
    );
    let csv = std::fs::read_to_string(&out).expect("the file");
    // Names sort by pinyin: wáng wěi after wáng fāng, so first in descending order.
    assert_eq!(
        csv,
        "Name,Mobile,City\r\n王伟,+8613800000001,上海\r\n王芳,+8613800000003,杭州\r\n"
    );
    // Every export is in the audit log, the CLI's under `cli:USER`.
    let entries = audit_support::entries(&url, panorama_core::access::AuditAction::Export);
    assert_eq!(entries.len(), 1);
    assert!(entries[0].entry.actor.starts_with("cli:"));
    assert_eq!(entries[0].entry.detail["rows"], 2, "{:?}", entries[0]);
    // The file goes back in: display names match, values parse.
    let again = format!("sqlite://{}", directory.path().join("again.db").display());
    let import = panorama(&["import", &out_text, "--database", &again, "--json"]);
    assert!(import.status.success(), "{}", text(&import.stderr));
    let report: serde_json::Value = serde_json::from_slice(&import.stdout).expect("JSON report");
    assert_eq!(report["created"], 2, "{report}");
}

#[test]
fn stdout_gbk_and_xlsx_from_the_extension() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = company(directory.path());
    let run = panorama(&[
        "export",
        "--database",
        &url,
        "--columns",
        "name",
        "--sort",
        "name",
        "--encoding",
        "gbk",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let (decoded, _, malformed) = encoding_rs::GBK.decode(&run.stdout);
    assert!(!malformed);
    // Chinese collation: Han by pinyin, then Latin (CLDR's zh order puts Han first).
    assert_eq!(decoded, "Name\r\n王芳\r\n王伟\r\nZoe Chen\r\n");
    assert!(text(&run.stderr).contains("exported 3 rows to stdout"));

    let (out, out_text) = path(directory.path(), "all.xlsx");
    let run = panorama(&[
        "export",
        "--database",
        &url,
        "-o",
        &out_text,
        "--columns",
        "city,name",
        "--sort",
        "name",
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let mut workbook: Xlsx<_> = calamine::open_workbook(&out).expect("an XLSX file");
    let range = workbook.worksheet_range("Contacts").expect("the sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0], ["City", "Name"]);
    assert_eq!(rows[1], ["杭州", "王芳"]);
    assert_eq!(rows[3], ["Beijing", "Zoe Chen"]);
    assert_eq!(rows.len(), 4);
}

#[test]
fn bad_options_are_refused_with_their_value() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = company(directory.path());
    let format = panorama(&["export", "--database", &url, "--format", "pdf"]);
    assert!(!format.status.success());
    assert!(
        text(&format.stderr).contains("pdf"),
        "{}",
        text(&format.stderr)
    );
    let (_, odd) = path(directory.path(), "contacts.txt");
    let extension = panorama(&["export", "--database", &url, "-o", &odd]);
    assert!(!extension.status.success());
    assert!(
        text(&extension.stderr).contains("--format"),
        "{}",
        text(&extension.stderr)
    );
    for (flag, value) in [("--time-zone", "Mars/Olympus"), ("--lang", "fr")] {
        let refused = panorama(&["export", "--database", &url, flag, value]);
        assert!(!refused.status.success());
        let said = text(&refused.stderr);
        assert!(said.contains(flag) && said.contains(value), "{said}");
    }
    let column = panorama(&["export", "--database", &url, "--columns", "name,shoe_size"]);
    assert!(!column.status.success());
    assert!(
        text(&column.stderr).contains("shoe_size"),
        "{}",
        text(&column.stderr)
    );
}

#[test]
fn times_in_the_chosen_zone_under_headers_in_the_chosen_language() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let url = company(directory.path());
    let export = |extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "export",
            "--database",
            &url,
            "--columns",
            "name,created_at",
            "--sort",
            "name",
            "--encoding",
            "utf-8",
        ];
        args.extend_from_slice(extra);
        let run = panorama(&args);
        assert!(run.status.success(), "{}", text(&run.stderr));
        text(&run.stdout).lines().map(str::to_owned).collect()
    };
    let utc = export(&["--time-zone", "UTC"]);
    let shanghai = export(&["--time-zone", "Asia/Shanghai", "--lang", "zh"]);
    assert_eq!(utc[0], "Name,Created at");
    assert_eq!(shanghai[0], "姓名,创建时间");
    assert_eq!(
        export(&[]),
        export(&["--time-zone", "Asia/Shanghai"]),
        "the company's zone"
    );
    for (in_utc, in_shanghai) in utc.iter().zip(&shanghai).skip(1) {
        let time = |line: &str| -> jiff::civil::DateTime {
            let (_, shown) = line.split_once(',').expect("two cells");
            assert_eq!(shown.len(), 19, "YYYY-MM-DD HH:MM:SS: {shown}");
            jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", shown).expect("a time")
        };
        let utc_time = time(in_utc);
        assert_eq!(
            time(in_shanghai),
            utc_time + jiff::SignedDuration::from_hours(8),
            "{in_utc} / {in_shanghai}"
        );
    }
}
