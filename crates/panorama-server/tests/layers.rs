//! The server's layers, held by a scan of its own source (ENGINEERING.md, "Layers"): the pages
//! (`ui/`) and the API (`api/`) are siblings that never import each other; the jobs reach use
//! cases through the application layer (`app/`), never through the API; `app/` knows neither
//! `api/` nor `ui/`. And metadata is written only by the metadata use cases
//! (`app/metadata.rs`, `app/event_definitions.rs`), which drop the cached schema: a write
//! anywhere else would leave every page on the old definitions.
//!
//! A failure names the file, the line and the rule it breaks.

use std::path::{Path, PathBuf};

/// One rule: code in the files `applies` accepts must not reach `module` (a path below the crate
/// root, `api` for `crate::api`).
struct ImportRule {
    applies: fn(&str) -> bool,
    module: &'static str,
    why: &'static str,
}

const IMPORT_RULES: &[ImportRule] = &[
    ImportRule {
        applies: |file| file.starts_with("ui/"),
        module: "api",
        why: "pages call the application layer (`app/`), never the API",
    },
    ImportRule {
        applies: |file| file.starts_with("jobs/") || file == "jobs.rs",
        module: "api",
        why: "jobs call the application layer (`app/`), never the API",
    },
    ImportRule {
        applies: |file| file.starts_with("api/"),
        module: "ui",
        why: "the API and the pages are siblings: the API never imports the pages",
    },
    ImportRule {
        applies: |file| file.starts_with("app/"),
        module: "api",
        why: "the application layer sits under the API, it never imports it",
    },
    ImportRule {
        applies: |file| file.starts_with("app/"),
        module: "ui",
        why: "the application layer sits under the pages, it never imports them",
    },
];

/// The store's metadata writes, as method calls.
const METADATA_WRITES: &[&str] = &[
    ".create_attribute(",
    ".update_attribute(",
    ".delete_attribute(",
    ".create_event_definition(",
    ".update_event_definition(",
    ".delete_event_definition(",
];

/// The only files that may write metadata: they drop the cached schema after every write.
const METADATA_WRITERS: &[&str] = &["app/metadata.rs", "app/event_definitions.rs"];

/// A line with its comment cut off (`//` to the end; a URL in a string loses its tail, which
/// only hides text, never adds any).
fn code(line: &str) -> &str {
    line.find("//").map_or(line, |at| &line[..at])
}

/// Whether `code` names `crate::<module>` (or `super::<module>` from the crate root's
/// children), directly or inside a `crate::{...}` group.
fn reaches(code: &str, module: &str) -> bool {
    let word_end = |rest: &str| {
        rest.strip_prefix(module)
            .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
    };
    for root in ["crate::", "panorama_server::"] {
        let mut rest = code;
        while let Some(at) = rest.find(root) {
            rest = &rest[at + root.len()..];
            if word_end(rest) {
                return true;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                if group.split(',').any(|item| word_end(item.trim())) {
                    return true;
                }
            }
        }
    }
    false
}

/// Every broken rule in `files` (path below `src/`, text), one line each.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (file, text) in files {
        for (number, line) in text.lines().enumerate() {
            let line_code = code(line);
            for rule in IMPORT_RULES.iter().filter(|rule| (rule.applies)(file)) {
                if reaches(line_code, rule.module) {
                    found.push(format!(
                        "src/{file}:{}: reaches `crate::{}`: {}\n    {}",
                        number + 1,
                        rule.module,
                        rule.why,
                        line.trim()
                    ));
                }
            }
            if METADATA_WRITERS.contains(&file.as_str()) {
                continue;
            }
            for write in METADATA_WRITES {
                if line_code.contains(write) {
                    found.push(format!(
                        "src/{file}:{}: writes metadata (`{}`) outside app/metadata.rs and \
                         app/event_definitions.rs, so the cached schema would not be dropped\n    {}",
                        number + 1,
                        write.trim_matches(['.', '(']),
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

/// Every `.rs` file under `dir`, as (path below `root`, text).
fn sources(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path.strip_prefix(root).expect("below the root");
            let name = name.to_string_lossy().replace('\\', "/");
            out.push((name, text));
        }
    }
}

#[test]
fn pages_api_jobs_and_app_keep_their_layers() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    // Not a vacuous pass: each layer the rules talk about is there.
    for layer in ["ui/", "api/", "app/", "jobs/"] {
        let count = files.iter().filter(|(f, _)| f.starts_with(layer)).count();
        assert!(
            count >= 3,
            "only {count} files under src/{layer}: did the layout change?"
        );
    }
    let found = violations(&files);
    assert!(
        found.is_empty(),
        "{} layer rule(s) broken:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_scan_catches_every_way_across() {
    let file = |name: &str, text: &str| (name.to_owned(), text.to_owned());
    let files = [
        file(
            "ui/contacts.rs",
            "use crate::api::dto::mask::attribute_mask;",
        ),
        file("ui/grouped.rs", "use crate::{AppState, api, audit};"),
        file(
            "jobs/bulk/action.rs",
            "    let f: crate::api::Filter = todo();",
        ),
        file("jobs.rs", "use crate::api;"),
        file("api/labels.rs", "use crate::ui::page::render;"),
        file("app/mask.rs", "let x = crate::ui::format::value(v);"),
        file(
            "ui/names.rs",
            "            .update_attribute(&name, &patch)",
        ),
    ];
    let found = violations(&files);
    for (name, _) in &files {
        assert!(
            found
                .iter()
                .any(|v| v.starts_with(&format!("src/{name}:1:"))),
            "{name} not caught: {found:#?}"
        );
    }
    let clean = [
        file(
            "ui/contacts.rs",
            "use crate::app::mask; // not crate::api::dto",
        ),
        file(
            "ui/apis.rs",
            "use crate::apis::x; use crate::application::y;",
        ),
        file(
            "api/attributes.rs",
            "metadata::create_attribute(&state, &principal, &new)",
        ),
        file("app/metadata.rs", "state.store.create_attribute(new).await"),
        file("api/page.rs", "use crate::app::views::contact_columns;"),
    ];
    assert_eq!(violations(&clean), Vec::<String>::new());
}
