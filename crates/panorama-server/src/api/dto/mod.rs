//! The API's JSON shapes, described for the OpenAPI document; core types convert into them.

mod contact;
mod metadata;
mod write;

pub use contact::*;
pub use metadata::*;
pub use write::*;
