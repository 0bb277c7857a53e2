//! Metadata: contact attribute definitions and event definitions, with their rules.

mod attribute;
mod event_presets;
mod events;
mod name;
mod presets;
mod schema;

pub use attribute::*;
pub use event_presets::preset_event_definitions;
pub use events::*;
pub use name::*;
pub use presets::*;
pub use schema::*;
