//! Spreadsheet bombs for tests (here, the CLI's and the server's): tiny XLSX files written by
//! hand into a zip, whose one cell unpacks to hundreds of megabytes or lies a million rows down.

use std::io::Write;
use std::path::Path;

/// Which bomb to write. Every one has the header `mobile,name` in row 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bomb {
    /// Row 2 holds a valid mobile and an inline-string name of this many bytes.
    InlineCell(u64),
    /// As `InlineCell`, the name held in the shared-string table.
    SharedCell(u64),
    /// One number at `XFD1048576`, the sheet declaring `A1:XFD1048576`.
    FarCell,
    /// Row 2 holds a contact and row 1,048,576 another, no `<dimension>` declared: a million
    /// empty rows in between.
    FarRow,
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>mobile</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>"#;

/// Write `bomb` to `path` as an XLSX file.
pub fn write_bomb(path: &Path, bomb: Bomb) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.start_file("xl/sharedStrings.xml", options)?;
    zip.write_all(br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#)?;
    if let Bomb::SharedCell(bytes) = bomb {
        repeat(&mut zip, bytes)?;
    } else {
        zip.write_all(b"x")?;
    }
    zip.write_all(b"</t></si></sst>")?;
    zip.start_file("xl/worksheets/sheet1.xml", options)?;
    zip.write_all(SHEET_START.as_bytes())?;
    if bomb == Bomb::FarCell {
        zip.write_all(br#"<dimension ref="A1:XFD1048576"/>"#)?;
    }
    zip.write_all(b"<sheetData>")?;
    zip.write_all(HEADER_ROW.as_bytes())?;
    match bomb {
        Bomb::InlineCell(bytes) => {
            zip.write_all(br#"<row r="2"><c r="A2" t="inlineStr"><is><t>13800000001</t></is></c><c r="B2" t="inlineStr"><is><t>"#)?;
            repeat(&mut zip, bytes)?;
            zip.write_all(b"</t></is></c></row>")?;
        }
        Bomb::SharedCell(_) => zip.write_all(br#"<row r="2"><c r="A2" t="inlineStr"><is><t>13800000001</t></is></c><c r="B2" t="s"><v>0</v></c></row>"#)?,
        Bomb::FarCell => zip.write_all(br#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#)?,
        Bomb::FarRow => zip.write_all(br#"<row r="2"><c r="A2" t="inlineStr"><is><t>13800000001</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>13800000002</t></is></c></row>"#)?,
    }
    zip.write_all(b"</sheetData></worksheet>")?;
    zip.finish()?;
    Ok(())
}

/// Write `bytes` letters `a`, a chunk at a time.
fn repeat(out: &mut impl Write, bytes: u64) -> std::io::Result<()> {
    let chunk = [b'a'; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let take = left.min(chunk.len() as u64) as usize;
        out.write_all(chunk.get(..take).unwrap_or_default())?;
        left -= take as u64;
    }
    Ok(())
}
