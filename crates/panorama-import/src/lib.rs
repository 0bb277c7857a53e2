//! Panorama's import engine, first layer: real-world table files (CSV in the encodings people
//! actually have, XLSX, XLS) read as a stream of rows, and their headers mapped to attributes.
//!
//! Nothing here touches a database. [`TableReader`] turns a file into a header and numbered
//! [`Row`]s with memory that does not grow with the file; [`map_headers`] decides what each
//! column means against the [`Schema`](panorama_core::metadata::Schema) in force.

mod cell;
pub mod codes;
mod csv;
mod delimiter;
pub mod encoding;
mod header;
pub mod mapping;
mod options;
mod reader;
mod row;
pub mod source;
mod xlsx;

pub use encoding::TextEncoding;
pub use mapping::{Column, ColumnMap, MappingError, map_headers};
pub use options::*;
pub use reader::TableReader;
pub use row::{Row, RowIssue};
pub use source::FileFormat;
