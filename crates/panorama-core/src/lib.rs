//! Panorama's domain: metadata and its rules, values parsed at the edge, contacts and identity
//! resolution, consent, and the `Store` trait every database backend implements.
//!
//! This crate knows no database and no HTTP; everything here is plain data and pure rules.

pub mod access;
pub mod collation;
pub mod contact;
pub mod email;
pub mod error;
pub mod event;
pub mod label;
pub mod mask;
pub mod metadata;
pub mod mobile;
pub mod spreadsheet;
pub mod store;
pub mod text;
pub mod value;

pub use error::{Error, ErrorKind, Result, codes};
pub use store::Store;
