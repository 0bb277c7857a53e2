//! The order of texts in sorted lists: CLDR's Chinese collation (`zh`, whose default orders Han
//! characters by pinyin, so 北京 comes before 上海), applied through sort keys: a key is made once
//! per value and keys compare as bytes, so sorting many values costs no collator call per
//! comparison.

use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;
use std::sync::LazyLock;

/// The one collator, from ICU4X's compiled data; `None` only if that data lacked `zh`, when
/// texts sort by code point instead.
static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    let locale: Locale = "zh".parse().ok()?;
    CollatorBorrowed::try_new(
        CollatorPreferences::from(&locale),
        CollatorOptions::default(),
    )
    .ok()
});

/// The sort key of `text`: comparing two keys as bytes orders their texts as the `zh` collation
/// does (pinyin for Han, then by case and accents only between texts equal otherwise).
pub fn sort_key(text: &str) -> Box<[u8]> {
    match COLLATOR.as_ref() {
        Some(collator) => {
            let mut key = Vec::with_capacity(text.len() * 2 + 4);
            // Writing into a vector cannot fail.
            match collator.write_sort_key_to(text, &mut key) {
                Ok(()) => key.into_boxed_slice(),
                Err(never) => match never {},
            }
        }
        None => text.as_bytes().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted(texts: &[&str]) -> Vec<String> {
        let mut texts: Vec<&str> = texts.to_vec();
        texts.sort_by_key(|t| sort_key(t));
        texts.into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn han_sorts_by_pinyin() {
        assert!(COLLATOR.is_some(), "the zh collation is compiled in");
        assert_eq!(
            sorted(&["上海", "北京", "广州", "成都", "深圳", "杭州"]),
            ["北京", "成都", "广州", "杭州", "上海", "深圳"]
        );
        // 王 (wáng) before 张 (zhāng), though U+738B > U+5F20; 芳 (fāng) before 伟 (wěi).
        assert_eq!(
            sorted(&["张伟", "王伟", "王芳", "李娜"]),
            ["李娜", "王芳", "王伟", "张伟"]
        );
    }

    #[test]
    fn latin_ignores_case_before_anything_else() {
        assert_eq!(
            sorted(&["bob", "Anna", "anna", "Zoe"]),
            ["anna", "Anna", "bob", "Zoe"]
        );
        assert_eq!(sorted(&["10", "9", "1"]), ["1", "10", "9"]);
    }

    proptest! {
        /// Keys order texts exactly as the collator compares them.
        #[test]
        fn keys_agree_with_the_collator(a in "\\PC{0,6}", b in "[a-zA-Z上海北京王张 ]{0,6}") {
            let collator = COLLATOR.as_ref().expect("compiled data");
            prop_assert_eq!(sort_key(&a).cmp(&sort_key(&b)), collator.compare(&a, &b));
        }
    }
}
