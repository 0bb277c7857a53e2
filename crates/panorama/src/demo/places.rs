//! Places for the demo company: consistent province and city pairs, street addresses, stores and
//! employers with their email domains.

use super::pick;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A city where customers live: its province, its name and some of its districts.
#[derive(Debug, Clone, Copy)]
pub(super) struct City {
    /// Province (or municipality) as customers write it.
    pub province: &'static str,
    /// City name.
    pub city: &'static str,
    /// Districts used in addresses.
    pub districts: &'static [&'static str],
}

const fn city(
    province: &'static str,
    city: &'static str,
    districts: &'static [&'static str],
) -> City {
    City {
        province,
        city,
        districts,
    }
}

/// Cities in rough order of the brand's footprint; the first ones are picked more often.
#[rustfmt::skip]
const CITIES: &[City] = &[
    city("上海", "上海", &["浦东新区", "徐汇区", "静安区", "闵行区"]),
    city("北京", "北京", &["朝阳区", "海淀区", "东城区", "丰台区"]),
    city("广东", "深圳", &["南山区", "福田区", "宝安区", "龙华区"]),
    city("广东", "广州", &["天河区", "越秀区", "海珠区", "番禺区"]),
    city("浙江", "杭州", &["西湖区", "滨江区", "拱墅区", "余杭区"]),
    city("江苏", "南京", &["鼓楼区", "玄武区", "建邺区"]),
    city("江苏", "苏州", &["姑苏区", "吴中区", "相城区"]),
    city("四川", "成都", &["锦江区", "武侯区", "青羊区", "成华区"]),
    city("湖北", "武汉", &["江汉区", "洪山区", "武昌区"]),
    city("重庆", "重庆", &["渝中区", "江北区", "九龙坡区"]),
    city("天津", "天津", &["和平区", "南开区", "河西区"]),
    city("福建", "厦门", &["思明区", "湖里区", "集美区"]),
    city("陕西", "西安", &["雁塔区", "碑林区", "未央区"]),
    city("湖南", "长沙", &["岳麓区", "天心区", "雨花区"]),
    city("山东", "青岛", &["市南区", "崂山区", "黄岛区"]),
    city("浙江", "宁波", &["鄞州区", "海曙区", "江北区"]),
    city("广东", "佛山", &["禅城区", "南海区", "顺德区"]),
    city("辽宁", "大连", &["中山区", "沙河口区", "甘井子区"]),
];

/// Countries of the few customers living abroad, with a city there.
const ABROAD: &[(&str, &str)] = &[
    ("新加坡", "新加坡"),
    ("美国", "旧金山"),
    ("德国", "柏林"),
    ("日本", "东京"),
    ("马来西亚", "吉隆坡"),
];

#[rustfmt::skip]
const STREETS: &[&str] = &[
    "人民路", "中山路", "解放路", "建设路", "和平路", "科技园路", "长江路", "南京路", "淮海路",
    "文化路", "新华路", "滨江大道", "学府路", "东风路", "青年路", "花园路",
];

/// Shopping malls where the brand has stores.
const MALLS: &[&str] = &[
    "万象城",
    "大悦城",
    "来福士",
    "万达广场",
    "银泰城",
    "太古里",
    "吾悦广场",
    "天街",
];

/// Words that start employers' names, with their pinyin for the email domain.
#[rustfmt::skip]
const COMPANY_WORDS: &[(&str, &str)] = &[
    ("星辰", "xingchen"), ("华远", "huayuan"), ("博雅", "boya"), ("鼎盛", "dingsheng"),
    ("瑞丰", "ruifeng"), ("云帆", "yunfan"), ("恒信", "hengxin"), ("新锐", "xinrui"),
    ("嘉禾", "jiahe"), ("启明", "qiming"), ("致远", "zhiyuan"), ("百川", "baichuan"),
];
/// Industries of employers, with the English word used in the email domain.
#[rustfmt::skip]
const INDUSTRIES: &[(&str, &str)] = &[
    ("科技", "tech"), ("贸易", "trade"), ("咨询", "consulting"), ("传媒", "media"),
    ("餐饮", "food"), ("物流", "logistics"), ("教育", "edu"), ("设计", "design"),
];

/// An employer: its registered name and its email domain.
#[derive(Debug, Clone)]
pub(super) struct Company {
    /// Registered name, e.g. `深圳市星辰科技有限公司`.
    pub name: String,
    /// Email domain, e.g. `xingchen-tech.com`.
    pub domain: String,
}

/// A home city in China, bigger cities more often.
pub(super) fn home_city(rng: &mut ChaCha8Rng) -> City {
    if rng.random_bool(0.5) {
        pick(rng, &CITIES[..5])
    } else {
        pick(rng, CITIES)
    }
}

/// A country abroad and a city in it.
pub(super) fn abroad(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    pick(rng, ABROAD)
}

/// A street address in `city`: district, street, number, building and flat.
pub(super) fn address(rng: &mut ChaCha8Rng, city: &City) -> String {
    let district = pick(rng, city.districts);
    let street = pick(rng, STREETS);
    let number = rng.random_range(1..=999);
    if rng.random_bool(0.7) {
        let building = rng.random_range(1..=30);
        let floor = rng.random_range(1..=32);
        let flat = rng.random_range(1..=8);
        format!("{district}{street}{number}号{building}栋{floor}{flat:02}室")
    } else {
        format!("{district}{street}{number}号")
    }
}

/// A store of the brand, usually in the customer's own city.
pub(super) fn store(rng: &mut ChaCha8Rng, home: Option<&City>) -> String {
    let city = match home {
        Some(home) if rng.random_bool(0.85) => home.city,
        _ => home_city(rng).city,
    };
    format!("{city}{}店", pick(rng, MALLS))
}

/// An employer, registered in `city`.
pub(super) fn company(rng: &mut ChaCha8Rng, city: &str) -> Company {
    let word = pick(rng, COMPANY_WORDS);
    let industry = pick(rng, INDUSTRIES);
    Company {
        name: format!("{city}市{}{}有限公司", word.0, industry.0),
        domain: format!("{}-{}.com", word.1, industry.1),
    }
}
