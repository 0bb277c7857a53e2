//! Identifying values of demo contacts: mobile numbers, email addresses and WeChat ids, each
//! derived from the contact's index through a bijection so that distinct indices never share one.

use super::names::PersonName;
use super::pick;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Mainland mobile prefixes (the first three digits) in use by China Mobile, China Unicom and
/// China Telecom; every one is a mobile range in libphonenumber's metadata for China.
#[rustfmt::skip]
const PREFIXES: &[u16] = &[
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 153, 155, 156, 157,
    158, 159, 166, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189,
    191, 193, 195, 198, 199,
];

/// Subscriber numbers per prefix (eight digits).
const SUBSCRIBERS: u128 = 100_000_000;
/// An odd prime coprime with every possible mobile space size, for the affine scramble.
const MULTIPLIER: u128 = 2_654_435_761;
/// The alphabet of WeChat ids (URL-safe base64).
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Mail providers Chinese customers use, the common ones listed more than once.
#[rustfmt::skip]
const PROVIDERS: &[&str] = &[
    "qq.com", "qq.com", "qq.com", "qq.com", "163.com", "163.com", "163.com", "126.com",
    "126.com", "sina.com", "foxmail.com", "gmail.com", "gmail.com", "outlook.com", "outlook.com",
    "hotmail.com", "icloud.com", "yahoo.com", "139.com", "aliyun.com",
];

/// Words for local parts of people whose name is unknown.
const WORDS: &[&str] = &[
    "sunny", "lucky", "happy", "star", "moon", "cloud", "river", "tiger",
];

/// Secrets derived from the seed that make each company's identifiers different.
#[derive(Debug, Clone)]
pub(super) struct Keys {
    mobile_offset: u64,
    mobile: u64,
    email: u64,
    openid: u64,
    unionid: u64,
    openid_prefix: String,
    unionid_prefix: String,
}

impl Keys {
    /// Keys for `seed`.
    pub fn new(seed: u64) -> Self {
        let key = |n: u64| mix64(seed ^ mix64(n));
        let prefix = |n: u64| encode(key(n)).chars().take(5).collect();
        Self {
            mobile_offset: key(1),
            mobile: key(2),
            email: key(3),
            openid: key(4),
            unionid: key(5),
            openid_prefix: prefix(6),
            unionid_prefix: prefix(7),
        }
    }

    /// The 11-digit mobile number of contact `index`, distinct for every index below
    /// `PREFIXES.len() × 10⁸` (over four billion).
    pub fn mobile(&self, index: u64) -> String {
        let prefixes = PREFIXES.len() as u128;
        let space = prefixes * SUBSCRIBERS;
        let scrambled = (u128::from(index) * MULTIPLIER + u128::from(self.mobile_offset)) % space;
        let prefix = PREFIXES[(scrambled % prefixes) as usize];
        let subscriber = permute_decimal((scrambled / prefixes) as u64, 10_000, self.mobile);
        format!("{prefix}{subscriber:08}")
    }

    /// An email address of contact `index`. Its local part is either a QQ number or letters
    /// followed by a number, both injective in `index`, so no two contacts share an address.
    pub fn email(
        &self,
        rng: &mut ChaCha8Rng,
        index: u64,
        name: Option<&PersonName>,
        company_domain: Option<&str>,
    ) -> String {
        let domain = match company_domain {
            Some(domain) if rng.random_bool(0.5) => domain,
            _ => pick(rng, PROVIDERS),
        };
        let local = if domain == "qq.com" && rng.random_bool(0.5) {
            let qq = (u128::from(index / 100_000_000) + 1) * 100_000_000
                + u128::from(permute_decimal(index % 100_000_000, 10_000, self.email));
            qq.to_string()
        } else {
            let base = match name {
                Some(name) => {
                    let (given, family) = (&name.given_ascii, &name.family_ascii);
                    match rng.random_range(0..4) {
                        0 => format!("{family}{given}"),
                        1 => format!("{given}.{family}"),
                        2 => format!("{given}_{family}"),
                        _ => format!("{}{family}", &given[..1]),
                    }
                }
                None => pick(rng, WORDS).to_owned(),
            };
            // The base ends in a letter, so the trailing digits are exactly this number.
            let number = u128::from(index / 10_000) * 10_000
                + u128::from(permute_decimal(index % 10_000, 100, self.email));
            format!("{base}{number}")
        };
        let domain = match rng.random_range(0..100) {
            0..4 => domain.to_ascii_uppercase(),
            4..8 => capitalise_with_upper_tld(domain),
            _ => domain.to_owned(),
        };
        format!("{local}@{domain}")
    }

    /// The WeChat openid of contact `index` in the company's official account.
    pub fn openid(&self, rng: &mut ChaCha8Rng, index: u64) -> String {
        wechat_id(rng, &self.openid_prefix, self.openid, index)
    }

    /// The WeChat unionid of contact `index` across the company's WeChat apps.
    pub fn unionid(&self, rng: &mut ChaCha8Rng, index: u64) -> String {
        wechat_id(rng, &self.unionid_prefix, self.unionid, index)
    }
}

/// The mobile number written the way people type it: plain, grouped, with `+86` or `0086`.
pub(super) fn spell_mobile(rng: &mut ChaCha8Rng, digits: &str) -> String {
    let (a, b, c) = (&digits[..3], &digits[3..7], &digits[7..]);
    match rng.random_range(0..100) {
        0..55 => digits.to_owned(),
        55..70 => format!("{a} {b} {c}"),
        70..80 => format!("+86 {a}-{b}-{c}"),
        80..88 => format!("+86{digits}"),
        88..94 => format!("{a}-{b}-{c}"),
        _ => format!("0086{digits}"),
    }
}

/// `Example.COM` from `example.com`.
fn capitalise_with_upper_tld(domain: &str) -> String {
    let (name, tld) = domain.rsplit_once('.').unwrap_or((domain, ""));
    let mut chars = name.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).into_iter();
    format!(
        "{}.{}",
        first.chain(chars).collect::<String>(),
        tld.to_ascii_uppercase()
    )
}

/// `o`, five characters per account, eleven encoding the index, eleven random: 28 in all.
fn wechat_id(rng: &mut ChaCha8Rng, prefix: &str, key: u64, index: u64) -> String {
    let mut id = format!("o{prefix}{}", encode(mix64(index ^ key)));
    id.extend((0..11).map(|_| char::from(URL_SAFE[rng.random_range(0..64)])));
    id
}

/// Eleven URL-safe characters holding all 64 bits of `value`.
fn encode(mut value: u64) -> String {
    (0..11)
        .map(|_| {
            let c = char::from(URL_SAFE[(value & 63) as usize]);
            value >>= 6;
            c
        })
        .collect()
}

/// A bijection of `u64` (the splitmix64 finaliser).
pub(super) fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A keyed bijection of `0..half²`: a four-round Feistel network on the two halves.
fn permute_decimal(x: u64, half: u64, key: u64) -> u64 {
    let (mut left, mut right) = (x / half, x % half);
    for round in 0..4u64 {
        let f = mix64(right ^ key.wrapping_add(round.wrapping_mul(0x9e37_79b9_7f4a_7c15))) % half;
        (left, right) = (right, (left + f) % half);
    }
    left * half + right
}
