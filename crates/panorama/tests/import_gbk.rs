//! `panorama import` of the file a Chinese team exports from its spreadsheet: GBK-encoded, with
//! Chinese headers and Chinese enum values, imported with no mapping at all.

use panorama_core::contact::KeyValue;
use panorama_core::store::ContactStore;
use panorama_store_sqlite::SqliteStore;
use std::process::Command;

/// `text` encoded as GBK, as Excel saves "CSV" on a Chinese Windows.
fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "every character has a GBK form");
    bytes.into_owned()
}

#[tokio::test]
async fn a_gbk_file_with_chinese_headers_imports_with_no_mapping() {
    let dir = tempfile::tempdir().expect("a folder");
    let file = dir.path().join("客户.csv");
    std::fs::write(
        &file,
        gbk("姓名,手机号,电子邮件,城市,性别,生日\r\n王伟,13800000001,wang@example.com,上海,男,1990-05-01\r\n李娜,13800000002,li@example.com,北京,女,1988-11-23\r\n"),
    )
    .expect("written");
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let output = Command::new(env!("CARGO_BIN_EXE_panorama"))
        .args([
            "import",
            file.to_str().expect("path"),
            "--database",
            &db,
            "--json",
        ])
        .env_remove("PANORAMA_DATABASE_URL")
        .output()
        .expect("panorama runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        (report["created"].as_u64(), report["invalid"].as_u64()),
        (Some(2), Some(0))
    );
    let store = SqliteStore::open(&db).await.expect("opens");
    let key = KeyValue {
        attribute: "mobile".into(),
        value: "+8613800000002".into(),
    };
    let contact = store
        .find_contact(&key)
        .await
        .expect("reads")
        .expect("imported");
    let value = |name: &str| contact.attributes.get(name).cloned();
    assert_eq!(value("name"), Some("李娜".into()));
    assert_eq!(value("email"), Some("li@example.com".into()));
    assert_eq!(value("city"), Some("北京".into()));
    assert_eq!(value("gender"), Some("female".into()));
    assert_eq!(value("birthday"), Some("1988-11-23".into()));
}
