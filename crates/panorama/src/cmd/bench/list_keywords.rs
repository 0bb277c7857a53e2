//! Keywords for `bench list`: substrings of 1 to 10 characters drawn from stored values (hits:
//! Chinese names, digit runs of mobiles, ASCII of emails and cities) and strings found nowhere
//! (misses), each with the field it searches; and the sample of stored contacts they come from.

use panorama_core::Store;
use panorama_core::contact::{Category, Contact, Keyword, Search, SearchField};
use panorama_core::store::ContactListQuery;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One measured search.
#[derive(Debug, Clone)]
pub struct Case {
    /// The search.
    pub search: Search,
    /// Keyword length in characters.
    pub chars: usize,
    /// Drawn from the data (true) or made up (false).
    pub hit: bool,
}

fn substring(text: &str, chars: usize, rng: &mut ChaCha8Rng) -> String {
    let all: Vec<char> = text.chars().collect();
    let chars = chars.min(all.len()).max(1);
    let start = rng.random_range(0..=all.len() - chars);
    all[start..start + chars].iter().collect()
}

fn case(field: Option<&str>, keyword: &str, hit: bool) -> Option<Case> {
    let keyword = Keyword::parse(keyword).ok()??;
    Some(Case {
        chars: keyword.as_str().chars().count(),
        search: Search {
            field: field.map_or(SearchField::Any, |f| SearchField::Attribute(f.to_owned())),
            keyword,
            mode: panorama_core::contact::SearchMode::Substring,
        },
        hit,
    })
}

/// `count` hits drawn from `sample` and `count` misses, fields alternating between the value's
/// own attribute and `any`.
pub fn cases(sample: &[Contact], count: usize, seed: u64) -> Vec<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cases = Vec::with_capacity(count * 2);
    let sources = [
        "name",
        "mobile",
        "email",
        "city",
        "address",
        "wechat_nickname",
    ];
    let mut attempts = 0;
    while cases.len() < count && attempts < count * 20 && !sample.is_empty() {
        attempts += 1;
        let contact = &sample[rng.random_range(0..sample.len())];
        let attribute = sources[rng.random_range(0..sources.len())];
        let Some(text) = contact.attributes.get(attribute).and_then(|v| v.as_str()) else {
            continue;
        };
        let chars = match attribute {
            // Names are mostly two or three characters: the short keywords that matter.
            "name" | "wechat_nickname" => rng.random_range(1..=3),
            // Digit runs inside mobiles, with or without the country code.
            "mobile" => rng.random_range(4..=10),
            _ => rng.random_range(1..=10),
        };
        let keyword = substring(text, chars, &mut rng);
        let field = (cases.len() % 2 == 0).then_some(attribute);
        cases.extend(case(field, &keyword, true));
    }
    const MISSES: [&str; 10] = [
        "龘",
        "ξψ",
        "qzxjv",
        "zzqqxx@",
        "囧囧囧",
        "09090909",
        "ǂǂ",
        "xqzvbnmkqz",
        "%_\\'",
        "+999+",
    ];
    for i in 0..count {
        let keyword = MISSES[i % MISSES.len()];
        let field = (i % 2 == 0).then_some(sources[i % sources.len()]);
        cases.extend(case(field, keyword, false));
    }
    cases
}

/// Searches a principal who sees values masked makes (`SearchMode::WholeMasked`): `count` whole
/// mobiles of `sample`, half in their national spelling with separators (`138 1234 5678`), and
/// whole emails, fields alternating between the value's own attribute and `any`; then the digit
/// runs of the oracle (a part of a mobile), which must find nothing.
pub fn masked_cases(sample: &[Contact], count: usize) -> Vec<Case> {
    let mut cases = Vec::with_capacity(count);
    for (i, contact) in sample.iter().cycle().take(count * 4).enumerate() {
        if cases.len() >= count {
            break;
        }
        let attribute = if i % 2 == 0 { "mobile" } else { "email" };
        let Some(text) = contact.attributes.get(attribute).and_then(|v| v.as_str()) else {
            continue;
        };
        let keyword = match text.strip_prefix("+86") {
            Some(national) if i % 4 == 0 && national.len() == 11 => {
                format!("{} {} {}", &national[..3], &national[3..7], &national[7..])
            }
            _ => text.to_owned(),
        };
        let field = (i % 3 != 0).then_some(attribute);
        let part = text.get(3..7).filter(|_| attribute == "mobile");
        for (keyword, hit) in [(Some(keyword.as_str()), true), (part, false)] {
            let Some(mut case) = keyword.and_then(|keyword| case(field, keyword, hit)) else {
                continue;
            };
            case.search.mode = panorama_core::contact::SearchMode::WholeMasked;
            cases.push(case);
        }
    }
    cases
}

/// Contacts spread over the whole list, to draw keywords from.
pub async fn sample(store: &dyn Store, all: u64) -> anyhow::Result<Vec<Contact>> {
    let step = (all / 200).max(1);
    let mut sample = Vec::new();
    for offset in (0..all).step_by(step as usize).take(200) {
        let query = ContactListQuery {
            offset,
            ..ContactListQuery::category(Category::All, 1)
        };
        sample.extend(store.list_contacts(query).await?.items);
    }
    Ok(sample)
}
