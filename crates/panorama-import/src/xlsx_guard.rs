//! Spreadsheet bombs refused before calamine opens the workbook: calamine holds every cell's
//! text, each tag and the whole shared-string table in memory, so a 205 KB file can hold one
//! 200 MB cell. The workbook's XML parts are streamed here through a byte scanner with a small
//! buffer, and the file is refused (naming the limit) as soon as a cell, a tag or a part is over
//! its limit, or the sheet's declared size or the shared-string count is absurd for its bytes.

use crate::codes::{self, CELL_TOO_LONG, WORKBOOK_TOO_LARGE, file_error};
use crate::options::ReadOptions;
use panorama_core::Result;
use std::fs::File;
use std::io::{BufReader, Read, Seek};

/// Bytes one scan reads at a time.
const SCAN_CHUNK_BYTES: usize = 64 * 1024;
/// The fewest bytes a shared string takes in the XML (`<si><t>x</t></si>` is 17): a larger
/// `uniqueCount` than the part's size allows is a lie that would make calamine reserve gigabytes.
const SHARED_STRING_BYTES_MIN: u64 = 16;
/// Bytes of a `<dimension>` or `<sst>` tag kept to read its attributes.
const TAG_KEPT_BYTES: usize = 512;

/// Check every XML part of the XLSX `file` against `options` and rewind it.
pub(crate) fn check(file: &mut File, options: &ReadOptions) -> Result<()> {
    let mut zip = zip::ZipArchive::new(BufReader::new(&mut *file))
        .map_err(|e| file_error(codes::NOT_A_TABLE_FILE, format!("not a workbook: {e}")))?;
    for index in 0..zip.len() {
        let mut part = zip
            .by_index(index)
            .map_err(|e| file_error(codes::MALFORMED_FILE, format!("damaged workbook: {e}")))?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        if !name.ends_with(".xml") && !name.ends_with(".rels") {
            continue;
        }
        let sheet = name.contains("worksheets/");
        let declared = part.size();
        // Sheets are streamed by calamine; every other part is read whole.
        if !sheet && declared > options.workbook_part_bytes_max {
            return Err(part_too_large(&name, declared, options));
        }
        let scan = scan(&mut part, &name, sheet, options)?;
        if let Some(count) = scan.unique_count
            && count > declared / SHARED_STRING_BYTES_MIN
        {
            return Err(file_error(
                WORKBOOK_TOO_LARGE,
                format!(
                    "the shared-string table declares {count} strings in {declared} bytes: \
                     the workbook is damaged or built to exhaust memory"
                ),
            ));
        }
        if let Some(rows) = scan.dimension_rows
            && rows > scan.bytes
        {
            return Err(file_error(
                WORKBOOK_TOO_LARGE,
                format!(
                    "{name} declares {rows} rows (its <dimension>) but holds {} bytes: \
                     at most one declared row per byte of sheet is read; \
                     delete the empty rows below the table and save again",
                    scan.bytes
                ),
            ));
        }
    }
    drop(zip);
    file.rewind().map_err(|e| codes::io_error(&e))
}

fn part_too_large(name: &str, bytes: u64, options: &ReadOptions) -> panorama_core::Error {
    file_error(
        WORKBOOK_TOO_LARGE,
        format!(
            "the workbook part {name} holds {bytes} bytes; import_workbook_part_bytes_max is {}",
            options.workbook_part_bytes_max
        ),
    )
    .with_value(bytes)
}

/// What a scan of one part found.
#[derive(Default)]
struct Scan {
    bytes: u64,
    unique_count: Option<u64>,
    dimension_rows: Option<u64>,
}

/// Where the scanner is in the XML.
#[derive(PartialEq)]
enum At {
    Text,
    Tag,
    Quoted(u8),
}

/// Stream one part: text between cell (`c`) or string (`si`) tags, and each tag, must stay under
/// `cell_bytes_max`; parts other than sheets under `workbook_part_bytes_max`.
fn scan(part: &mut impl Read, name: &str, sheet: bool, options: &ReadOptions) -> Result<Scan> {
    let mut found = Scan::default();
    let cells = sheet || name.ends_with("sharedStrings.xml");
    let mut buffer = vec![0u8; SCAN_CHUNK_BYTES];
    let (mut at, mut text, mut tag_bytes) = (At::Text, 0u64, 0u64);
    let mut tag = Vec::with_capacity(TAG_KEPT_BYTES);
    loop {
        let read = part.read(&mut buffer).map_err(|e| {
            file_error(codes::MALFORMED_FILE, format!("{name} cannot be read: {e}"))
        })?;
        if read == 0 {
            return Ok(found);
        }
        found.bytes += read as u64;
        if !sheet && found.bytes > options.workbook_part_bytes_max {
            return Err(part_too_large(name, found.bytes, options));
        }
        for &byte in buffer.get(..read).unwrap_or_default() {
            match at {
                At::Text if byte == b'<' => {
                    (at, tag_bytes) = (At::Tag, 0);
                    tag.clear();
                }
                At::Text => text += 1,
                At::Tag if byte == b'>' => {
                    at = At::Text;
                    // In other parts (comments, drawings) each text node counts alone.
                    if closes_cell(&tag) || !cells {
                        text = 0;
                    }
                    read_tag(&tag, &mut found);
                }
                At::Tag if byte == b'"' || byte == b'\'' => at = At::Quoted(byte),
                At::Quoted(quote) if byte == quote => at = At::Tag,
                At::Tag | At::Quoted(_) => {}
            }
            if at != At::Text {
                tag_bytes += 1;
                if tag.len() < TAG_KEPT_BYTES {
                    tag.push(byte);
                }
            }
            if text > options.cell_bytes_max || tag_bytes > options.cell_bytes_max {
                return Err(file_error(
                    CELL_TOO_LONG,
                    format!(
                        "{name} holds a cell of more than {} bytes (import_cell_bytes_max; \
                         Excel itself holds at most 32,767 characters in a cell)",
                        options.cell_bytes_max
                    ),
                )
                .with_value(options.cell_bytes_max));
            }
        }
    }
}

/// The tag's name, without the `<`, a leading `/` or a namespace prefix.
fn tag_name(tag: &[u8]) -> &[u8] {
    let tag = tag.strip_prefix(b"<").unwrap_or(tag);
    let tag = tag.strip_prefix(b"/").unwrap_or(tag);
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(tag.len());
    let name = tag.get(..end).unwrap_or_default();
    match name.iter().position(|b| *b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or_default(),
        None => name,
    }
}

/// A cell or a shared string starts or ends here: the text before it belonged to another one.
fn closes_cell(tag: &[u8]) -> bool {
    matches!(tag_name(tag), b"c" | b"si" | b"row")
}

/// Keep `uniqueCount` of `<sst>` and the rows `<dimension ref="A1:XFD1048576">` declares.
fn read_tag(tag: &[u8], found: &mut Scan) {
    let text = String::from_utf8_lossy(tag);
    match tag_name(tag) {
        b"sst" => found.unique_count = attribute(&text, "uniqueCount").and_then(|v| v.parse().ok()),
        b"dimension" => {
            found.dimension_rows = attribute(&text, "ref").and_then(|r| declared_rows(&r));
        }
        _ => {}
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}="))? + name.len() + 2;
    let rest = tag.get(start..)?;
    let quote = rest.chars().next()?;
    let value = rest.get(1..)?;
    Some(value.get(..value.find(quote)?)?.to_owned())
}

/// Rows spanned by a range such as `A1:XFD1048576` (`A1` alone is one row).
fn declared_rows(range: &str) -> Option<u64> {
    let row = |cell: &str| -> Option<u64> {
        cell.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '$')
            .parse()
            .ok()
    };
    let (first, last) = range.split_once(':').unwrap_or((range, range));
    Some(row(last)?.saturating_sub(row(first)?) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ranges() {
        assert_eq!(tag_name(b"</x:si"), b"si");
        assert_eq!(tag_name(b"<c r=\"A1\""), b"c");
        assert_eq!(declared_rows("A1:XFD1048576"), Some(1_048_576));
        assert_eq!(declared_rows("B2"), Some(1));
        assert_eq!(
            attribute("<sst count=\"3\" uniqueCount=\"2\"", "uniqueCount").as_deref(),
            Some("2")
        );
    }

    #[test]
    fn a_long_cell_is_refused_without_reading_on() {
        let options = ReadOptions {
            cell_bytes_max: 10,
            ..ReadOptions::default()
        };
        let ok = b"<row><c><v>0123456789</v></c><c><v>0123456789</v></c></row>";
        assert!(scan(&mut &ok[..], "s.xml", true, &options).is_ok());
        let long = b"<si><r><t>012345</t></r><r><t>6789a</t></r></si>";
        let error = scan(&mut &long[..], "xl/sharedStrings.xml", false, &options).err();
        assert_eq!(error.map(|e| e.code), Some(CELL_TOO_LONG));
    }
}
