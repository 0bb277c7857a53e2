//! The whole-value rule: full values in any spelling match, parts never do.

use super::*;
use crate::mask::AttributeRule;

fn keyword(text: &str) -> Keyword {
    Keyword::parse(text).expect("valid").expect("not empty")
}

fn masked(rule: AttributeRule, text: &str, typed: &str) -> bool {
    SearchMode::WholeMasked.value_matches(rule, &text.to_lowercase(), &keyword(typed))
}

const MOBILE: AttributeRule = AttributeRule::Always(Sensitive::Mobile);
const EMAIL: AttributeRule = AttributeRule::Always(Sensitive::Email);

#[test]
fn a_mobile_matches_whole_in_any_spelling_and_never_in_part() {
    for spelling in [
        "+8613812345678",
        "13812345678",
        "+86 138-1234-5678",
        "008613812345678",
        "8613812345678",
        "(138) 1234 5678",
    ] {
        assert!(masked(MOBILE, "+8613812345678", spelling), "{spelling}");
    }
    for part in ["1380", "138", "5678", "+86138", "1381234567", "38123456789"] {
        assert!(!masked(MOBILE, "+8613812345678", part), "{part}");
    }
    // A stored national spelling in a custom `*_phone` attribute matches its E.164 form too.
    assert!(masked(MOBILE, "138 1234 5678", "+8613812345678"));
    assert!(masked(MOBILE, "+44 7700 900123", "07700900123"));
}

#[test]
fn an_email_matches_whole_in_any_case() {
    assert!(masked(
        EMAIL,
        "Zhang.Wei@Example.com",
        "zhang.wei@EXAMPLE.COM"
    ));
    for part in ["zhang", "zhang.wei@", "z", "@example.com", "example.com"] {
        assert!(!masked(EMAIL, "zhang.wei@example.com", part), "{part}");
    }
}

#[test]
fn free_text_is_whole_only_when_the_mask_hides_it() {
    let detect = AttributeRule::Detect;
    assert!(masked(detect, "北京市朝阳区", "朝阳"));
    assert!(!masked(detect, "13812345678", "1381"));
    assert!(masked(detect, "13812345678", "+86 13812345678"));
    assert!(!masked(detect, "call 13812345678 today", "1381"));
    assert!(masked(
        detect,
        "call 13812345678 today",
        "call 13812345678 today"
    ));
    assert!(!masked(detect, "zhang@example.com", "zhang"));
}

#[test]
fn substring_mode_and_kept_attributes_match_parts() {
    let mode = SearchMode::Substring;
    assert!(!mode.value_matches(MOBILE, "+8613812345678", &keyword("1380")));
    assert!(mode.value_matches(MOBILE, "+8613812345678", &keyword("1381")));
    assert!(SearchMode::WholeMasked.value_matches(AttributeRule::Keep, "12345", &keyword("23")));
    let probe = SearchMode::phone_probe(&keyword("+86 138-1234-5678")).expect("phone-like");
    assert_eq!((probe.tail.as_str(), probe.last), ("5678", '8'));
    let short = SearchMode::phone_probe(&keyword("0012")).expect("phone-like");
    assert_eq!((short.tail.as_str(), short.last), ("2", '2'));
    let national = SearchMode::phone_probe(&keyword("1234")).expect("phone-like");
    assert_eq!(national.tail, "1234");
    let trunk = SearchMode::phone_probe(&keyword("0138")).expect("phone-like");
    assert_eq!(trunk.tail, "138");
    assert_eq!(SearchMode::phone_probe(&keyword("zhang")), None);
}

#[test]
fn roles_choose_the_mode() {
    assert_eq!(SearchMode::for_principal(true, true), SearchMode::Substring);
    assert_eq!(
        SearchMode::for_principal(false, true),
        SearchMode::Substring
    );
    assert_eq!(
        SearchMode::for_principal(false, false),
        SearchMode::WholeMasked
    );
}
