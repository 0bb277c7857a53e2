//! Person names for the demo company: Chinese names with their pinyin, Latin names with an ASCII
//! spelling, and WeChat nicknames.

use super::pick;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A generated person name and the ASCII words an email local part can be built from.
#[derive(Debug, Clone)]
pub(super) struct PersonName {
    /// The name as written (`王芳`, `Zoe Chen`).
    pub full: String,
    /// The given name as written, for nicknames.
    pub given: String,
    /// ASCII given name (`fang`, `zoe`).
    pub given_ascii: String,
    /// ASCII family name (`wang`, `chen`).
    pub family_ascii: String,
    /// Whether the name is Chinese.
    pub chinese: bool,
}

/// Common surnames, roughly in order of frequency, with their pinyin. The first ones are picked
/// more often.
#[rustfmt::skip]
const SURNAMES: &[(&str, &str)] = &[
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
    ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
    ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
    ("郭", "guo"), ("何", "he"), ("林", "lin"), ("高", "gao"), ("罗", "luo"),
    ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
    ("袁", "yuan"), ("潘", "pan"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"),
    ("杜", "du"), ("叶", "ye"), ("程", "cheng"), ("魏", "wei"), ("苏", "su"),
    ("欧阳", "ouyang"), ("司马", "sima"),
];

/// Characters of given names usually chosen for girls.
#[rustfmt::skip]
const GIVEN_FEMALE: &[(&str, &str)] = &[
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("婷", "ting"), ("雪", "xue"), ("慧", "hui"), ("颖", "ying"), ("琳", "lin"),
    ("欣", "xin"), ("怡", "yi"), ("佳", "jia"), ("梦", "meng"), ("雨", "yu"),
    ("萱", "xuan"), ("思", "si"), ("晓", "xiao"), ("月", "yue"), ("倩", "qian"),
    ("婉", "wan"), ("妍", "yan"), ("诗", "shi"), ("涵", "han"), ("薇", "wei"),
];

/// Characters of given names usually chosen for boys.
#[rustfmt::skip]
const GIVEN_MALE: &[(&str, &str)] = &[
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("鹏", "peng"),
    ("浩", "hao"), ("宇", "yu"), ("轩", "xuan"), ("博", "bo"), ("辉", "hui"),
    ("刚", "gang"), ("建", "jian"), ("志", "zhi"), ("文", "wen"), ("俊", "jun"),
    ("昊", "hao"), ("晨", "chen"), ("子", "zi"), ("天", "tian"), ("嘉", "jia"),
];

/// Latin given names for women and men.
#[rustfmt::skip]
const LATIN_FEMALE: &[&str] = &[
    "Zoe", "Anna", "Emily", "Grace", "Lily", "Sophia", "Olivia", "Emma", "Chloe", "Mia",
    "Vivian", "Cindy", "Amy", "Iris", "Hannah", "Claire",
];
#[rustfmt::skip]
const LATIN_MALE: &[&str] = &[
    "Michael", "David", "Kevin", "Jason", "Eric", "Daniel", "Peter", "Tom", "Lukas", "Jonas",
    "Leo", "Frank", "Brian", "Henry", "Simon", "Oliver",
];

/// Latin family names with their ASCII spelling: Chinese family names in pinyin (the English
/// names of Chinese staff) and European ones (expatriates, foreign customers).
#[rustfmt::skip]
const LATIN_FAMILY: &[(&str, &str)] = &[
    ("Chen", "chen"), ("Wang", "wang"), ("Li", "li"), ("Zhang", "zhang"), ("Liu", "liu"),
    ("Huang", "huang"), ("Lin", "lin"), ("Wu", "wu"), ("Zhou", "zhou"), ("Xu", "xu"),
    ("Müller", "mueller"), ("Schmidt", "schmidt"), ("Smith", "smith"), ("Johnson", "johnson"),
    ("Brown", "brown"), ("García", "garcia"), ("Martin", "martin"), ("Dubois", "dubois"),
    ("Rossi", "rossi"), ("Novak", "novak"), ("Jensen", "jensen"), ("Nguyen", "nguyen"),
];

/// Nicknames people choose on WeChat.
#[rustfmt::skip]
const NICKNAMES: &[&str] = &[
    "小鱼儿", "追梦人", "一只猫", "晴天", "木子", "岁月静好", "向日葵", "路人甲", "快乐每一天",
    "风轻云淡", "听海", "柠檬不酸", "小太阳", "南风", "平安是福", "大白", "阿狸", "知足常乐",
    "Lucky", "Sunny", "Coco", "Momo", "Kiki", "Leo", "Cherry", "Summer",
];

/// A name for a person of `gender`; about 70% are Chinese.
pub(super) fn person(rng: &mut ChaCha8Rng, gender: &str) -> PersonName {
    let female = match gender {
        "female" => true,
        "male" => false,
        _ => rng.random_bool(0.5),
    };
    if rng.random_bool(0.7) {
        // Frequent surnames first: half of the picks come from the ten most common.
        let surname = if rng.random_bool(0.5) {
            pick(rng, &SURNAMES[..10])
        } else {
            pick(rng, SURNAMES)
        };
        let pool = if female { GIVEN_FEMALE } else { GIVEN_MALE };
        let first = pick(rng, pool);
        let (given, given_ascii) = if rng.random_bool(0.6) {
            let second = pick(rng, pool);
            (
                format!("{}{}", first.0, second.0),
                format!("{}{}", first.1, second.1),
            )
        } else {
            (first.0.to_owned(), first.1.to_owned())
        };
        PersonName {
            full: format!("{}{given}", surname.0),
            given,
            given_ascii,
            family_ascii: surname.1.to_owned(),
            chinese: true,
        }
    } else {
        let given = pick(rng, if female { LATIN_FEMALE } else { LATIN_MALE });
        let family = pick(rng, LATIN_FAMILY);
        PersonName {
            full: format!("{given} {}", family.0),
            given: given.to_owned(),
            given_ascii: given.to_ascii_lowercase(),
            family_ascii: family.1.to_owned(),
            chinese: false,
        }
    }
}

/// A WeChat nickname, sometimes made from the person's given name.
pub(super) fn nickname(rng: &mut ChaCha8Rng, name: Option<&PersonName>) -> String {
    match name {
        Some(name) if name.chinese && rng.random_bool(0.3) => {
            let last = name
                .given
                .chars()
                .last()
                .map(String::from)
                .unwrap_or_default();
            format!("{}{last}", pick(rng, &["阿", "小", "大"]))
        }
        Some(name) if !name.chinese && rng.random_bool(0.4) => name.given.clone(),
        _ => pick(rng, NICKNAMES).to_owned(),
    }
}
