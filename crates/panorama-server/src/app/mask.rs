//! What one request may read of mobiles and emails: the principal's [`Masking`] and the
//! [`AttributeMask`] the JSON shapes, the pages and the exports apply (rules in
//! `panorama_core::mask`).
//!
//! Masking happens where values leave the server and nowhere else: handlers still search, match
//! and decide on stored values (a viewer finds a contact by its full mobile; deliverability
//! compares the real addresses).

use crate::AppState;
use crate::principal::Principal;
use panorama_core::Result;
use panorama_core::mask::{AttributeMask, Masking};
use panorama_core::metadata::Schema;
use serde_json::Value as Json;

/// Whether `principal` reads mobiles and emails masked.
pub fn masking(principal: &Principal) -> Masking {
    Masking::unless(principal.sees_unmasked())
}

/// The mask of contact values for `principal` over `schema`.
pub fn attribute_mask(principal: &Principal, schema: &Schema) -> AttributeMask {
    AttributeMask::new(masking(principal), schema.attributes())
}

/// The mask of contact values for `principal`; the schema is looked up only when something is
/// masked.
pub async fn load_attribute_mask(state: &AppState, principal: &Principal) -> Result<AttributeMask> {
    if masking(principal) == Masking::Unmasked {
        return Ok(AttributeMask::unmasked());
    }
    let schema = state.schema().await?;
    Ok(attribute_mask(principal, &schema))
}

/// An email address (a hard bounce's) as `mask` shows the `email` attribute.
pub fn address(mask: &AttributeMask, address: &str) -> String {
    match mask.value("email", &Json::String(address.to_owned())) {
        Some(masked) => panorama_core::value::display(&masked),
        None => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::Role;
    use panorama_core::metadata::preset_attributes;

    /// A principal of `role`, granted the right to reveal or not.
    pub(crate) fn principal(role: Role, may_reveal: bool) -> Principal {
        Principal {
            name: format!("{}-user", role.as_str()),
            role,
            may_reveal,
        }
    }

    #[test]
    fn only_admins_read_unmasked() {
        let schema = Schema::new(preset_attributes());
        for (role, masked) in [
            (Role::Viewer, true),
            (Role::Marketer, true),
            (Role::Admin, false),
        ] {
            let mask = attribute_mask(&principal(role, true), &schema);
            assert_eq!(mask.is_masked(), masked, "{role:?}");
            let shown = address(&mask, "zhang@example.com");
            assert_eq!(shown == "z***@example.com", masked, "{role:?}: {shown}");
        }
    }
}
