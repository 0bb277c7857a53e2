//! `panorama attributes`: list, add, change and delete contact attribute definitions.

use crate::cli::DatabaseArgs;
use clap::{Args, Subcommand};
use panorama_core::metadata::{AttributeDef, AttributePatch, Language, NewAttribute, Translations};

/// Options of `attributes`.
#[derive(Debug, Args)]
pub struct AttributesArgs {
    /// Database to use.
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// What to do with attributes.
    #[command(subcommand)]
    pub action: Action,
}

/// What to do with attributes.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// List every attribute with its type and flags.
    List,
    /// Add a custom attribute.
    Add {
        /// Machine name: ASCII snake_case, never changes.
        name: String,
        /// Display name (may be Chinese); defaults to the machine name.
        #[arg(long)]
        display_name: Option<String>,
        /// English display name, where it differs from --display-name.
        #[arg(long)]
        name_en: Option<String>,
        /// Simplified Chinese display name (会员卡号), where it differs from --display-name.
        #[arg(long)]
        name_zh: Option<String>,
        /// Type: string, integer, decimal, date, datetime, boolean, enum.
        #[arg(long = "type", default_value = "string")]
        attribute_type: String,
        /// Maximum length in characters (strings; default 255).
        #[arg(long)]
        max_length: Option<u32>,
        /// Digits after the decimal point (decimals; default 2).
        #[arg(long)]
        scale: Option<u32>,
        /// Allowed values, comma-separated (enums).
        #[arg(long, value_delimiter = ',')]
        enum_values: Vec<String>,
        /// Offer it in search.
        #[arg(long)]
        searchable: Option<bool>,
        /// Offer it as a sort column.
        #[arg(long)]
        sortable: Option<bool>,
    },
    /// Change an attribute's display name, length or flags.
    Update {
        /// Machine name of the attribute.
        name: String,
        /// New display name (custom attributes).
        #[arg(long)]
        display_name: Option<String>,
        /// English display name (presets too; an empty value removes it).
        #[arg(long)]
        name_en: Option<String>,
        /// Simplified Chinese display name (presets too; an empty value removes it).
        #[arg(long)]
        name_zh: Option<String>,
        /// New maximum length (refused if stored values are longer).
        #[arg(long)]
        max_length: Option<u32>,
        /// Searchable flag.
        #[arg(long)]
        searchable: Option<bool>,
        /// Sortable flag.
        #[arg(long)]
        sortable: Option<bool>,
        /// Primary-key flag (accepted only if stored values are unique).
        #[arg(long)]
        primary_key: Option<bool>,
    },
    /// Delete a custom attribute and its values on every contact.
    Delete {
        /// Machine name of the attribute.
        name: String,
    },
}

/// Run an attributes action.
pub async fn run(args: AttributesArgs) -> anyhow::Result<()> {
    let store = crate::database::open(&args.database.database).await?;
    match args.action {
        Action::List => {
            println!(
                "{:<24} {:<20} {:<9} {:>6}  flags",
                "name", "display name", "type", "length"
            );
            for def in store.list_attributes().await? {
                println!("{}", row(&def));
            }
        }
        Action::Add {
            name,
            display_name,
            name_en,
            name_zh,
            attribute_type,
            max_length,
            scale,
            enum_values,
            searchable,
            sortable,
        } => {
            let new = NewAttribute {
                display_name: display_name.unwrap_or_else(|| name.clone()),
                names: Translations {
                    en: name_en,
                    zh: name_zh,
                },
                name,
                attribute_type,
                max_length,
                scale,
                enum_values,
                searchable,
                sortable,
                ..NewAttribute::default()
            };
            let def = store.create_attribute(&new).await?;
            println!("added {}", row(&def));
        }
        Action::Update {
            name,
            display_name,
            name_en,
            name_zh,
            max_length,
            searchable,
            sortable,
            primary_key,
        } => {
            let names = (name_en.is_some() || name_zh.is_some()).then_some(Translations {
                en: name_en,
                zh: name_zh,
            });
            let patch = AttributePatch {
                display_name,
                names,
                max_length,
                searchable,
                sortable,
                primary_key,
                ..AttributePatch::default()
            };
            let def = store.update_attribute(&name, &patch).await?;
            println!("changed {}", row(&def));
        }
        Action::Delete { name } => {
            store.delete_attribute(&name).await?;
            println!("deleted {name} and its values on every contact");
        }
    }
    Ok(())
}

fn row(def: &AttributeDef) -> String {
    let flags: Vec<&str> = [
        (def.primary_key, "key"),
        (def.preset, "preset"),
        (!def.preset, "custom"),
        (def.searchable, "searchable"),
        (def.sortable, "sortable"),
        (def.computed, "computed"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    let length = def.max_length.map(|l| l.to_string()).unwrap_or_default();
    format!(
        "{:<24} {:<20} {:<9} {:>6}  {}",
        def.name,
        format!("{} / {}", def.label(Language::En), def.label(Language::Zh)),
        def.attribute_type.as_str(),
        length,
        flags.join(",")
    )
}
