//! Panorama's import engine: real-world table files (CSV in the encodings people
//! actually have, XLSX, XLS) read as a stream of rows, and their headers mapped to attributes.
//!
//! A pure pipeline, file → rows → records → batches: [`TableReader`] turns a file into a header
//! and numbered [`Row`]s with memory that does not grow with the file; [`map_headers`] decides
//! what each column means against the [`Schema`](panorama_core::metadata::Schema) in force;
//! [`execute`] writes the batches to the `Store` it is given, reporting to an
//! [`ImportObserver`]. Running an import as a recorded job (its lease, progress and end) is the
//! server's job runner (`panorama_server::jobs`), which the CLI uses too.

mod cell;
pub mod codes;
mod convert;
mod csv;
mod delimiter;
pub mod encoding;
mod execute;
mod header;
pub mod mapping;
mod options;
mod purpose;
mod reader;
mod rejected;
mod report;
mod request;
mod row;
mod run;
mod seen;
pub mod source;
pub mod testing;
mod xlsx;
mod xlsx_guard;

pub use convert::{RejectedRow, RowConverter};
pub use encoding::TextEncoding;
pub use execute::{BATCHES_AHEAD_MAX, execute, resolve_labels};
pub use mapping::{Column, ColumnMap, MappingError, map_headers};
pub use options::*;
pub use panorama_core::spreadsheet::neutralise;
pub use purpose::*;
pub use reader::TableReader;
pub use rejected::RejectedWriter;
pub use report::*;
pub use request::ImportRequest;
pub use row::{Row, RowIssue};
pub use run::{Prepared, prepare, prepare_preview};
pub use seen::{SEEN_KEYS_IN_MEMORY_MAX, SEEN_PARTITIONS};
pub use source::FileFormat;
