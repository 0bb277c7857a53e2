//! The API's JSON shapes, described for the OpenAPI document; core types convert into them.

mod consent;
mod contact;
mod labels;
mod metadata;
mod write;

pub use consent::*;
pub use contact::*;
pub use labels::*;
pub use metadata::*;
pub use write::*;
