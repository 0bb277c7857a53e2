//! Property tests of the file readers: arbitrary bytes, CSV in every encoding and delimiter with
//! ragged rows and huge fields, and damaged workbooks never panic the reader; they give rows or
//! an `Invalid` error. CSV written by the `csv` crate reads back cell for cell, in UTF-8 and GBK.

use panorama_core::{Error, ErrorKind};
use panorama_import::{ReadOptions, Row, TableReader, TextEncoding};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Rows read at most per file: enough to reach every byte of these small files.
const ROWS_READ_MAX: usize = 10_000;

/// `cases` per property, or `PROPTEST_CASES` for a longer hunt.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Open and read `bytes` saved as `name`: the header and rows, or the first error.
fn read(bytes: &[u8], name: &str, options: &ReadOptions) -> Result<(Vec<String>, Vec<Row>), Error> {
    let dir = tempfile::tempdir().map_err(Error::internal)?;
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).map_err(Error::internal)?;
    read_path(&path, options)
}

fn read_path(path: &Path, options: &ReadOptions) -> Result<(Vec<String>, Vec<Row>), Error> {
    let reader = TableReader::open(path, options)?;
    let headers = reader.headers().to_vec();
    let rows = reader.take(ROWS_READ_MAX).collect::<Result<Vec<_>, _>>()?;
    Ok((headers, rows))
}

/// A refusal must be the file's fault, said as such; an internal error would be a 500.
fn check_outcome(outcome: &Result<(Vec<String>, Vec<Row>), Error>) -> Result<(), TestCaseError> {
    if let Err(error) = outcome {
        prop_assert_eq!(error.kind, ErrorKind::Invalid, "{:?}", error);
    }
    Ok(())
}

fn options() -> impl Strategy<Value = ReadOptions> {
    let encoding = proptest::option::of(proptest::sample::select(TextEncoding::ALL.to_vec()));
    let delimiter = proptest::option::of(prop_oneof![
        proptest::sample::select(vec![b',', b';', b'\t', b'|']),
        any::<u8>(),
    ]);
    (encoding, delimiter, 16u64..4096).prop_map(|(encoding, delimiter, row_bytes_max)| {
        ReadOptions {
            encoding,
            delimiter,
            row_bytes_max,
            ..ReadOptions::default()
        }
    })
}

/// Bytes that look like delimited text more often than noise does.
fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2048),
        "[a-z,;\t\"\r\n 张三\u{FEFF}]{0,400}".prop_map(String::into_bytes),
        (
            Just(vec![0xFF, 0xFE]),
            proptest::collection::vec(any::<u8>(), 0..512)
        )
            .prop_map(|(bom, rest)| [bom, rest].concat()),
    ]
}

/// A cell: printable text with delimiters, quotes, line breaks and Chinese, or a long field.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-zA-Z0-9 ,;|\t\"'\r\n张三李四€é=+\\-]{0,12}",
        1 => "[x\"]{600,3000}",
    ]
}

/// A header of distinct names, then rows of its width whose first cell is never blank.
fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (1usize..6).prop_flat_map(|width| {
        let row = proptest::collection::vec(cell(), width);
        proptest::collection::vec(row, 0..8).prop_map(move |rows| {
            let header = (0..width).map(|i| format!("列{i}")).collect();
            let body = rows.into_iter().enumerate().map(|(n, mut cells)| {
                cells[0] = format!("r{n}{}", cells[0]);
                cells
            });
            std::iter::once(header).chain(body).collect()
        })
    })
}

fn write_csv(table: &[Vec<String>], delimiter: u8) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new());
    for row in table {
        writer.write_record(row).expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// A small real workbook, built once.
fn workbook() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (column, name) in ["name", "mobile", "points"].iter().enumerate() {
            sheet.write_string(0, column as u16, *name).expect("cell");
        }
        for row in 1..20u32 {
            sheet
                .write_string(row, 0, format!("张三{row}"))
                .expect("cell");
            sheet
                .write_number(row, 1, 13_812_345_000.0 + f64::from(row))
                .expect("cell");
            sheet
                .write_number(row, 2, f64::from(row) / 3.0)
                .expect("cell");
        }
        book.save_to_buffer().expect("an in-memory workbook")
    })
}

/// A change to a file: bytes overwritten, cut off, or inserted.
#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
}

fn damage(bytes: &mut Vec<u8>, damages: &[Damage]) {
    for change in damages {
        match change {
            Damage::Flip(at, byte) => {
                let at = at % bytes.len().max(1);
                if let Some(slot) = bytes.get_mut(at) {
                    *slot ^= byte | 1;
                }
            }
            Damage::Truncate(at) => bytes.truncate(at % bytes.len().max(1)),
            Damage::Insert(at, extra) => {
                let at = at % bytes.len().max(1);
                bytes.splice(at..at, extra.iter().copied());
            }
        }
    }
}

fn damages() -> impl Strategy<Value = Vec<Damage>> {
    let one = prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Flip(at, byte)),
        1 => any::<usize>().prop_map(Damage::Truncate),
        1 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, extra)| Damage::Insert(at, extra)),
    ];
    proptest::collection::vec(one, 1..6)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_text_never_panics(bytes in text_bytes(), options in options()) {
        check_outcome(&read(&bytes, "any.csv", &options))?;
    }

    #[test]
    fn csv_reads_back_cell_for_cell(
        table in table(),
        delimiter in proptest::sample::select(vec![b',', b';', b'\t', b'|']),
        gbk in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let utf8 = write_csv(&table, delimiter);
        let (bytes, encoding) = if gbk {
            let text = String::from_utf8(utf8).expect("the csv crate writes UTF-8");
            let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
            prop_assume!(!unmappable);
            (bytes.into_owned(), Some(TextEncoding::Gbk))
        } else if bom {
            ([b"\xEF\xBB\xBF".as_slice(), &utf8].concat(), None)
        } else {
            (utf8, None)
        };
        let options = ReadOptions { encoding, delimiter: Some(delimiter), ..ReadOptions::default() };
        let (headers, rows) = read(&bytes, "table.csv", &options).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(&headers, &table[0]);
        let read: Vec<&Vec<String>> = rows.iter().map(|r| &r.cells).collect();
        let written: Vec<&Vec<String>> = table.iter().skip(1).collect();
        prop_assert_eq!(read, written);
        prop_assert!(rows.iter().all(|r| r.issue.is_none()));
    }

    #[test]
    fn damaged_workbooks_never_panic(changes in damages()) {
        let mut bytes = workbook().to_vec();
        damage(&mut bytes, &changes);
        check_outcome(&read(&bytes, "damaged.xlsx", &ReadOptions::default()))?;
    }

    #[test]
    fn xls_noise_never_panics(rest in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let bytes = [[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1].as_slice(), &rest].concat();
        check_outcome(&read(&bytes, "noise.xls", &ReadOptions::default()))?;
    }
}

#[test]
fn the_undamaged_workbook_reads() -> Result<(), Error> {
    let (headers, rows) = read(workbook(), "book.xlsx", &ReadOptions::default())?;
    assert_eq!(headers, ["name", "mobile", "points"]);
    assert_eq!(rows.len(), 19);
    Ok(())
}
