//! Metadata: contact attribute definitions and event definitions, with their rules.

mod attribute;
mod event_presets;
mod events;
mod language;
mod name;
mod preset_install;
mod presets;
mod schema;
mod zh_names;

pub use attribute::*;
pub use event_presets::preset_event_definitions;
pub use events::*;
pub use language::*;
pub use name::*;
pub use preset_install::*;
pub use presets::*;
pub use schema::*;
pub use zh_names::{group_name, preset_property_name};
