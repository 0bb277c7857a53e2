//! CSV rows into any writer, in UTF-8 (with or without a byte-order mark) or GBK. Rows are
//! formatted by the `csv` crate into a buffer that is encoded and handed on at the end of every
//! batch, so memory holds one batch of text at most.

use crate::cell::Cell;
use crate::options::ExportEncoding;
use encoding_rs::{EncoderResult, GBK};
use panorama_core::{Error, Result};
use std::io::Write;

/// The UTF-8 byte-order mark.
const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

/// Writes CSV rows to `W` in one encoding.
pub(crate) struct CsvSink<W: Write> {
    csv: csv::Writer<Vec<u8>>,
    encoding: ExportEncoding,
    out: W,
    encoded: Vec<u8>,
    unmappable: u64,
}

impl<W: Write> CsvSink<W> {
    /// Start the file: the byte-order mark when asked for.
    pub(crate) fn new(mut out: W, encoding: ExportEncoding) -> Result<Self> {
        if encoding == ExportEncoding::Utf8Bom {
            out.write_all(BYTE_ORDER_MARK)
                .map_err(|e| Error::internal(format!("writing the export: {e}")))?;
        }
        Ok(Self {
            csv: formatter(),
            encoding,
            out,
            encoded: Vec::new(),
            unmappable: 0,
        })
    }

    /// Append one row.
    pub(crate) fn write_row<I, S>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let failed = |e: csv::Error| Error::internal(format!("formatting a CSV row: {e}"));
        for cell in cells {
            self.csv
                .write_field(cell.as_ref().as_bytes())
                .map_err(failed)?;
        }
        self.csv.write_record(None::<&[u8]>).map_err(failed)
    }

    /// Append one row of typed cells, each as its text.
    pub(crate) fn write_cells<'a>(&mut self, cells: impl Iterator<Item = Cell<'a>>) -> Result<()> {
        let failed = |e: csv::Error| Error::internal(format!("formatting a CSV row: {e}"));
        for cell in cells {
            self.csv
                .write_field(cell.text().as_bytes())
                .map_err(failed)?;
        }
        self.csv.write_record(None::<&[u8]>).map_err(failed)
    }

    /// Encode what was formatted since the last call and write it out.
    pub(crate) fn flush_batch(&mut self) -> Result<()> {
        let text = std::mem::replace(&mut self.csv, formatter())
            .into_inner()
            .map_err(|e| Error::internal(format!("formatting CSV: {e}")))?;
        let written = match self.encoding {
            ExportEncoding::Utf8 | ExportEncoding::Utf8Bom => self.out.write_all(&text),
            ExportEncoding::Gbk => {
                // Every cell came from a `&str`, so the buffer is UTF-8 and ends on a row.
                let text = String::from_utf8(text)
                    .map_err(|e| Error::internal(format!("CSV text is not UTF-8: {e}")))?;
                self.encoded.clear();
                self.unmappable += encode_gbk(&text, &mut self.encoded);
                self.out.write_all(&self.encoded)
            }
        };
        written.map_err(|e| Error::internal(format!("writing the export: {e}")))
    }

    /// Write out the rest and hand back the writer, with the count of characters GBK could not
    /// hold.
    pub(crate) fn finish(mut self) -> Result<(W, u64)> {
        self.flush_batch()?;
        self.out
            .flush()
            .map_err(|e| Error::internal(format!("writing the export: {e}")))?;
        Ok((self.out, self.unmappable))
    }
}

/// A CSV formatter into memory: RFC 4180 quoting, CRLF line ends as Excel writes them.
fn formatter() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// Append `text` in GBK to `out`; a character GBK cannot hold becomes `?`. Returns how many did.
pub(crate) fn encode_gbk(text: &str, out: &mut Vec<u8>) -> u64 {
    let mut encoder = GBK.new_encoder();
    let mut rest = text;
    let mut unmappable = 0;
    loop {
        // GBK never takes more bytes than UTF-8 for a character it holds.
        out.reserve(rest.len() + 4);
        let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(rest, out, true);
        rest = rest.get(read..).unwrap_or_default();
        match result {
            EncoderResult::InputEmpty => return unmappable,
            EncoderResult::OutputFull => {}
            EncoderResult::Unmappable(_) => {
                out.push(b'?');
                unmappable += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_holds_chinese_and_marks_what_it_cannot() {
        let mut out = Vec::new();
        assert_eq!(encode_gbk("王伟,a😀", &mut out), 1);
        let (decoded, _, bad) = GBK.decode(&out);
        assert!(!bad);
        assert_eq!(decoded, "王伟,a?");
    }

    #[test]
    fn encodings_shape_the_bytes() {
        let rows = |encoding| {
            let mut sink = CsvSink::new(Vec::new(), encoding).expect("start");
            sink.write_row(["姓名", "a,b"]).expect("row");
            sink.finish().expect("finish").0
        };
        let bom = rows(ExportEncoding::Utf8Bom);
        assert!(bom.starts_with(BYTE_ORDER_MARK));
        assert_eq!(&bom[3..], "姓名,\"a,b\"\r\n".as_bytes());
        assert_eq!(rows(ExportEncoding::Utf8), "姓名,\"a,b\"\r\n".as_bytes());
        let gbk = rows(ExportEncoding::Gbk);
        assert_eq!(GBK.decode(&gbk).0, "姓名,\"a,b\"\r\n");
        assert_eq!(gbk.len(), 4 + 8);
    }
}
