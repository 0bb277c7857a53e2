//! The header words people use for preset attributes, beyond their machine and display names:
//! the one table of synonyms header matching reads. Each entry is compared folded (see
//! [`super::fold::fold`]: case, spaces, `_`, `-`, `.` and full-width forms ignored), so `E-mail`,
//! `email address` and `Ｅｍａｉｌ` need no entry of their own once `email` and
//! `email address` are here.
//!
//! A synonym applies only when its attribute exists and no attribute has the header as a
//! machine or display name: a company's own names always win.

/// `(attribute, synonyms)`, by attribute.
pub const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "address",
        &[
            "地址",
            "详细地址",
            "联系地址",
            "通讯地址",
            "收货地址",
            "家庭住址",
            "street address",
            "addr",
        ],
    ),
    (
        "birthday",
        &[
            "生日",
            "出生日期",
            "出生年月日",
            "生日日期",
            "date of birth",
            "birth date",
            "dob",
        ],
    ),
    ("city", &["市", "城市", "所在城市", "所在市", "town"]),
    (
        "company",
        &[
            "公司",
            "公司名称",
            "单位",
            "工作单位",
            "企业",
            "企业名称",
            "company name",
            "organization",
            "organisation",
        ],
    ),
    (
        "country",
        &["国家", "国家地区", "国家/地区", "country/region"],
    ),
    (
        "email",
        &[
            "邮箱",
            "电子邮件",
            "电子邮箱",
            "邮件",
            "邮件地址",
            "邮箱地址",
            "电子邮件地址",
            "email address",
            "mail",
        ],
    ),
    ("gender", &["性别", "sex"]),
    (
        "member_id",
        &[
            "会员卡号",
            "会员编号",
            "会员号",
            "会员id",
            "会员卡",
            "membership number",
            "member number",
            "member no",
            "card number",
        ],
    ),
    (
        "member_level",
        &[
            "会员等级",
            "会员级别",
            "会员层级",
            "membership level",
            "member tier",
            "tier",
        ],
    ),
    (
        "member_points",
        &["积分", "会员积分", "可用积分", "points", "loyalty points"],
    ),
    (
        "mobile",
        &[
            "手机",
            "手机号",
            "手机号码",
            "电话",
            "电话号码",
            "联系电话",
            "联系方式",
            "移动电话",
            "手机电话",
            "mobile phone",
            "mobile number",
            "cell",
            "cell phone",
            "phone",
            "phone number",
            "telephone",
            "tel",
        ],
    ),
    (
        "name",
        &[
            "名字",
            "姓名",
            "客户姓名",
            "客户名称",
            "联系人",
            "联系人姓名",
            "真实姓名",
            "full name",
            "customer name",
            "contact name",
        ],
    ),
    ("province", &["省", "省份", "所在省", "所在省份", "地区"]),
    (
        "wechat_nickname",
        &["昵称", "微信昵称", "微信名", "nickname", "wechat name"],
    ),
    (
        "wechat_openid",
        &["微信openid", "openid", "公众号openid", "wechat open id"],
    ),
    (
        "wechat_unionid",
        &["微信unionid", "unionid", "wechat union id"],
    ),
];

/// The attribute `folded` (a folded header) is a synonym of, if any.
pub fn attribute_for(folded: &str) -> Option<&'static str> {
    SYNONYMS
        .iter()
        .find(|(_, words)| words.iter().any(|w| super::fold::fold(w) == folded))
        .map(|(attribute, _)| *attribute)
}

/// The synonyms of `attribute`.
pub fn of(attribute: &str) -> &'static [&'static str] {
    SYNONYMS
        .iter()
        .find(|(name, _)| *name == attribute)
        .map_or(&[], |(_, words)| words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_word_names_two_attributes() {
        let mut seen = HashSet::new();
        for (attribute, words) in SYNONYMS {
            for word in *words {
                let folded = super::super::fold::fold(word);
                assert!(seen.insert(folded.clone()), "{word} ({attribute}) twice");
            }
        }
    }

    #[test]
    fn the_table_is_sorted_by_attribute() {
        let names: Vec<&str> = SYNONYMS.iter().map(|(n, _)| *n).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }
}
