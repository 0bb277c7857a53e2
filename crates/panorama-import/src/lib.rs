//! Panorama's import engine: real-world table files (CSV in the encodings people
//! actually have, XLSX, XLS) read as a stream of rows, and their headers mapped to attributes.
//!
//! Nothing here touches a database. [`TableReader`] turns a file into a header and numbered
//! [`Row`]s with memory that does not grow with the file; [`map_headers`] decides what each
//! column means against the [`Schema`](panorama_core::metadata::Schema) in force.

mod cell;
pub mod codes;
mod convert;
mod csv;
mod delimiter;
pub mod encoding;
mod execute;
mod header;
mod job;
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
pub use job::{IMPORT_JOB_KIND, new_import_job, run_import_job};
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
