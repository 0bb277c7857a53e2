//! Files that are refused write nothing, with a message that says why.

use crate::Bench;
use panorama_import::{ImportOptions, ReadOptions, TextEncoding};

#[tokio::test]
async fn refused_files_write_nothing() {
    let bench = Bench::new().await;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), "empty_file"),
        (
            "garbage.csv",
            vec![0, 159, 146, 150, 0, 1, 2, 3, 0, 0, 255],
            "not_a_table_file",
        ),
        (
            "unknown.csv",
            b"mobile,shoe_size\n13800000001,42\n".to_vec(),
            "unknown_columns",
        ),
        (
            "computed.csv",
            b"mobile,order_count\n13800000001,3\n".to_vec(),
            "computed_attribute",
        ),
    ];
    for (name, bytes, code) in cases {
        let path = bench.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let error = bench
            .try_import(&path, &ImportOptions::default())
            .await
            .unwrap_err();
        assert_eq!(error.code, code, "{name}: {error}");
        assert_eq!(bench.count().await, 0, "{name} wrote something");
    }
}

#[tokio::test]
async fn a_wrong_encoding_late_in_the_file_rejects_only_its_row() {
    let bench = Bench::new().await;
    let mut text = String::from("mobile,name\n");
    for n in 0..12_000 {
        text.push_str(&format!("138{n:08},Name{n}\n"));
    }
    text.push_str("13899999999,王伟\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let path = bench.dir.path().join("late.csv");
    std::fs::write(&path, &gbk).unwrap();
    let utf8 = ImportOptions {
        read: ReadOptions {
            encoding: Some(TextEncoding::Utf8),
            ..ReadOptions::default()
        },
        ..ImportOptions::default()
    };
    let report = bench.try_import(&path, &utf8).await.unwrap();
    assert_eq!((report.counts.created, report.counts.invalid), (12_000, 1));
    let error = &report.errors[0];
    assert_eq!((error.row, error.code.as_str()), (12_002, "wrong_encoding"));
    assert_eq!(error.column, "name", "the cell is named: {error:?}");
    assert!(error.reason.contains("utf-8"), "{error:?}");
    assert!(
        bench.find("mobile", "+8613899999999").await.is_none(),
        "the undecodable row is not read wrong"
    );
    let gbk = ImportOptions {
        read: ReadOptions {
            encoding: Some(TextEncoding::Gbk),
            ..ReadOptions::default()
        },
        ..ImportOptions::default()
    };
    let imported = bench.try_import(&path, &gbk).await.unwrap();
    assert_eq!(imported.counts.created, 1);
    assert_eq!(
        bench
            .find("mobile", "+8613899999999")
            .await
            .unwrap()
            .attributes["name"],
        serde_json::json!("王伟")
    );
}

#[tokio::test]
async fn a_cell_longer_than_allowed_rejects_only_its_row() {
    let bench = Bench::new().await;
    let long = "x".repeat(65);
    let report = bench
        .import(
            &format!("mobile,city\n13800000001,{long}\n13800000002,Ok\n"),
            panorama_import::Purpose::Upsert,
        )
        .await;
    assert_eq!((report.counts.invalid, report.counts.created), (1, 1));
    assert_eq!(
        (report.errors[0].row, report.errors[0].code.as_str()),
        (2, "value_too_long")
    );
}
