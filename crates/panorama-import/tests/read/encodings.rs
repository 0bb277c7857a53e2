//! Encodings: UTF-8 with and without BOM, UTF-16 both ways, GBK and Big5 detected, forced
//! encodings checked, wrong ones reported by row.

use crate::*;
use panorama_import::codes::WRONG_ENCODING;
use panorama_import::{FileFormat, RowIssue, TextEncoding};

const CHINESE: &str = "姓名,手机,城市\r\n张三,13812345678,北京\r\n李四,13912345678,上海\r\n";

#[test]
fn utf8_with_and_without_bom() -> TestResult {
    let dir = tempfile::tempdir()?;
    for (name, prefix) in [("plain.csv", &b""[..]), ("bom.csv", &b"\xEF\xBB\xBF"[..])] {
        let path = write_file(dir.path(), name, &[prefix, CHINESE.as_bytes()].concat());
        let reader = open(&path)?;
        assert_eq!(reader.format(), FileFormat::Csv);
        assert_eq!(reader.encoding(), Some(TextEncoding::Utf8));
        assert_eq!(
            reader.headers(),
            ["姓名", "手机", "城市"],
            "{name}: no BOM in the header"
        );
        let rows = read_all(reader)?;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number, 2);
        assert_eq!(cells(&rows[1]), ["李四", "13912345678", "上海"]);
    }
    Ok(())
}

#[test]
fn utf16_le_and_be_with_bom_are_tab_separated_unicode_text() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = "姓名\t手机\temail\r\n张三\t13812345678\tzhang@example.com\r\n";
    for (big_endian, expected) in [
        (false, TextEncoding::Utf16Le),
        (true, TextEncoding::Utf16Be),
    ] {
        let path = write_file(dir.path(), "unicode.txt", &utf16(text, big_endian));
        let reader = open(&path)?;
        assert_eq!(reader.encoding(), Some(expected));
        assert_eq!(reader.delimiter(), Some(b'\t'));
        assert_eq!(reader.headers(), ["姓名", "手机", "email"]);
        let rows = read_all(reader)?;
        assert_eq!(
            cells(&rows[0]),
            ["张三", "13812345678", "zhang@example.com"]
        );
    }
    Ok(())
}

#[test]
fn gbk_with_chinese_headers_is_detected() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (bytes, _, lossy) = encoding_rs::GBK.encode(CHINESE);
    assert!(!lossy);
    let path = write_file(dir.path(), "gbk.csv", &bytes);
    let reader = open(&path)?;
    assert_eq!(reader.encoding(), Some(TextEncoding::Gb18030));
    assert_eq!(reader.headers(), ["姓名", "手机", "城市"]);
    let rows = read_all(reader)?;
    assert_eq!(cells(&rows[0]), ["张三", "13812345678", "北京"]);
    Ok(())
}

#[test]
fn big5_is_detected() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = "姓名,手機,城市,地址\r\n陳大文,0912345678,臺北,臺北市信義區忠孝東路\r\n林小明,0922333444,高雄,高雄市前鎮區中華五路\r\n";
    let (bytes, _, lossy) = encoding_rs::BIG5.encode(text);
    assert!(!lossy);
    let path = write_file(dir.path(), "big5.csv", &bytes);
    let reader = open(&path)?;
    assert_eq!(reader.encoding(), Some(TextEncoding::Big5));
    assert_eq!(reader.headers(), ["姓名", "手機", "城市", "地址"]);
    let rows = read_all(reader)?;
    assert_eq!(cells(&rows[1])[0], "林小明");
    Ok(())
}

#[test]
fn a_forced_encoding_overrides_detection() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (bytes, _, _) = encoding_rs::GBK.encode(CHINESE);
    let path = write_file(dir.path(), "gbk.csv", &bytes);
    let options = ReadOptions {
        encoding: Some(TextEncoding::parse("GBK")?),
        ..ReadOptions::default()
    };
    let reader = TableReader::open(&path, &options)?;
    assert_eq!(reader.encoding(), Some(TextEncoding::Gbk));
    assert_eq!(read_all(reader)?[1].cells[2], "上海");
    Ok(())
}

#[test]
fn forcing_utf8_on_gbk_rejects_the_row_instead_of_garbling() -> TestResult {
    let dir = tempfile::tempdir()?;
    let text = "name,mobile\r\nAda,13812345678\r\n张三,13912345678\r\nBo,13712345678\r\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let path = write_file(dir.path(), "gbk.csv", &bytes);
    let options = ReadOptions {
        encoding: Some(TextEncoding::Utf8),
        ..ReadOptions::default()
    };
    let rows = read_all(TableReader::open(&path, &options)?)?;
    let issues: Vec<_> = rows.iter().map(|r| (r.number, r.issue)).collect();
    let bad = Some(RowIssue::Undecodable {
        column: 0,
        encoding: TextEncoding::Utf8,
    });
    assert_eq!(issues, [(2, None), (3, bad), (4, None)]);
    let error = RowIssue::Undecodable {
        column: 0,
        encoding: TextEncoding::Utf8,
    }
    .error(3);
    assert_eq!(error.code, WRONG_ENCODING);
    assert!(error.detail.starts_with("row 3:"), "{}", error.detail);
    assert!(error.detail.contains("utf-8"), "{}", error.detail);
    Ok(())
}

#[test]
fn a_legacy_row_after_the_detection_sample_is_rejected_by_number() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut text = String::from("name,mobile\n");
    for index in 0..5000 {
        text.push_str(&format!("person {index},1380000{index:04}\n"));
    }
    let mut bytes = text.into_bytes();
    bytes.extend(encoding_rs::GBK.encode("王五,13700000000\n").0.iter());
    let path = write_file(dir.path(), "late.csv", &bytes);
    let reader = open(&path)?;
    assert_eq!(reader.encoding(), Some(TextEncoding::Utf8));
    let rows = read_all(reader)?;
    let last = rows.last().map(|r| (r.number, r.issue));
    let bad = Some(RowIssue::Undecodable {
        column: 0,
        encoding: TextEncoding::Utf8,
    });
    assert_eq!(last, Some((5002, bad)));
    assert!(rows.iter().rev().skip(1).all(|r| r.issue.is_none()));
    Ok(())
}

/// Hole 8 of issue 21: one GBK row among UTF-8 rows made the whole file read as GB18030, so every
/// Chinese UTF-8 row came out garbled. Now the file is UTF-8 and only that row is rejected.
#[test]
fn a_utf8_file_with_one_gbk_row_is_utf8_with_one_rejected_row() -> TestResult {
    let dir = tempfile::tempdir()?;
    let mut bytes = "姓名,手机\n张三,13812345678\n李四,13912345678\n"
        .as_bytes()
        .to_vec();
    bytes.extend(encoding_rs::GBK.encode("王五,13700000000\n").0.iter());
    bytes.extend("赵六,13600000000\n".as_bytes());
    let path = write_file(dir.path(), "mixed.csv", &bytes);
    let reader = open(&path)?;
    assert_eq!(reader.encoding(), Some(TextEncoding::Utf8));
    assert_eq!(reader.headers(), ["姓名", "手机"]);
    let rows = read_all(reader)?;
    let names: Vec<(u64, &str, bool)> = rows
        .iter()
        .map(|r| (r.number, r.cells[0].as_str(), r.issue.is_some()))
        .collect();
    assert_eq!(names[0], (2, "张三", false));
    assert_eq!(names[1], (3, "李四", false));
    assert_eq!((names[2].0, names[2].2), (4, true));
    assert_eq!(names[3], (5, "赵六", false));
    Ok(())
}

#[test]
fn forcing_a_legacy_encoding_on_utf8_or_against_a_bom_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = write_file(dir.path(), "utf8.csv", CHINESE.as_bytes());
    let gbk = ReadOptions {
        encoding: Some(TextEncoding::Gbk),
        ..ReadOptions::default()
    };
    assert_eq!(open_error(&path, &gbk).code, WRONG_ENCODING);
    let path = write_file(dir.path(), "utf16.txt", &utf16("a\tb\r\n1\t2\r\n", false));
    assert_eq!(open_error(&path, &gbk).code, WRONG_ENCODING);
    let unknown = TextEncoding::parse("latin-1").expect_err("not offered");
    assert!(
        unknown
            .detail
            .contains("utf-8, utf-16le, utf-16be, gbk, gb18030, big5")
    );
    Ok(())
}

#[test]
fn undecodable_legacy_bytes_are_counted_in_data_and_refused_in_the_header() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (good, _, _) = encoding_rs::GBK.encode(CHINESE);
    let mut bytes = good.into_owned();
    bytes.extend(b"\xFF\xFF,13700000000,x\r\n");
    let mut reader = open(&write_file(dir.path(), "bad_row.csv", &bytes))?;
    assert_eq!(reader.encoding(), Some(TextEncoding::Gb18030));
    let rows: Vec<Row> = reader.by_ref().collect::<Result<_, _>>()?;
    assert_eq!(rows.len(), 3);
    assert_eq!(reader.replaced_rows(), 1);
    let header = [&b"\xFF\xFF,"[..], &encoding_rs::GBK.encode(CHINESE).0].concat();
    let path = write_file(dir.path(), "bad_header.csv", &header);
    let options = ReadOptions {
        encoding: Some(TextEncoding::Gbk),
        ..ReadOptions::default()
    };
    let error = open_error(&path, &options);
    assert_eq!(error.code, WRONG_ENCODING);
    assert!(error.detail.starts_with("row 1:"), "{}", error.detail);
    Ok(())
}
