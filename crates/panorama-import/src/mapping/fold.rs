//! How headers are compared, and how a header that matches nothing is given suggestions.
//!
//! Folding ignores what people vary without meaning anything: case, full-width forms
//! (`Ｅｍａｉｌ`), spaces, `_`, `-` and `.` (`E-mail`, `member_id`, `Mobile Phone`).
//! Suggestions rank attributes by how much of a header they share with one of their names:
//! deterministic, with no table beyond [`super::synonyms`].

use panorama_core::metadata::{AttributeDef, Schema};
use panorama_core::text::fold_width;

/// Suggestions given per unmatched header.
pub const SUGGESTIONS_MAX: usize = 3;
/// Least similarity (in thousandths) for an attribute to be suggested.
const SIMILARITY_MIN: u32 = 340;

/// `text` folded for comparison: full-width forms to ASCII, lower case, without spaces, `_`,
/// `-` or `.`.
pub fn fold(text: &str) -> String {
    fold_width(text.trim())
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | '·'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every folded name `def` goes by: machine name, display names, synonyms.
fn names(def: &AttributeDef) -> impl Iterator<Item = String> + '_ {
    std::iter::once(fold(def.name.as_str()))
        .chain(def.labels().map(fold))
        .chain(
            super::synonyms::of(def.name.as_str())
                .iter()
                .map(|w| fold(w)),
        )
}

/// Similarity of two folded names, in thousandths: containment scores high (`客户手机` holds
/// `手机`), otherwise the Dice coefficient of their character pairs.
fn similarity(a: &str, b: &str) -> u32 {
    let (ca, cb) = (a.chars().count(), b.chars().count());
    if ca == 0 || cb == 0 {
        return 0;
    }
    if a == b {
        return 1000;
    }
    let (short, long) = if ca <= cb { (ca, cb) } else { (cb, ca) };
    if short >= 2 && (a.contains(b) || b.contains(a)) {
        // 600 to 1000 by how much of the longer name the shorter covers.
        return 600 + (400 * short / long) as u32;
    }
    let pairs = |s: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = s.chars().collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (pa, mut pb) = (pairs(a), pairs(b));
    if pa.is_empty() || pb.is_empty() {
        return 0;
    }
    let total = pa.len() + pb.len();
    let mut shared = 0;
    for pair in &pa {
        if let Some(position) = pb.iter().position(|p| p == pair) {
            pb.swap_remove(position);
            shared += 1;
        }
    }
    (2000 * shared / total) as u32
}

/// Up to [`SUGGESTIONS_MAX`] attributes `header` may mean, best first (ties in schema order),
/// leaving out computed attributes and those in `taken`.
pub fn suggest(schema: &Schema, header: &str, taken: &[&str]) -> Vec<String> {
    let folded = fold(header);
    let mut scored: Vec<(u32, usize, &AttributeDef)> = schema
        .attributes()
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.computed && !taken.contains(&d.name.as_str()))
        .filter_map(|(position, def)| {
            let best = names(def).map(|n| similarity(&folded, &n)).max()?;
            (best >= SIMILARITY_MIN).then_some((best, position, def))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(SUGGESTIONS_MAX)
        .map(|(_, _, def)| def.name.as_str().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use panorama_core::metadata::preset_attributes;

    #[test]
    fn folding_ignores_case_width_and_separators() {
        assert_eq!(fold(" Ｅ－Ｍａｉｌ "), "email");
        assert_eq!(fold("Mobile_Phone"), "mobilephone");
        assert_eq!(fold("手机 号"), "手机号");
    }

    #[test]
    fn suggestions_rank_by_shared_characters() {
        let schema = Schema::new(preset_attributes());
        assert_eq!(
            suggest(&schema, "客户手机", &[])
                .first()
                .map(String::as_str),
            Some("mobile")
        );
        assert_eq!(
            suggest(&schema, "Mobil", &[]).first().map(String::as_str),
            Some("mobile")
        );
        assert!(
            suggest(&schema, "客户手机", &["mobile"])
                .iter()
                .all(|s| s != "mobile")
        );
        assert_eq!(suggest(&schema, "备注", &[]), Vec::<String>::new());
        assert!(
            suggest(&schema, "created", &[])
                .iter()
                .all(|s| s != "created_at")
        );
    }
}
