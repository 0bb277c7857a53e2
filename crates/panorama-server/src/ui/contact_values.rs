//! A contact's values as its page shows them to one principal: masked where the principal may
//! not read them, with a reveal button where it may reveal one (`static/app.js` calls
//! `POST /api/v1/contacts/{id}/reveal`).

use crate::app::mask::attribute_mask;
use crate::principal::Principal;
use crate::ui::clock::Clock;
use crate::ui::format;
use crate::ui::i18n::Lang;
use panorama_core::contact::Contact;
use panorama_core::metadata::{AttributeDef, AttributeType, SYSTEM_ATTRIBUTES, Schema};
use serde_json::Value as Json;
use std::collections::BTreeMap;

/// A label and value of the identity card.
pub struct Fact {
    pub(crate) label: String,
    /// The attribute shown, which the reveal button names.
    pub(crate) attribute: &'static str,
    pub(crate) value: String,
    /// Whether the value is masked and the principal may reveal it.
    pub(crate) reveal: bool,
}

/// One attribute row.
pub struct AttributeView {
    pub(crate) name: String,
    pub(crate) label: String,
    pub(crate) kind: &'static str,
    pub(crate) value: String,
    /// Whether the value is masked and the principal may reveal it.
    pub(crate) reveal: bool,
    /// How an admin edits it in place; `None` for computed and system attributes.
    pub(crate) edit: Option<EditView>,
}

/// The inline edit control of one attribute (admins only).
pub struct EditView {
    /// `select`, `date` or `text`.
    pub(crate) input: &'static str,
    /// `(value, shown name)` for a select box; the empty choice clears.
    pub(crate) options: Vec<(String, String)>,
    /// The stored value as it is typed back (enum and boolean: the machine value).
    pub(crate) current: String,
}

/// The identity card's attributes, in order: the keys, then what marketers look at first.
pub const FACTS: [&str; 8] = [
    "mobile",
    "email",
    "wechat_nickname",
    "gender",
    "city",
    "member_level",
    "last_order_at",
    "order_amount",
];

/// A contact's values for one principal.
pub struct ShownValues<'a> {
    lang: Lang,
    /// The page's clock, for times.
    clock: &'a Clock,
    schema: &'a Schema,
    contact: &'a Contact,
    /// The values after masking; equal to the stored ones for admins.
    shown: BTreeMap<String, Json>,
    can_reveal: bool,
}

impl<'a> ShownValues<'a> {
    /// The values of `contact` as `principal` may read them, times on `clock`.
    pub fn new(
        lang: Lang,
        clock: &'a Clock,
        schema: &'a Schema,
        contact: &'a Contact,
        principal: &Principal,
    ) -> Self {
        let mut shown = contact.attributes.clone();
        attribute_mask(principal, schema).apply(&mut shown);
        Self {
            lang,
            clock,
            schema,
            contact,
            shown,
            can_reveal: principal.can_reveal(),
        }
    }

    /// Attribute `name` as text; empty when absent.
    pub fn text(&self, name: &str) -> String {
        format::value(
            self.lang,
            self.clock,
            self.schema.get(name),
            self.shown.get(name),
        )
    }

    /// Whether `name` is shown masked and may be revealed by this principal.
    fn reveal(&self, name: &str) -> bool {
        self.can_reveal && self.shown.get(name) != self.contact.attributes.get(name)
    }

    /// The identity card's attribute facts.
    pub fn facts(&self) -> Vec<Fact> {
        FACTS
            .into_iter()
            .filter_map(|attribute| {
                let def = self.schema.get(attribute)?;
                Some(Fact {
                    label: def.label(self.lang.language()).to_owned(),
                    attribute,
                    value: self.text(attribute),
                    reveal: self.reveal(attribute),
                })
            })
            .collect()
    }

    /// The edit control of `def` for an admin, `None` where values are not typed by people.
    fn edit(&self, def: &AttributeDef, may_edit: bool) -> Option<EditView> {
        let name = def.name.as_str();
        if !may_edit || def.computed || SYSTEM_ATTRIBUTES.contains(&name) {
            return None;
        }
        let current = match self.contact.attributes.get(name) {
            None | Some(Json::Null) => String::new(),
            Some(value) => panorama_core::value::display(value),
        };
        let language = self.lang.language();
        let (input, options) = match def.attribute_type {
            AttributeType::Enum => (
                "select",
                def.enum_values
                    .iter()
                    .map(|v| (v.clone(), def.value_label(v, language).to_owned()))
                    .collect(),
            ),
            AttributeType::Boolean => (
                "select",
                vec![
                    ("true".to_owned(), self.lang.t("common.yes").to_owned()),
                    ("false".to_owned(), self.lang.t("common.no").to_owned()),
                ],
            ),
            AttributeType::Date => ("date", Vec::new()),
            _ => ("text", Vec::new()),
        };
        Some(EditView {
            input,
            options,
            current,
        })
    }

    /// Every attribute of the schema, system ones included; with their edit controls when
    /// `may_edit` (admins).
    pub fn attributes(&self, may_edit: bool) -> Vec<AttributeView> {
        let contact = self.contact;
        self.schema
            .attributes()
            .iter()
            .map(|def| {
                let name = def.name.as_str();
                let value = match name {
                    "contact_id" => contact.contact_id.to_string(),
                    "created_at" => self.clock.time(contact.created_at),
                    "updated_at" => self.clock.time(contact.updated_at),
                    other => self.text(other),
                };
                AttributeView {
                    name: name.to_owned(),
                    label: def.label(self.lang.language()).to_owned(),
                    kind: format::type_name(self.lang, def.attribute_type),
                    value,
                    reveal: self.reveal(name),
                    edit: self.edit(def, may_edit),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::Role;
    use panorama_core::contact::{ContactId, Subscription};
    use panorama_core::metadata::preset_attributes;
    use serde_json::json;

    fn contact() -> Contact {
        let at = jiff::Timestamp::from_second(1_700_000_000).expect("time");
        Contact {
            contact_id: ContactId::new(),
            attributes: [
                ("name", json!("张伟")),
                ("mobile", json!("+8613812345678")),
                ("email", json!("zhang@example.com")),
                ("city", json!("上海")),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            subscription: Subscription::subscribed(at, "test"),
            created_at: at,
            updated_at: at,
        }
    }

    fn principal(role: Role, may_reveal: bool) -> Principal {
        Principal {
            name: "someone".into(),
            role,
            may_reveal,
        }
    }

    /// The mobile fact and the email attribute row: `(value, reveal)` each.
    fn shown(principal: &Principal) -> [(String, bool); 2] {
        let schema = Schema::new(preset_attributes());
        let contact = contact();
        let clock = Clock::new(jiff::tz::TimeZone::UTC);
        let values = ShownValues::new(Lang::En, &clock, &schema, &contact, principal);
        let mobile = values.facts().into_iter().find(|f| f.attribute == "mobile");
        let email = values
            .attributes(false)
            .into_iter()
            .find(|a| a.name == "email");
        let mobile = mobile.expect("a mobile fact");
        let email = email.expect("an email row");
        assert_eq!(
            values.text("city"),
            "上海",
            "other values are shown as stored"
        );
        [(mobile.value, mobile.reveal), (email.value, email.reveal)]
    }

    #[test]
    fn the_page_masks_for_everyone_but_admins() {
        let masked = |reveal| {
            [
                ("+86138****5678".to_owned(), reveal),
                ("z***@example.com".to_owned(), reveal),
            ]
        };
        assert_eq!(shown(&principal(Role::Viewer, true)), masked(false));
        assert_eq!(shown(&principal(Role::Marketer, false)), masked(false));
        assert_eq!(shown(&principal(Role::Marketer, true)), masked(true));
        assert_eq!(
            shown(&Principal::local_admin()),
            [
                ("+8613812345678".to_owned(), false),
                ("zhang@example.com".to_owned(), false)
            ]
        );
    }

    #[test]
    fn chinese_pages_show_chinese_names_and_values_and_admins_get_edit_controls() {
        let schema = Schema::new(preset_attributes());
        let mut contact = contact();
        contact
            .attributes
            .insert("gender".to_owned(), json!("male"));
        let admin = Principal::local_admin();
        let clock = Clock::new(jiff::tz::TimeZone::UTC);
        let values = ShownValues::new(Lang::Zh, &clock, &schema, &contact, &admin);
        let gender = values
            .facts()
            .into_iter()
            .find(|f| f.attribute == "gender")
            .expect("gender is on the identity card");
        assert_eq!(
            (gender.label.as_str(), gender.value.as_str()),
            ("性别", "男")
        );
        let rows = values.attributes(true);
        let row = |name: &str| rows.iter().find(|a| a.name == name).expect("a row");
        assert_eq!(row("mobile").label, "手机号");
        let edit = row("gender").edit.as_ref().expect("gender is editable");
        assert_eq!(edit.input, "select");
        assert_eq!(edit.current, "male");
        assert!(
            edit.options
                .contains(&("female".to_owned(), "女".to_owned()))
        );
        assert!(
            row("order_count").edit.is_none(),
            "computed stays read-only"
        );
        assert!(row("created_at").edit.is_none(), "system stays read-only");
        assert!(values.attributes(false).iter().all(|a| a.edit.is_none()));
    }
}
