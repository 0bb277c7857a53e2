//! The import pipeline: open and map a file (refusing it before anything is written), preview it,
//! and run it: rows read and converted on a blocking thread, written in batches by the store.

use crate::convert::{RejectedRow, RowConverter};
use crate::mapping::{Column, DROP_TARGET, map_headers, suggest};
use crate::purpose::{IMPORT_BATCH_ROWS, ImportOptions, REPORT_ERRORS_MAX};
use crate::reader::TableReader;
use crate::report::{ImportCounts, ImportObserver, ImportReport, Preview, PreviewColumn, Progress};
use crate::row::{Row, RowIssue};
use crate::seen::{SEEN_KEYS_IN_MEMORY_MAX, Seen, fingerprint};
use panorama_core::Result;
use panorama_core::contact::{ContactRecord, KeyValue};
use panorama_core::metadata::Schema;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file opened, its headers mapped, ready to preview or run.
pub struct Prepared {
    path: PathBuf,
    options: ImportOptions,
    reader: TableReader,
    converter: RowConverter,
    columns: Vec<PreviewColumn>,
    /// Headers matching nothing that still need a choice (previews only).
    unmapped: Vec<String>,
    dropped: Vec<String>,
    seen_keys_max: usize,
}

/// One batch of converted rows, in file order.
pub(crate) struct Batch {
    pub(crate) records: Vec<ContactRecord>,
    /// Per record: whether it shares a key value with an earlier row of the file.
    pub(crate) duplicate: Vec<bool>,
    pub(crate) rejected: Vec<RejectedRow>,
    /// Valid rows repeating a key of an earlier row, listed with the row they repeat (not
    /// counted as invalid: they are applied in file order).
    pub(crate) repeats: Vec<RejectedRow>,
    /// Rows rejected but not listed (see [`ImportCounts::unlisted`]).
    pub(crate) unlisted: u64,
    pub(crate) rows: u64,
}

/// Open `path` and map its headers against `schema`. Unknown columns, bad mappings and unreadable
/// files are refused here, before anything is written.
pub fn prepare(path: &Path, schema: &Schema, options: &ImportOptions) -> Result<Prepared> {
    open(path, schema, options, false)
}

/// Open `path` for a preview: as [`prepare`], except that columns matching nothing are shown
/// (ignored, with suggestions, and listed in [`Preview::unmapped`]) rather than refused, so the
/// operator can choose for each before the import starts.
pub fn prepare_preview(path: &Path, schema: &Schema, options: &ImportOptions) -> Result<Prepared> {
    open(path, schema, options, true)
}

fn open(path: &Path, schema: &Schema, options: &ImportOptions, lenient: bool) -> Result<Prepared> {
    let reader = TableReader::open(path, &options.read)?;
    let headers = reader.headers().to_vec();
    let map = map_headers(
        schema,
        &headers,
        &options.map,
        options.drop_unknown || lenient,
    )
    .map_err(|e| e.to_error())?;
    let unmatched: Vec<String> = map.unmatched().into_iter().map(str::to_owned).collect();
    let taken: Vec<&str> = map
        .columns()
        .iter()
        .filter_map(|c| match c {
            Column::Attribute(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let columns = headers
        .iter()
        .zip(map.columns())
        .map(|(header, column)| {
            let target = match column {
                Column::Attribute(name) => name.clone(),
                Column::Subscription(channel) => channel.column().to_owned(),
                Column::Dropped => DROP_TARGET.to_owned(),
            };
            let matched = !unmatched.contains(header);
            PreviewColumn {
                header: header.clone(),
                attribute: matched.then(|| target.clone()),
                suggestions: if matched {
                    Vec::new()
                } else {
                    suggest(schema, header, &taken)
                },
                target,
            }
        })
        .collect();
    let dropped = map.dropped().into_iter().map(str::to_owned).collect();
    let converter = RowConverter::new(schema, &headers, &map, options);
    Ok(Prepared {
        path: path.to_owned(),
        options: options.clone(),
        reader,
        converter,
        columns,
        unmapped: if options.drop_unknown {
            Vec::new()
        } else {
            unmatched
        },
        dropped,
        seen_keys_max: SEEN_KEYS_IN_MEMORY_MAX,
    })
}

impl Prepared {
    /// The options this import runs with.
    pub fn options(&self) -> &ImportOptions {
        &self.options
    }

    /// Read the whole file without writing: the first rows as they will be stored, the counts
    /// of total, invalid and duplicate rows, and the first errors.
    pub fn preview(mut self, rows_shown: usize) -> Result<Preview> {
        let mut preview = Preview {
            columns: self.columns.clone(),
            sheets_ignored: self.reader.sheets_ignored().to_vec(),
            encoding: self.reader.encoding().map(|e| e.name().to_owned()),
            unmapped: self.unmapped.clone(),
            ..Preview::default()
        };
        self.read_all(|batch| {
            for record in &batch.records {
                if preview.rows.len() < rows_shown {
                    preview.rows.push(
                        record
                            .values
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone().unwrap_or_default()))
                            .collect(),
                    );
                }
            }
            tally_read(&mut preview.counts, &batch);
            keep_errors(&mut preview.errors, &batch.rejected);
            Ok(())
        })?;
        preview.expected = preview.counts.expected();
        Ok(preview)
    }

    /// Read a text file once before the run: a file that cannot be read to its end (a wrong
    /// encoding at row 50,000, a quote never closed) is refused before anything is written, and
    /// progress can show a total. Workbooks are not scanned: their structure was read when they
    /// were opened, and reading one twice would cost more than the bar is worth.
    pub fn scan(&self) -> Result<Option<u64>> {
        if self.reader.format() != crate::FileFormat::Csv {
            return Ok(None);
        }
        let mut reader = TableReader::open(&self.path, &self.options.read)?;
        let mut row = Row::default();
        let mut rows = 0;
        while reader.read_row(&mut row)? {
            rows += 1;
        }
        Ok(Some(rows))
    }

    /// Hold at most `keys` key fingerprints in memory to find repeated keys (default
    /// [`SEEN_KEYS_IN_MEMORY_MAX`]); a file with more is resolved on disk. For tests and tools.
    pub fn set_seen_keys_max(&mut self, keys: usize) {
        self.seen_keys_max = keys;
    }

    /// Read every row into batches, calling `each` in file order.
    pub(crate) fn read_all(&mut self, mut each: impl FnMut(Batch) -> Result<()>) -> Result<()> {
        let mut seen = Seen::new(self.seen_keys_max);
        let mut first_rows = FirstRows::default();
        let (mut rows_read, mut records, mut listed) = (0u64, 0u64, 0u64);
        let mut row = Row::default();
        loop {
            if seen.must_switch() {
                let rest = |each: &mut dyn FnMut(&[KeyValue]) -> Result<()>| {
                    self.read_rest(rows_read, each)
                };
                seen.switch(records, rest)?;
            }
            let mut batch = Batch {
                records: Vec::with_capacity(IMPORT_BATCH_ROWS),
                duplicate: Vec::new(),
                rejected: Vec::new(),
                repeats: Vec::new(),
                unlisted: 0,
                rows: 0,
            };
            let mut more = true;
            while batch.rows < IMPORT_BATCH_ROWS as u64 {
                if !self.reader.read_row(&mut row)? {
                    more = false;
                    break;
                }
                batch.rows += 1;
                rows_read += 1;
                match self.converter.convert(&row) {
                    Ok(record) => {
                        // Every key is remembered, so a row is a duplicate if any key was seen.
                        let duplicate = seen.repeats(records, &record.keys);
                        if duplicate && listed < self.options.read.rejections_kept_max {
                            listed += 1;
                            batch.repeats.push(self.repeat(&row, &record, &first_rows));
                        }
                        first_rows.remember(&record.keys, row.number);
                        batch.duplicate.push(duplicate);
                        records += 1;
                        batch.records.push(record);
                    }
                    Err(_) if row.issue == Some(RowIssue::EmptyAgain) => batch.unlisted += 1,
                    Err(_) if listed >= self.options.read.rejections_kept_max => {
                        batch.unlisted += 1;
                    }
                    Err(rejected) => {
                        listed += 1;
                        batch.rejected.push(*rejected);
                    }
                }
            }
            each(batch)?;
            if !more {
                return Ok(());
            }
        }
    }

    /// The note for `row`, whose record repeats a key of an earlier row: the key's column and
    /// cell, and the earliest row known to hold it ("repeats row 3").
    fn repeat(&self, row: &Row, record: &ContactRecord, first_rows: &FirstRows) -> RejectedRow {
        let earlier = record
            .keys
            .iter()
            .filter_map(|key| first_rows.row(key).map(|at| (at, key)))
            .min_by_key(|(at, _)| *at);
        let key = earlier.map(|(_, key)| key).or(record.keys.first());
        let column =
            key.and_then(|key| self.columns.iter().position(|c| c.target == key.attribute));
        let header = column
            .and_then(|c| self.columns.get(c))
            .map(|c| c.header.as_str());
        let value = column
            .and_then(|c| row.cells.get(c))
            .cloned()
            .unwrap_or_default();
        let detail = match earlier {
            Some((at, _)) => format!("repeats row {at}"),
            None => "repeats an earlier row".to_owned(),
        };
        let note = panorama_core::Error::invalid(
            crate::codes::DUPLICATE_ROW,
            detail,
            header.unwrap_or_default(),
            value,
        );
        RejectedRow::new(row, header, &note)
    }

    /// Read the file again past its first `skip` rows, handing the keys of each valid record
    /// to `each`, in order.
    fn read_rest(&self, skip: u64, each: &mut dyn FnMut(&[KeyValue]) -> Result<()>) -> Result<()> {
        let mut reader = TableReader::open(&self.path, &self.options.read)?;
        let mut row = Row::default();
        for _ in 0..skip {
            if !reader.read_row(&mut row)? {
                return Ok(());
            }
        }
        while reader.read_row(&mut row)? {
            if let Ok(record) = self.converter.convert(&row) {
                each(&record.keys)?;
            }
        }
        Ok(())
    }

    /// Read every row, handing each batch of valid records to `each` (benchmarks, tools).
    pub fn for_each_batch(&mut self, mut each: impl FnMut(&[ContactRecord])) -> Result<()> {
        self.read_all(|batch| {
            each(&batch.records);
            Ok(())
        })
    }

    /// The sheets of a workbook that are not read.
    pub fn sheets_ignored(&self) -> Vec<String> {
        self.reader.sheets_ignored().to_vec()
    }

    /// The columns the mapping dropped.
    pub fn dropped_columns(&self) -> Vec<String> {
        self.dropped.clone()
    }

    /// The preview columns.
    pub fn columns(&self) -> &[PreviewColumn] {
        &self.columns
    }

    /// A dry run: the report a run would start from, without writing anything.
    pub fn dry_run(self, observer: &mut dyn ImportObserver) -> Result<ImportReport> {
        let mut report = ImportReport {
            sheets_ignored: self.sheets_ignored(),
            dropped_columns: self.dropped_columns(),
            dry_run: true,
            ..ImportReport::default()
        };
        let mut this = self;
        let mut rows_done = 0;
        this.read_all(|batch| {
            tally_read(&mut report.counts, &batch);
            keep_errors(&mut report.errors, &batch.rejected);
            batch
                .listed()
                .into_iter()
                .for_each(|r| observer.rejected(r));
            rows_done += batch.rows;
            observer.progress(&Progress {
                rows_done,
                rows_total: None,
                counts: report.counts,
            });
            Ok(())
        })?;
        Ok(report)
    }
}

/// Key values met so far and the row that first held each, up to [`REPEAT_ROWS_NAMED_MAX`]
/// values (fingerprints): beyond, a repeat says only that it repeats an earlier row.
#[derive(Default)]
struct FirstRows(HashMap<u64, u64>);

/// Key values whose first row is remembered, to name it in a repeat's note (16 bytes each).
pub const REPEAT_ROWS_NAMED_MAX: usize = 500_000;

impl FirstRows {
    fn remember(&mut self, keys: &[KeyValue], row: u64) {
        for key in keys {
            if self.0.len() >= REPEAT_ROWS_NAMED_MAX {
                return;
            }
            self.0.entry(fingerprint(key)).or_insert(row);
        }
    }

    fn row(&self, key: &KeyValue) -> Option<u64> {
        self.0.get(&fingerprint(key)).copied()
    }
}

impl Batch {
    /// Every listed row of the batch (rejected rows and repeats), in file order.
    pub(crate) fn listed(&self) -> Vec<&RejectedRow> {
        let mut rows: Vec<&RejectedRow> = self.rejected.iter().chain(&self.repeats).collect();
        rows.sort_by_key(|r| r.row);
        rows
    }
}

/// Count what reading alone decides: total, invalid, duplicate.
pub(crate) fn tally_read(counts: &mut ImportCounts, batch: &Batch) {
    counts.total += batch.rows;
    counts.invalid += batch.rejected.len() as u64 + batch.unlisted;
    counts.unlisted += batch.unlisted;
    counts.duplicate += batch.duplicate.iter().filter(|d| **d).count() as u64;
}

pub(crate) fn keep_errors(errors: &mut Vec<RejectedRow>, rejected: &[RejectedRow]) {
    let room = REPORT_ERRORS_MAX.saturating_sub(errors.len());
    errors.extend(rejected.iter().take(room).cloned());
}
